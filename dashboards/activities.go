package dashboards

// activityRoutes is filled in by the activities work.
func (s *Server) activityRoutes() []route { return nil }
