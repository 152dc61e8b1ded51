package pages

import (
	"html/template"
	"maps"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// Codes of the builder's own form errors (their texts are in the one
// error catalogue, internal/i18n).
const (
	codeNotACount  = "not_a_count"  // a limit or a number of days that is no whole number
	codeBetweenOne = "between_one"  // "between" with one bound
	codeNoValue    = "value_needed" // a filter row without its value
)

// errorMessage is an error's message in lang from the one catalogue, by
// code and field, with the error's details and the engine's limits as
// parameters. Every page shows errors through it.
func errorMessage(lang string, e *apperr.Error) string {
	params := map[string]any{"max_limit": reports.MaxLimit}
	if d, ok := e.Details.(map[string]any); ok {
		maps.Copy(params, d)
	}
	return i18n.ErrorText(lang, e.Code, e.Field, params)
}

// errorText is an error as a page shows it, in the page's language; an
// internal error is logged and shown as "unavailable" (panelError).
func (s *handlers) errorText(err error, d *pageData) string { return s.panelError(err, d.Lang) }

// panelError is what a panel shows for a failed report: the catalogue's
// message of an expected error, a generic one (logged) otherwise.
func (s *handlers) panelError(err error, lang string) string {
	if e := apperr.As(err); e != nil && e.Kind != apperr.Internal {
		return errorMessage(lang, e)
	}
	s.Log.Error("dashboard report failed", "err", err)
	return messages.T(lang, "unavailable")
}

// faultText splits an error for the builder: the message of an error
// naming a filter (filters[i]…, or definition.filters[i]… from a save)
// by row, and the message of any other.
func (s *handlers) faultText(err error, d *pageData) (map[int]string, string) {
	rows := map[int]string{}
	if err == nil {
		return rows, ""
	}
	if e := apperr.As(err); e != nil {
		field := strings.TrimPrefix(e.Field, "definition.")
		if rest, ok := strings.CutPrefix(field, "filters["); ok {
			if n, _, ok := strings.Cut(rest, "]"); ok {
				if i, err := strconv.Atoi(n); err == nil {
					rows[i] = s.errorText(e, d)
					return rows, ""
				}
			}
		}
	}
	return rows, s.errorText(err, d)
}

// errorPage is the page shown for a failed page request, in the
// reader's language: what happened in words, and the message.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"><title>{{.Title}}</title></head>
<body><main><h1>{{.Title}}</h1><p class="error">{{.Message}}</p><p><a href="/">{{.Home}}</a></p></main></body></html>`))

// htmlErrors renders a page handler's error as HTML with the status the
// API would give (an internal error is logged, never shown).
func (s *handlers) htmlErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	status, body := s.Classify(c, err)
	lang := s.pageLang(c)
	title := messages.T(lang, "err_status_"+strconv.Itoa(status))
	if strings.HasPrefix(title, "err_status_") {
		title = messages.T(lang, "err_status_other")
	}
	c.Status(status).Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return errorPage.Execute(c.Response().BodyWriter(), struct {
		Lang, Title, Message, Home string
	}{lang, title, errorMessage(lang, &apperr.Error{Code: body.Code, Field: body.Field, Details: body.Details}), messages.T(lang, "err_home")})
}
