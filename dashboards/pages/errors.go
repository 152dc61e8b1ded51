package pages

import (
	"html/template"

	"github.com/gofiber/fiber/v2"
)

// errorPage is the page shown for a failed page request.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"><title>{{.Status}}</title></head>
<body><main><h1>{{.Status}}</h1><p class="error">{{.Message}}</p><p><a href="/">Voronka</a></p></main></body></html>`))

// htmlErrors renders a page handler's error as HTML with the status the
// API would give (an internal error is logged, never shown).
func (s *handlers) htmlErrors(c *fiber.Ctx) error {
	err := c.Next()
	if err == nil {
		return nil
	}
	status, body := s.Classify(c, err)
	c.Status(status).Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return errorPage.Execute(c.Response().BodyWriter(), struct {
		Status  int
		Message string
	}{status, body.Message})
}
