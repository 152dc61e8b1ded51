package dashboards

// companyRoutes is filled in by the companies work.
func (s *Server) companyRoutes() []route { return nil }
