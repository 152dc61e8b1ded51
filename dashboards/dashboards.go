// Package dashboards is the HTTP face of Voronka: it wires the shared
// server (dashboards/server: the Fiber app, errors, authentication,
// OpenAPI, health) with the JSON API (dashboards/api) and the HTML pages.
package dashboards

import (
	"github.com/voronka/voronka/dashboards/api"
	"github.com/voronka/voronka/dashboards/server"
)

// handlers serve the pages with the server's dependencies.
type handlers struct{ *server.Server }

// New builds the server with every route registered: health endpoints,
// the public web forms, the API under /api/v1 and the pages.
func New(d server.Deps) *server.Server {
	s := server.New(d)
	api.Register(s)
	(&handlers{s}).pageRoutes()
	return s
}
