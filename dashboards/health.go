package dashboards

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/apperr"
)

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
