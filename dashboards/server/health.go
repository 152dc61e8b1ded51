package server

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/voronka/voronka/internal/apperr"
)

// healthRoutes registers /healthz, /readyz and /metrics.
func (s *Server) healthRoutes() {
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	s.app.Get("/metrics", s.metrics())
}

func (s *Server) healthz(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }

// readyz answers 200 only when both stores answer.
func (s *Server) readyz(c *fiber.Ctx) error {
	if s.Ready == nil {
		return c.JSON(fiber.Map{"status": "ready"})
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := s.Ready(ctx); err != nil {
		return &apperr.Error{Kind: apperr.Unavailable, Code: "not_ready", Message: err.Error()}
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

// metrics serves Prometheus metrics when the server was given a handler;
// with a MetricsToken only to a scraper that sends it as a bearer token.
func (s *Server) metrics() fiber.Handler {
	if s.Metrics == nil {
		return func(c *fiber.Ctx) error { return fiber.ErrNotFound }
	}
	serve := adaptor.HTTPHandler(s.Metrics)
	if s.MetricsToken == "" {
		return serve
	}
	want := []byte("Bearer " + s.MetricsToken)
	return func(c *fiber.Ctx) error {
		if subtle.ConstantTimeCompare([]byte(c.Get(fiber.HeaderAuthorization)), want) != 1 {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return apperr.New(apperr.Unauthorized, "unauthenticated", "send the metrics token: Authorization: Bearer VORONKA_METRICS_TOKEN")
		}
		return serve(c)
	}
}
