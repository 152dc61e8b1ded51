package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/domain"
)

// Route is one API endpoint: the route table is both what Fiber serves
// and what /api/v1/openapi.json describes, so the two cannot drift.
type Route struct {
	Method  string
	Path    string // Fiber syntax, relative to /api/v1: /deals/:id
	Summary string
	Public  bool          // no authentication
	Roles   []domain.Role // nil: any signed-in user
	Handler fiber.Handler
	Body    any    // request body example type (nil: none)
	Answer  any    // response type (nil: no body)
	File    string // the answer is a file of this media type (answer nil)
	Query   []string
	Status  int // success status when not the default (POST with answer 201, no answer 204, else 200)
}

// MountAPI serves the route table under /api/v1 — the sign-in routes
// first, then rs — with its OpenAPI document at /api/v1/openapi.json;
// any other /api/v1 path is 404.
func (s *Server) MountAPI(rs []Route) {
	s.apiRoutes = append(s.authRoutes(), rs...)
	api := s.app.Group("/api/v1")
	api.Get("/openapi.json", s.openAPI)
	for _, r := range s.apiRoutes {
		handlers := []fiber.Handler{freshWhenAsked}
		if !r.Public {
			handlers = append(handlers, s.requireAuth)
		}
		if r.Roles != nil {
			handlers = append(handlers, requireRole(r.Roles...))
		}
		api.Add(r.Method, r.Path, append(handlers, r.Handler)...)
	}
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
