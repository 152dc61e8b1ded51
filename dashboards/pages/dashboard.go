package pages

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore/stale"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
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
	Note           string // what the panel counts, when the filters alone do not say
	Chart          chartOptions
	Height         int // the chart's height in pixels (0: the stylesheet's)
	Table          *tableView
	XLSX           string // the table's download link
	AsOf           string // when its figures were computed (answers are cached a while)
	ownPeriod      bool   // its report decides its own months (plan-fact, forecast), not the page's period
	timing         panelTiming
	result         *reports.Result     // raw cells, for XLSX
	grouped        *reports.Definition // the grouped report it ran (nil for other kinds): its cells' drill pages
	Err            string
}

// dashboardBody is the director's, the manager's and the activity
// dashboard.
type dashboardBody struct {
	Action             string
	Preset, Pipeline   string
	From, To           string // a date range, overriding the preset
	Managers           []option
	Manager            string // the manager filter ("" for the team)
	Presets, Pipelines []option
	Compares           []option // the comparison switch
	Compare            string   // its choice ("" none)
	Invalid            []string // what is wrong with the filters: no report ran
	Personal           bool     // the personal dashboard: the user's own deals
	Observed           bool     // …and the deals they observe
	MyCounts           string   // the personal dashboard's own and observed deals
	MyNone             bool     // the personal dashboard of someone with no deals of their own
	Panels             []panel
	Due                []dueItem // the manager dashboard's activities due today and overdue
	DueNote            string    // how many there are, when not all are shown
	ShowDue            bool
	// Stale are the manager's own stale deals by stage (the stage named
	// on its first row), NoTask how many of their open deals have no
	// next task («Застоявшиеся сделки», crmcore/stale).
	Stale    []stale.Deal
	NoTask   int
	Weighted string // the open deals' weighted amount, "" when unknown
}

// dashQuery is the filter of one dashboard request.
type dashQuery struct {
	p                domain.Principal // whose access the reports run with (personalView on the personal dashboard)
	lang, preset, pl string
	plName           string // the pipeline's name ("" with pl)
	from, to         string
	manager          int64  // only this responsible's deals and this owner's activities; 0 for all
	personal         bool   // the personal dashboard
	observed         bool   // the personal dashboard with the deals the user observes
	compare          string // the comparison of the panels that can compare ("" none)
	t                func(string) string
	page             string // director, manager or activity
}

func (s *handlers) directorPage(c *fiber.Ctx) error {
	if server.Principal(c).Role == domain.RoleManager {
		return c.Redirect("/dashboards/manager", fiber.StatusSeeOther)
	}
	return s.dashboard(c, "director")
}

// financePage is «Финансы» (issue 19), the director's and the admin's:
// receivables by age per manager (a stacked bar) and per manager and
// company (a table), acts signed against payments received and payments
// planned against received by month of the page's period.
func (s *handlers) financePage(c *fiber.Ctx) error {
	if !server.Principal(c).CanWriteAll() {
		return apperr.New(apperr.Forbidden, "forbidden", "the finance page is the director's and the admin's")
	}
	return s.dashboard(c, "finance")
}

// activityPage is the team's activity over the period (a manager sees
// their own).
func (s *handlers) activityPage(c *fiber.Ctx) error { return s.dashboard(c, "activity") }

// managerPage is the dashboard of the signed-in user's own deals (those
// they are responsible for; with ?observed=1 also those they observe),
// whatever their role.
func (s *handlers) managerPage(c *fiber.Ctx) error { return s.dashboard(c, "manager") }

// dashboard runs the page's panels, unless its filters are wrong: then
// it says what is wrong and runs nothing.
func (s *handlers) dashboard(c *fiber.Ctx, which string) error {
	d := s.newPage(c, which)
	body, q, err := s.dashFilter(c, d, which)
	if err != nil {
		return err
	}
	d.Body = body
	if len(body.Invalid) > 0 {
		return render(c, "dashboard", d)
	}
	start := time.Now()
	body.Panels = s.panels(c.UserContext(), q)
	c.Set("Server-Timing", serverTiming(body.Panels, time.Since(start), time.Now()))
	for i := range body.Panels {
		for n, m := range body.Panels[i].timing.metas {
			d.answered(m, n == 0 && !body.Panels[i].ownPeriod)
		}
		if body.Panels[i].ID == "stages" {
			body.Weighted, _ = weightedPipeline(body.Panels[i].result, q.lang)
		}
		body.Panels[i].Chart = chartIn(body.Panels[i].Chart, q.lang, body.Panels[i].result)
		v := q.values()
		v.Set("panel", body.Panels[i].ID)
		body.Panels[i].XLSX = body.Action + "/xlsx?" + v.Encode()
	}
	if which == "manager" {
		body.ShowDue = true
		if err := s.personalFigures(c.UserContext(), q, body, d.User); err != nil {
			return err
		}
	}
	return render(c, "dashboard", d)
}

// values are the query's filters as the page's address holds them.
func (q dashQuery) values() url.Values {
	v := url.Values{"period": {q.preset}, "pipeline": {q.pl}, "from": {q.from}, "to": {q.to}}
	if q.manager != 0 && !q.personal && q.p.SeesAll() {
		v.Set("manager", strconv.FormatInt(q.manager, 10))
	}
	if q.observed {
		v.Set("observed", "1")
	}
	if q.compare != "" {
		v.Set("compare", q.compare)
	}
	return v
}

// computedAt is a panel's "computed at" line: the answer's time in
// Moscow (a cached answer is up to VORONKA_REPORT_CACHE_TTL old).
func computedAt(at time.Time, lang string) string {
	if at.IsZero() {
		return ""
	}
	return messages.T(lang, "computed") + " " + i18n.DateTime(lang, at.In(moscow)) + at.In(moscow).Format(":05")
}
