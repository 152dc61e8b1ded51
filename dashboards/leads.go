package dashboards

// leadRoutes is filled in by the leads work.
func (s *Server) leadRoutes() []route { return nil }
