// Package dashboards is the HTTP face of Voronka: the JSON API under
// /api/v1, authentication (sessions and bearer tokens), health endpoints,
// the OpenAPI description and, later, the HTML dashboards. Handlers are
// thin: parse the request, call crmcore or reports, render.
package dashboards

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// Deps is everything the server needs; built by cmd/voronka.
type Deps struct {
	Store  *crmcore.Store
	Log    *slog.Logger
	Ready  func(ctx context.Context) error // both stores reachable
	Secure bool                            // Secure flag on cookies (TLS)

	Reports   *engine.Engine    // reports and funnels over ClickHouse; nil answers 503
	Saved     *saved.Store      // the standard catalog and saved reports (PostgreSQL)
	Schedules *schedule.Service // scheduled exports and the holiday calendar; nil answers 503
	Ingest    IngestMonitor     // the change stream, when it runs in this process
	Metrics   http.Handler      // Prometheus exposition for /metrics, optional
	Forms     FormLimits        // public web-form rate limits (zero: defaults)
}

// Server owns the Fiber app.
type Server struct {
	Deps
	app *fiber.App
	specState
}

// New builds the app with every route registered.
func New(d Deps) *Server {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{Deps: d}
	s.app = fiber.New(fiber.Config{
		AppName:               "voronka",
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		BodyLimit:             8 << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          5 * time.Minute,
	})
	s.routes()
	return s
}

// App exposes the Fiber app (tests use app.Test and GetRoutes).
func (s *Server) App() *fiber.App { return s.app }

// Serve listens on addr until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx ends, then shuts down gracefully:
// requests in flight finish, new connections are refused.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		return s.app.ShutdownWithContext(sctx)
	}
}

// errorBody is the one error shape of the API.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Details any    `json:"details,omitempty"`
}

var kindStatus = map[apperr.Kind]int{
	apperr.Internal:     fiber.StatusInternalServerError,
	apperr.Malformed:    fiber.StatusBadRequest,
	apperr.Unauthorized: fiber.StatusUnauthorized,
	apperr.Forbidden:    fiber.StatusForbidden,
	apperr.NotFound:     fiber.StatusNotFound,
	apperr.Conflict:     fiber.StatusConflict,
	apperr.Invalid:      fiber.StatusUnprocessableEntity,
	apperr.TooMany:      fiber.StatusTooManyRequests,
	apperr.Unavailable:  fiber.StatusServiceUnavailable,
}

// errorHandler maps any error to a status and the JSON error shape. A
// foreign error is internal: logged with method and path, never shown.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	status, body := s.classify(c, err)
	return c.Status(status).JSON(fiber.Map{"error": body})
}

func (s *Server) classify(c *fiber.Ctx, err error) (int, errorBody) {
	if e := apperr.As(err); e != nil && e.Kind != apperr.Internal {
		return kindStatus[e.Kind], errorBody{Code: e.Code, Message: e.Message, Field: e.Field, Details: e.Details}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code := map[int]string{404: "not_found", 405: "method_not_allowed", 413: "body_too_large", 400: "malformed"}[fe.Code]
		if code == "" {
			code = "http_error"
		}
		return fe.Code, errorBody{Code: code, Message: fe.Message}
	}
	if errors.Is(err, context.Canceled) {
		return 499, errorBody{Code: "canceled", Message: "request canceled"}
	}
	s.Log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return fiber.StatusInternalServerError, errorBody{Code: "internal", Message: "internal error; it has been logged"}
}
