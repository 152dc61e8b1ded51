// Package dashboards is the HTTP face of Voronka. It wires three
// packages into one server: dashboards/server (the Fiber app, the one
// error handler, authentication, CSRF, the route table and its OpenAPI
// document, health endpoints), dashboards/api (the JSON API under
// /api/v1) and dashboards/pages (the HTML dashboards, kanban, reports,
// builder and schedules pages).
package dashboards

import (
	"github.com/voronka/voronka/dashboards/api"
	"github.com/voronka/voronka/dashboards/pages"
	"github.com/voronka/voronka/dashboards/server"
)

// New builds the server with every route registered: health endpoints,
// the public web forms, the API under /api/v1 and the pages.
func New(d server.Deps) *server.Server {
	s := server.New(d)
	api.Register(s)
	pages.Register(s)
	return s
}
