package server

import (
	"context"
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

// metrics serves Prometheus metrics when the server was given a handler.
func (s *Server) metrics() fiber.Handler {
	if s.Metrics == nil {
		return func(c *fiber.Ctx) error { return fiber.ErrNotFound }
	}
	return adaptor.HTTPHandler(s.Metrics)
}
