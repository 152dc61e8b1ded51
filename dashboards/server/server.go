// Package server is what the JSON API (dashboards/api) and the HTML
// pages (dashboards/pages) share: the Fiber app with its one error
// handler and JSON error shape, authentication (sessions, bearer tokens,
// roles, the sign-in routes and limiters), CSRF tokens, the /api/v1 route
// table with the OpenAPI document generated from it, strict JSON decoding,
// health endpoints, and the guard and workbook download of report runs.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
)

// Server owns the Fiber app.
type Server struct {
	Deps
	app          *fiber.App
	logins       *loginGuard
	loginRefused *prometheus.CounterVec
	writes       ownWrites // each user's last write, for their answers
	specState
}

// New builds the app with its health endpoints; the API and the pages
// register their routes on it next (dashboards.New).
func New(d Deps) *Server {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{Deps: d, logins: newLoginGuard(d.Now), loginRefused: newLoginMetrics(d.Registerer)}
	cfg := fiber.Config{
		AppName:               "voronka",
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		BodyLimit:             8 << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          5 * time.Minute,
	}
	// Only the trusted proxies may say who the client is (c.IP(), from
	// X-Forwarded-For) and which host and scheme it asked for; anyone
	// else's X-Forwarded-* headers are ignored.
	cfg.EnableTrustedProxyCheck, cfg.TrustedProxies = true, d.TrustedProxies
	if len(d.TrustedProxies) > 0 {
		cfg.ProxyHeader, cfg.EnableIPValidation = fiber.HeaderXForwardedFor, true
	}
	s.app = fiber.New(cfg)
	s.app.Use(compressResponses)
	s.healthRoutes()
	return s
}

// App exposes the Fiber app: the API and the pages register on it; tests
// use app.Test and GetRoutes.
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

// ErrorBody is the one error shape of the API: {"error": ErrorBody}.
type ErrorBody struct {
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
//
// The message is the engine's English; a request that asks for a
// language (?lang=ru or en) gets its code's text in that language from
// the one catalogue (internal/i18n), as the pages show it.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	status, body := s.Classify(c, err)
	if lang := c.Query("lang"); i18n.Valid(lang) {
		details, _ := body.Details.(map[string]any)
		body.Message = i18n.ErrorText(lang, body.Code, body.Field, details)
	}
	return c.Status(status).JSON(fiber.Map{"error": body})
}

// Classify is an error's status and body: an application error says its
// own, a Fiber error its status, a canceled request is 499, a store out
// of reach 503 (with Retry-After set on the answer), anything else is
// internal, logged with method and path and never shown. The error
// handler and the pages' HTML errors both answer with it.
func (s *Server) Classify(c *fiber.Ctx, err error) (int, ErrorBody) {
	e := apperr.As(err)
	if e == nil || e.Kind == apperr.Internal {
		if o := outage(err); o != nil {
			e = o
		}
	}
	if e != nil && e.Kind != apperr.Internal {
		if e.Kind == apperr.Unavailable {
			s.Log.Warn("request refused: unavailable", "method", c.Method(), "path", c.Path(), "code", e.Code, "err", err)
		}
		retryAfter(c, kindStatus[e.Kind])
		return kindStatus[e.Kind], ErrorBody{Code: e.Code, Message: e.Message, Field: e.Field, Details: e.Details}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		code := map[int]string{404: "not_found", 405: "method_not_allowed", 413: "body_too_large", 400: "malformed"}[fe.Code]
		if code == "" {
			code = "http_error"
		}
		return fe.Code, ErrorBody{Code: code, Message: fe.Message}
	}
	if errors.Is(err, context.Canceled) {
		return 499, ErrorBody{Code: "canceled", Message: "request canceled"}
	}
	s.Log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	return fiber.StatusInternalServerError, ErrorBody{Code: "internal", Message: "internal error; it has been logged"}
}
