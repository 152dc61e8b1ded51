package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func (s *handlers) ingestRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/ingest/status", Handler: s.ingestStatus, Answer: map[string]any{},
			Roles:   []domain.Role{domain.RoleAdmin, domain.RoleDirector, domain.RoleAnalyst},
			Summary: "Change stream (admin, director, analyst): lag_seconds, last_commit_lsn, rows_per_second, retained_wal_bytes, snapshot_done, snapshot_progress"},
	}
}

func (s *handlers) ingestStatus(c *fiber.Ctx) error {
	if s.Ingest == nil {
		return apperr.New(apperr.Unavailable, "ingest_not_running",
			"the change stream does not run in this process (see `voronka ingest`)")
	}
	return c.JSON(s.Ingest.Status())
}
