package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// route is one API endpoint: the route table below is both what Fiber
// serves and what /api/v1/openapi.json describes, so the two cannot drift.
type route struct {
	method  string
	path    string // Fiber syntax, relative to /api/v1: /deals/:id
	summary string
	public  bool          // no authentication
	roles   []domain.Role // nil: any signed-in user
	handler fiber.Handler
	body    any    // request body example type (nil: none)
	answer  any    // response type (nil: no body)
	file    string // the answer is a file of this media type (answer nil)
	query   []string
	status  int // success status when not the default (POST with answer 201, no answer 204, else 200)
}

// apiRoutes lists every /api/v1 route, one block per resource.
func (s *Server) apiRoutes() []route {
	var rs []route
	for _, block := range [][]route{
		s.authRoutes(),
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
		reportRoutes(s.Reports, s.Saved),
		funnelRoutes(s.Reports),
		scheduleRoutes(s.Schedules),
	} {
		rs = append(rs, block...)
	}
	return rs
}

func (s *Server) authRoutes() []route {
	return []route{
		{method: "POST", path: "/auth/login", summary: "Sign in: returns a bearer token and sets the session cookie",
			public: true, status: 200, handler: s.login, body: loginRequest{}, answer: loginResponse{}},
		{method: "POST", path: "/auth/logout", summary: "End the session", handler: s.logout},
		{method: "GET", path: "/me", summary: "The signed-in user", handler: s.me, answer: crmcore.User{}},
	}
}

// routes registers the API, health endpoints and the OpenAPI document.
func (s *Server) routes() {
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	s.app.Get("/metrics", s.metrics())
	s.publicFormRoutes()
	api := s.app.Group("/api/v1")
	api.Get("/openapi.json", s.openAPI)
	for _, r := range s.apiRoutes() {
		handlers := []fiber.Handler{}
		if r.path == "/auth/login" {
			handlers = append(handlers, loginLimiter())
		}
		if !r.public {
			handlers = append(handlers, s.requireAuth)
		}
		if r.roles != nil {
			handlers = append(handlers, requireRole(r.roles...))
		}
		api.Add(r.method, r.path, append(handlers, r.handler)...)
	}
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	s.pageRoutes()
}
