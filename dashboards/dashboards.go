// Package dashboards is the HTTP face of Voronka: it wires the shared
// server (dashboards/server: the Fiber app, errors, authentication,
// OpenAPI, health) with the JSON API and the HTML pages.
package dashboards

import "github.com/voronka/voronka/dashboards/server"

// handlers serve the API and the pages with the server's dependencies.
type handlers struct{ *server.Server }

// New builds the server with every route registered: health endpoints,
// the public web forms, the API under /api/v1 and the pages.
func New(d server.Deps) *server.Server {
	s := server.New(d)
	h := &handlers{s}
	h.publicFormRoutes()
	s.MountAPI(h.apiRoutes())
	h.pageRoutes()
	return s
}

// apiRoutes lists every /api/v1 route, one block per resource.
func (s *handlers) apiRoutes() []server.Route {
	var rs []server.Route
	for _, block := range [][]server.Route{
		s.pipelineRoutes(),
		s.userRoutes(),
		s.companyRoutes(),
		s.contactRoutes(),
		s.leadRoutes(),
		s.duplicateRoutes(),
		s.formRoutes(),
		s.importRoutes(),
		s.dealRoutes(),
		s.activityRoutes(),
		s.billingRoutes(),
		s.ingestRoutes(),
		reportRoutes(s.Reports),
		funnelRoutes(s.Reports),
		scheduleRoutes(s.Schedules),
	} {
		rs = append(rs, block...)
	}
	return rs
}
