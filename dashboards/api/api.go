// Package api is the JSON API under /api/v1 (sign-in aside, which the
// server owns): the CRM resources — pipelines, users, companies,
// contacts, leads, deals, activities, invoices, payments and products,
// contracts, orders and acts, duplicates, imports, web forms — the change stream's status, and the
// reports, funnels, schedules and their Excel exports. Handlers are thin:
// parse the request, call crmcore or reports, render; the route table
// they are listed in is also the OpenAPI document.
package api

import "github.com/voronka/voronka/dashboards/server"

// handlers serve the API with the server's dependencies.
type handlers struct{ *server.Server }

// Register adds the public web-form endpoint (POST /forms/{key}) and the
// /api/v1 route table to s.
func Register(s *server.Server) {
	h := &handlers{s}
	h.publicFormRoutes()
	s.MountAPI(h.routes())
}

// routes lists every /api/v1 route, one block per resource.
func (s *handlers) routes() []server.Route {
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
		s.callRoutes(),
		s.dealRoutes(),
		s.activityRoutes(),
		s.billingRoutes(),
		s.docRoutes(),
		s.planRoutes(),
		s.rateRoutes(),
		s.ingestRoutes(),
		reportRoutes(s.Reports, s.Saved),
		funnelRoutes(s.Reports),
		drillRoutes(s.Reports),
		scheduleRoutes(s.Schedules),
	} {
		rs = append(rs, block...)
	}
	return rs
}
