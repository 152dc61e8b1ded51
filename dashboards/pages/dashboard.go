package pages

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// periodChoice is a period preset with its label in both languages.
type periodChoice struct {
	Key   string
	Label i18n.Text
}

// presets are the period picker's choices, in order, with their labels.
var presets = []periodChoice{
	{"this_month", i18n.T("Этот месяц", "This month")}, {"previous_month", i18n.T("Прошлый месяц", "Previous month")},
	{"this_quarter", i18n.T("Этот квартал", "This quarter")}, {"previous_quarter", i18n.T("Прошлый квартал", "Previous quarter")},
	{"this_year", i18n.T("Этот год", "This year")}, {"previous_year", i18n.T("Прошлый год", "Previous year")},
	{"last_30_days", i18n.T("30 дней", "Last 30 days")}, {"last_90_days", i18n.T("90 дней", "Last 90 days")},
	{"last_365_days", i18n.T("365 дней", "Last 365 days")},
}

const defaultPreset = "this_year"

// option is one choice of a select.
type option struct{ Value, Label string }

// panel is one chart with its data table below it.
type panel struct {
	ID, Title, Def string
	Chart          chartOptions
	Table          *tableView
	XLSX           string // the table's download link
	AsOf           string // when its figures were computed (answers are cached a while)
	timing         panelTiming
	result         *reports.Result // raw cells, for XLSX
	Err            string
}

// dashboardBody is the director's and the manager's dashboard.
type dashboardBody struct {
	Action             string
	Preset, Pipeline   string
	From, To           string // a date range, overriding the preset
	Managers           []option
	Manager            string // the manager filter (director only), "" for the team
	Presets, Pipelines []option
	Panels             []panel
	Due                []dueItem // the manager dashboard's activities due today and overdue
	ShowDue            bool
	Weighted           string // the open deals' weighted amount, "" when unknown
}

// dashQuery is the filter of one dashboard request.
type dashQuery struct {
	p                domain.Principal
	lang, preset, pl string
	from, to         string
	manager          int64 // the director's manager filter; 0 for the team
	t                func(string) string
	page             string // director, manager or activity
}

func (s *handlers) directorPage(c *fiber.Ctx) error {
	if server.Principal(c).Role == domain.RoleManager {
		return c.Redirect("/dashboards/manager", fiber.StatusSeeOther)
	}
	return s.dashboard(c, "director")
}

// activityPage is the team's activity over the period (a manager sees
// their own: the engine's access rules).
func (s *handlers) activityPage(c *fiber.Ctx) error { return s.dashboard(c, "activity") }

// managerPage is the dashboard of the signed-in user's deals: the engine
// restricts a manager to the deals they may see.
func (s *handlers) managerPage(c *fiber.Ctx) error { return s.dashboard(c, "manager") }

func (s *handlers) dashboard(c *fiber.Ctx, which string) error {
	d := s.newPage(c, which)
	body, q, err := s.dashFilter(c, d, which)
	if err != nil {
		return err
	}
	start := time.Now()
	body.Panels = s.panels(c.UserContext(), q)
	c.Set("Server-Timing", serverTiming(body.Panels, time.Since(start)))
	for i := range body.Panels {
		if body.Panels[i].ID == "stages" {
			body.Weighted, _ = weightedPipeline(body.Panels[i].result)
		}
		v := url.Values{"panel": {body.Panels[i].ID}, "period": {q.preset}, "pipeline": {q.pl}, "from": {q.from}, "to": {q.to}}
		if q.manager != 0 {
			v.Set("manager", strconv.FormatInt(q.manager, 10))
		}
		body.Panels[i].XLSX = body.Action + "/xlsx?" + v.Encode()
	}
	if which == "manager" {
		body.ShowDue = true
		if body.Due, err = s.dueActivities(c.UserContext(), d.User, time.Now()); err != nil {
			return err
		}
	}
	d.Body = body
	return render(c, "dashboard", d)
}

// dashFilter reads the period and pipeline pickers (unknown values fall
// back to the defaults).
func (s *handlers) dashFilter(c *fiber.Ctx, d *pageData, page string) (*dashboardBody, dashQuery, error) {
	body := &dashboardBody{Action: c.Path(), Preset: defaultPreset}
	for _, pr := range presets {
		if pr.Key == c.Query("period") {
			body.Preset = pr.Key
		}
		body.Presets = append(body.Presets, option{pr.Key, pr.Label.In(d.Lang)})
	}
	pls, err := s.Store.Pipelines(c.UserContext())
	if err != nil {
		return nil, dashQuery{}, err
	}
	for _, pl := range pls {
		if pl.Entity != "deal" {
			continue
		}
		body.Pipelines = append(body.Pipelines, option{pl.Code, pl.Name})
		if pl.Code == c.Query("pipeline") || body.Pipeline == "" && pl.Code == "sales" {
			body.Pipeline = pl.Code
		}
	}
	if body.Pipeline == "" && len(body.Pipelines) > 0 {
		body.Pipeline = body.Pipelines[0].Value
	}
	if body.From, body.To = c.Query("from"), c.Query("to"); body.From == "" || body.To == "" {
		body.From, body.To = "", ""
	}
	q := dashQuery{p: d.User, lang: d.Lang, preset: body.Preset, pl: body.Pipeline, from: body.From, to: body.To, t: d.tr, page: page}
	if page == "director" {
		if body.Managers, q.manager, err = s.managerOptions(c.UserContext(), c.Query("manager")); err != nil {
			return nil, dashQuery{}, err
		}
		if q.manager != 0 {
			body.Manager = strconv.FormatInt(q.manager, 10)
		}
	}
	return body, q, nil
}

// computedAt is a panel's "computed at" line: the answer's time in
// Moscow (a cached answer is up to VORONKA_REPORT_CACHE_TTL old).
func computedAt(at time.Time, t func(string) string) string {
	if at.IsZero() {
		return ""
	}
	return t("computed") + " " + at.In(moscow).Format("02.01.2006 15:04:05")
}
