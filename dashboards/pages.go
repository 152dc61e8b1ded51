package dashboards

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/domain"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageTemplates holds one template set per page: the layout plus the
// page's own file, which defines "content".
var pageTemplates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "dashboard", "kanban", "reports", "builder", "schedules"} {
		out[name] = template.Must(template.New("layout.html").Funcs(pageFuncs).
			ParseFS(templateFiles, "templates/layout.html", "templates/panel.html", "templates/"+name+".html"))
	}
	return out
}()

var pageFuncs = template.FuncMap{
	"cell": cellText,
	"jsonText": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"json": func(v any) (template.JS, error) {
		b, err := json.Marshal(v)
		return template.JS(b), err
	},
}

const csrfCookie = "voronka_csrf"

// pageData is what every page template gets.
type pageData struct {
	Lang, Title, Path string
	OtherLang         string // this page's address in the other language
	tr                func(string) string
	User              domain.Principal
	Role              string
	Fresh             string
	Echarts           bool
	CSRF              string
	Error             string
	Body              any
}

// pageRoutes registers the HTML pages and the embedded static files.
func (s *Server) pageRoutes() {
	s.app.Use("/static", staticHandler())
	for _, prefix := range []string{"/login", "/logout", "/dashboards", "/kanban", "/reports", "/schedules"} {
		s.app.Use(prefix, s.htmlErrors)
	}
	s.app.Get("/login", s.loginPage)
	s.app.Post("/login", pageLoginLimiter(), s.loginSubmit)
	s.app.Post("/logout", s.requirePage, s.logoutSubmit)
	s.app.Get("/", s.requirePage, s.homePage)
	s.app.Get("/dashboards/director", s.requirePage, s.directorPage)
	s.app.Get("/dashboards/manager", s.requirePage, s.managerPage)
	s.app.Get("/dashboards/activity", s.requirePage, s.activityPage)
	s.app.Get("/dashboards/:which/xlsx", s.requirePage, s.dashboardXLSX)
	s.app.Get("/kanban/:pipeline", s.requirePage, s.kanbanPage)
	s.app.Get("/reports", s.requirePage, s.reportsPage)
	s.app.Get("/reports/new", s.requirePage, s.builderPage)
	s.app.Post("/reports/new", s.requirePage, s.builderSave)
	s.app.Get("/reports/new/xlsx", s.requirePage, s.builderXLSX)
	s.app.Get("/reports/:id", s.requirePage, s.reportPage)
	s.app.Get("/reports/:id/xlsx", s.requirePage, s.reportXLSX)
	s.app.Get("/reports/:id/edit", s.requirePage, s.builderEditPage)
	s.app.Post("/reports/:id/edit", s.requirePage, s.builderUpdate)
	s.app.Get("/schedules", s.requirePage, s.schedulesPage)
	s.app.Post("/schedules", s.requirePage, s.scheduleCreate)
	s.app.Get("/schedules/:id", s.requirePage, s.schedulePage)
	s.app.Post("/schedules/:id/run", s.requirePage, s.scheduleRunNow)
}

// requirePage resolves the session cookie; without a valid one the
// browser goes to the login page.
func (s *Server) requirePage(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	p, err := s.Store.PrincipalByToken(c.UserContext(), token)
	if err != nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	c.Locals(principalKey, p)
	return c.Next()
}

// homePage sends managers to their dashboard, everyone else to the
// director's.
func (s *Server) homePage(c *fiber.Ctx) error {
	if principal(c).Role == domain.RoleManager {
		return c.Redirect("/dashboards/manager", fiber.StatusSeeOther)
	}
	return c.Redirect("/dashboards/director", fiber.StatusSeeOther)
}

// newPage fills the parts every page shares.
func (s *Server) newPage(c *fiber.Ctx, titleKey string) *pageData {
	lang := s.pageLang(c)
	t := translator(lang)
	p := principal(c)
	other := map[string]string{"ru": "en", "en": "ru"}[lang]
	args := &fasthttp.Args{}
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Set("lang", other)
	return &pageData{Lang: lang, tr: t, Title: t(titleKey), Path: c.Path(), User: p, OtherLang: c.Path() + "?" + args.String(),
		Role: t("role_" + string(p.Role)), Fresh: s.freshness(t), Echarts: echartsEmbedded(), CSRF: s.csrfToken(c)}
}

// T translates an interface string (templates: {{.T "key"}}).
func (d *pageData) T(key string) string { return d.tr(key) }

// render executes a page template.
func render(c *fiber.Ctx, name string, d *pageData) error {
	var buf bytes.Buffer
	if err := pageTemplates[name].Execute(&buf, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	c.Set("X-Frame-Options", "DENY")
	return c.Send(buf.Bytes())
}

// freshness describes how current the analytics copy is, from the
// change stream's status ("unknown" without one).
func (s *Server) freshness(t func(string) string) string {
	if s.Ingest == nil {
		return t("unknown")
	}
	b, err := json.Marshal(s.Ingest.Status())
	var st struct {
		Lag *float64 `json:"lag_seconds"`
	}
	if err != nil || json.Unmarshal(b, &st) != nil || st.Lag == nil {
		return t("unknown")
	}
	return fmt.Sprintf(t("lag"), *st.Lag)
}

// csrfToken returns the double-submit token, setting its cookie first.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if t := c.Cookies(csrfCookie); len(t) == 64 {
		return t
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	t := hex.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: t, Path: "/", HTTPOnly: true, Secure: s.Secure,
		SameSite: fiber.CookieSameSiteStrictMode})
	return t
}

// csrfOK checks a form's token against its cookie.
func csrfOK(c *fiber.Ctx) bool {
	cookie, form := c.Cookies(csrfCookie), c.FormValue("csrf")
	return len(cookie) == 64 && subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) == 1
}
