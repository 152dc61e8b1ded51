package dashboards

// contactRoutes is filled in by the contacts work.
func (s *Server) contactRoutes() []route { return nil }
