package dashboards

// billingRoutes is filled in by the billing work.
func (s *Server) billingRoutes() []route { return nil }
