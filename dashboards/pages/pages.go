// Package pages is the HTML face of Voronka: the login form, the
// director's, manager's and activity dashboards, the kanban board, the
// reports list, the report builder, the schedules and the sales plans, with their
// go-echarts charts and tables, interface strings in Russian and English,
// and the templates and static files embedded in the binary. Pages use
// the session cookie and CSRF tokens of dashboards/server and run
// reports through the same engine and access rules as the API.
package pages

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageTemplates holds one template set per page: the layout plus the
// page's own file, which defines "content" (and the schedule picker for
// the pages with one).
var pageTemplates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "dashboard", "kanban", "reports", "builder", "schedules", "alerts", "deal", "plans", "drill", "rates"} {
		files := []string{"templates/layout.html", "templates/panel.html", "templates/" + name + ".html"}
		if name == "schedules" || name == "alerts" {
			files = append(files, "templates/picker.html")
		}
		out[name] = template.Must(template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFiles, files...))
	}
	return out
}()

var pageFuncs = template.FuncMap{
	"asset":     assetURL, // an embedded file's URL with its content hash (assets.go)
	"cell":      cellText,
	"delta":     deltaClass, // a table cell's class: up or down for a change
	"linkAt":    linkAt,     // a table cell's drill link: {{linkAt $.Links $i $j}}
	"totalLink": totalLink,  // a totals cell's: {{totalLink $.TotalLinks $j}}
	"jsonText": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
	"json": func(v any) (template.JS, error) {
		b, err := json.Marshal(v)
		return template.JS(b), err
	},
	// in is a name in the page's language: {{in $.Lang .Name .NameEN}}.
	"in": func(lang, ru, en string) string { return i18n.T(ru, en).In(lang) },
	// money, date and datetime write a figure as the page's reader does:
	// {{money $.Lang .Amount .Currency}}, {{date $.Lang .At}} (Moscow time).
	"money":    moneyText,
	"upper":    strings.ToUpper,
	"count":    func(lang string, n int) string { return i18n.Integer(lang, int64(n)) }, // {{count $.Lang .Total}}
	"date":     func(lang string, t time.Time) string { return i18n.Date(lang, t.In(moscow)) },
	"datetime": func(lang string, t time.Time) string { return i18n.DateTime(lang, t.In(moscow)) },
}

// moneyText is an amount in the reader's digits, with ₽ for roubles, the
// sign of the other common currencies and the code of any other.
func moneyText(lang string, m domain.Money, currency string) string {
	plain := m.Abs().StringFixed(2)
	if currency == "" || currency == "RUB" {
		return i18n.Roubles(lang, plain, m.IsNegative())
	}
	if sign, ok := currencySigns[currency]; ok {
		currency = sign
	}
	return i18n.Digits(lang, plain, m.IsNegative()) + "\u00a0" + currency
}

// currencySigns are the signs of the currencies besides the rouble that
// deals commonly take.
var currencySigns = map[string]string{"USD": "$", "EUR": "€", "CNY": "¥", "KZT": "₸"}

// pageData is what every page template gets.
type pageData struct {
	Lang, Title, Path string
	OtherLang         string // this page's address in the other language
	tr                func(string) string
	User              domain.Principal
	Role              string
	Fresh             string // the header's freshness: the oldest answer's age, else the stream's lag
	FreshTitle        string // …explained, with the stream's lag
	FreshWarn         bool   // the oldest answer is older than the staleness bound
	Trouble           string // the tables the change stream cannot follow now ("" none), a warning in the header
	Period, Computed  string // the period of the page's answers in words, when the page was computed
	Compared          string // the period they are compared with, in words ("" none)
	facts             pageFacts
	Echarts           bool
	CSRF              string
	Error             string
	Body              any
}

// handlers serve the pages with the server's dependencies.
type handlers struct{ *server.Server }

// Register adds the HTML pages and the embedded static files to s.
func Register(s *server.Server) {
	h := &handlers{s}
	app := s.App()
	app.Use("/static", staticHandler())
	for _, prefix := range []string{"/login", "/logout", "/dashboards", "/kanban", "/reports", "/schedules", "/alerts", "/deals", "/plans", "/drill", "/rates"} {
		app.Use(prefix, h.htmlErrors)
	}
	app.Get("/login", h.loginPage)
	app.Post("/login", h.loginSubmit)
	app.Post("/logout", s.RequirePage, h.logoutSubmit)
	app.Get("/", s.RequirePage, h.homePage)
	app.Get("/dashboards/director", s.RequirePage, h.directorPage)
	app.Get("/dashboards/manager", s.RequirePage, h.managerPage)
	app.Get("/dashboards/activity", s.RequirePage, h.activityPage)
	app.Get("/dashboards/finance", s.RequirePage, h.financePage)
	app.Get("/dashboards/:which/xlsx", s.RequirePage, h.dashboardXLSX)
	app.Get("/kanban/:pipeline", s.RequirePage, h.kanbanPage)
	app.Get("/deals/:id", s.RequirePage, h.dealPage)
	app.Get("/drill", s.RequirePage, h.drillPage)
	app.Get("/drill/xlsx", s.RequirePage, h.drillXLSX)
	app.Get("/reports", s.RequirePage, h.reportsPage)
	app.Get("/reports/new", s.RequirePage, h.builderPage)
	app.Post("/reports/new", s.RequirePage, h.builderSave)
	app.Get("/reports/new/xlsx", s.RequirePage, h.builderXLSX)
	app.Get("/reports/:id", s.RequirePage, h.reportPage)
	app.Get("/reports/:id/xlsx", s.RequirePage, h.reportXLSX)
	app.Get("/reports/:id/edit", s.RequirePage, h.builderEditPage)
	app.Post("/reports/:id/edit", s.RequirePage, h.builderUpdate)
	app.Get("/plans", s.RequirePage, h.plansPage)
	app.Get("/rates", s.RequirePage, h.ratesPage)
	app.Post("/rates", s.RequirePage, h.rateSave)
	app.Post("/rates/delete", s.RequirePage, h.rateDelete)
	app.Post("/rates/import", s.RequirePage, h.rateImport)
	app.Get("/schedules", s.RequirePage, h.schedulesPage)
	app.Post("/schedules", s.RequirePage, h.scheduleCreate)
	app.Get("/schedules/:id", s.RequirePage, h.schedulePage)
	app.Post("/schedules/:id/run", s.RequirePage, h.scheduleRunNow)
	app.Post("/schedules/:id", s.RequirePage, h.scheduleUpdate)
	app.Post("/schedules/:id/pause", s.RequirePage, h.schedulePause)
	app.Post("/schedules/:id/delete", s.RequirePage, h.scheduleDelete)
	app.Get("/alerts", s.RequirePage, h.alertsPage)
	app.Post("/alerts", s.RequirePage, h.alertCreate)
	app.Get("/alerts/:id", s.RequirePage, h.alertPage)
	app.Post("/alerts/:id/check", s.RequirePage, h.alertCheckNow)
	app.Post("/alerts/:id/delete", s.RequirePage, h.alertDelete)
}

// homePage sends managers to their dashboard, everyone else to the
// director's.
func (s *handlers) homePage(c *fiber.Ctx) error {
	if server.Principal(c).Role == domain.RoleManager {
		return c.Redirect("/dashboards/manager", fiber.StatusSeeOther)
	}
	return c.Redirect("/dashboards/director", fiber.StatusSeeOther)
}

// newPage fills the parts every page shares.
func (s *handlers) newPage(c *fiber.Ctx, titleKey string) *pageData {
	lang := s.pageLang(c)
	t := messages.Translator(lang)
	p := server.Principal(c)
	other := i18n.Other(lang)
	args := &fasthttp.Args{}
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Set("lang", other)
	lag, trouble := s.streamFacts(t)
	return &pageData{Lang: lang, tr: t, Title: t(titleKey), Path: c.Path(), User: p, OtherLang: c.Path() + "?" + args.String(),
		Role: t("role_" + string(p.Role)), Fresh: t("fresh") + ": " + lag, FreshTitle: t("fresh") + ": " + lag, Trouble: trouble,
		Echarts: echartsEmbedded(), CSRF: s.CSRFToken(c), facts: pageFacts{bound: s.maxStaleness(), asked: time.Now()}}
}

// T translates an interface string (templates: {{.T "key"}}).
func (d *pageData) T(key string) string { return d.tr(key) }

// render executes a page template, its answers' facts settled now.
func render(c *fiber.Ctx, name string, d *pageData) error {
	d.settle(time.Now())
	var buf bytes.Buffer
	if err := pageTemplates[name].Execute(&buf, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	c.Set("X-Frame-Options", "DENY")
	return c.Send(buf.Bytes())
}

// streamFacts reads the change stream's status once for the header: how
// current the analytics copy is ("unknown" without a stream) and the
// tables whose changes wait for a rebuild after a schema change ClickHouse
// could not follow in place ("" when none) — their figures are behind
// while the other tables are current.
func (s *handlers) streamFacts(t func(string) string) (lag, trouble string) {
	if s.Ingest == nil {
		return t("unknown"), ""
	}
	var st struct {
		Lag    *float64 `json:"lag_seconds"`
		Tables []struct {
			Table string `json:"table"`
		} `json:"tables_in_trouble"`
	}
	b, err := json.Marshal(s.Ingest.Status())
	if err != nil || json.Unmarshal(b, &st) != nil {
		return t("unknown"), ""
	}
	lag = t("unknown")
	if st.Lag != nil {
		lag = fmt.Sprintf(t("lag"), *st.Lag)
	}
	if len(st.Tables) > 0 {
		names := make([]string, len(st.Tables))
		for i, tt := range st.Tables {
			names[i] = t("table_" + tt.Table) // a table added later: its own name
		}
		trouble = fmt.Sprintf(t("tables_in_trouble"), strings.Join(names, ", "))
	}
	return lag, trouble
}

// pageFacts is what a page with report answers says about them: the
// period in force, when the page was computed, and how old the oldest
// answer's data is (the header's freshness).
type pageFacts struct {
	from, to time.Time             // the period of the page's answers ([from, to), zero: none)
	compared *reports.ComparedMeta // the period they are compared with (nil: none)
	oldest   time.Time             // the oldest answer's DataAsOf (zero: no answer)
	bound    time.Duration
	asked    time.Time // when the page was asked for: ages count to it, not the page's own run
}

// answered records one answer's meta: its data's age, and its period
// when the page has none yet (withPeriod: the answer is over the page's
// period, not a comparison's).
func (d *pageData) answered(m reports.Meta, withPeriod bool) {
	d.facts.oldest = older(d.facts.oldest, m.DataAsOf)
	if withPeriod && d.facts.from.IsZero() && !m.From.IsZero() {
		d.facts.from, d.facts.to = m.From, m.To
	}
	if withPeriod && d.facts.compared == nil && m.Compared != nil {
		d.facts.compared = m.Compared
	}
}

// settle writes the facts into the page at render time: the header's
// freshness — the oldest answer's data time and its age when the page
// was asked for (a slow page is not stale data), a warning past the
// staleness bound —, the period in words and the computed-at time (now).
func (d *pageData) settle(now time.Time) {
	f := d.facts
	if f.oldest.IsZero() {
		return
	}
	age := max(f.asked.Sub(f.oldest), 0)
	at := f.oldest.In(moscow).Format(d.T("seconds_layout"))
	d.Fresh = fmt.Sprintf(d.T("fresh_answers"), at, ageText(d.T, age))
	d.FreshTitle = fmt.Sprintf(d.T("fresh_answers_def"), ageText(d.T, f.bound)) + " " + d.FreshTitle
	if age > f.bound {
		d.FreshWarn = true
		d.Fresh = fmt.Sprintf(d.T("fresh_stale"), at, ageText(d.T, age), ageText(d.T, f.bound))
	}
	d.Computed = d.T("computed") + " " + now.In(moscow).Format(d.T("seconds_layout"))
	if !f.from.IsZero() {
		d.Period = d.T("period_in_force") + ": " + periodWords(d.Lang, f.from, f.to)
	}
	if c := f.compared; c != nil {
		d.Compared = fmt.Sprintf(d.T("compared_"+c.Mode), periodWords(d.Lang, c.From, c.To))
		if c.Partial {
			d.Compared += d.T("compared_partial")
		}
	}
}

// maxStaleness is how old an answer's data may be before the header
// warns: the cache's bound (VORONKA_REPORT_MAX_STALENESS), the default
// without a cache.
func (s *handlers) maxStaleness() time.Duration {
	if s.Reports != nil && s.Reports.Cache != nil && s.Reports.Cache.MaxStaleness > 0 {
		return s.Reports.Cache.MaxStaleness
	}
	return engine.DefaultMaxStaleness
}

// ageText is a duration as people say it, whole seconds, minutes,
// hours or days (t translates the units).
func ageText(t func(string) string, d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf(t("age_s"), int64(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf(t("age_min"), int64(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf(t("age_h"), int64(d/time.Hour))
	}
	return fmt.Sprintf(t("age_d"), int64(d/(24*time.Hour)))
}

// monthsOfDates are the months as a date says them: «1 января», "1 January".
var monthsOfDates = [12]i18n.Text{i18n.T("января", "January"), i18n.T("февраля", "February"), i18n.T("марта", "March"),
	i18n.T("апреля", "April"), i18n.T("мая", "May"), i18n.T("июня", "June"), i18n.T("июля", "July"), i18n.T("августа", "August"),
	i18n.T("сентября", "September"), i18n.T("октября", "October"), i18n.T("ноября", "November"), i18n.T("декабря", "December")}

// periodWords is the period [from, to) in words, by its days in Moscow:
// «1 января – 31 марта 2026», «1 декабря 2025 – 31 января 2026»,
// "1 January – 31 March 2026"; one day alone for a single day.
func periodWords(lang string, from, to time.Time) string {
	f, l := from.In(moscow), to.Add(-time.Nanosecond).In(moscow)
	day := func(t time.Time, year bool) string {
		s := strconv.Itoa(t.Day()) + " " + monthsOfDates[t.Month()-1].In(lang)
		if year {
			s += " " + strconv.Itoa(t.Year())
		}
		return s
	}
	if f.Year() == l.Year() && f.YearDay() == l.YearDay() {
		return day(l, true)
	}
	return day(f, f.Year() != l.Year()) + " – " + day(l, true)
}
