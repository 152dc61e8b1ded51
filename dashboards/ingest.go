package dashboards

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/voronka/voronka/internal/apperr"
)

// IngestMonitor is the change stream as the server sees it: its status
// (JSON-ready) and its health. cmd/voronka adapts *ingest.Streamer to it,
// so this package need not import ingest.
type IngestMonitor interface {
	Status() any
	Healthy() error
}

func (s *Server) ingestRoutes() []route {
	return []route{
		{method: "GET", path: "/ingest/status", handler: s.ingestStatus, answer: map[string]any{},
			summary: "Change stream: lag_seconds, last_commit_lsn, rows_per_second, retained_wal_bytes, snapshot_done, snapshot_progress"},
	}
}

func (s *Server) ingestStatus(c *fiber.Ctx) error {
	if s.Ingest == nil {
		return apperr.New(apperr.Unavailable, "ingest_not_running",
			"the change stream does not run in this process (see `voronka ingest`)")
	}
	return c.JSON(s.Ingest.Status())
}

// metrics serves Prometheus metrics when the server was given a handler.
func (s *Server) metrics() fiber.Handler {
	if s.Metrics == nil {
		return func(c *fiber.Ctx) error { return fiber.ErrNotFound }
	}
	return adaptor.HTTPHandler(s.Metrics)
}
