package pages

import (
	"context"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// dashFilter reads a dashboard's filters: the period (a preset, or from
// and to, both dates), the pipeline (the activity page may take every
// pipeline), the manager (the director's and the activity page's, for
// those who see every deal; a manager's activity page is their own) and,
// on the personal dashboard, whether observed deals count. A value the
// page does not offer is never replaced by a default: body.Invalid says
// what is wrong, in the page's language, and no report runs.
func (s *handlers) dashFilter(c *fiber.Ctx, d *pageData, page string) (*dashboardBody, dashQuery, error) {
	body := &dashboardBody{Action: c.Path(), Preset: defaultPreset}
	complain := func(key string, args ...any) { body.Invalid = append(body.Invalid, fmt.Sprintf(d.tr(key), args...)) }
	periodFilter(c, body, d.Lang, complain)
	q := dashQuery{p: d.User, lang: d.Lang, t: d.tr, page: page}
	if page == "finance" { // every pipeline, the whole team, no comparison: the money reports take none
		q.preset, q.from, q.to = body.Preset, body.From, body.To
		return body, q, nil
	}
	var err error
	if q.pl, q.plName, err = s.pipelineFilter(c.UserContext(), c.Query("pipeline"), page, d.tr, body, complain); err != nil {
		return nil, dashQuery{}, err
	}
	q.preset, q.from, q.to = body.Preset, body.From, body.To
	q.compare = compareFilter(c.Query("compare"), body, d.Lang, complain) // the activity page's team compares, its heatmap says it does not
	switch {
	case page == "manager":
		personalFilter(c.Query("observed"), d.User, body, &q, complain)
	case !d.User.SeesAll():
		q.manager = d.User.UserID // a manager's activity page is their own
	default:
		if body.Managers, q.manager, err = s.managerFilter(c.UserContext(), c.Query("manager"), complain); err != nil {
			return nil, dashQuery{}, err
		}
		if q.manager != 0 {
			body.Manager = strconv.FormatInt(q.manager, 10)
		}
	}
	return body, q, nil
}

// periodFilter reads the preset and the date range (both dates or
// neither; to not before from).
func periodFilter(c *fiber.Ctx, body *dashboardBody, lang string, complain func(string, ...any)) {
	want := c.Query("period")
	for _, pr := range presets {
		body.Presets = append(body.Presets, option{pr.Key, pr.Label.In(lang)})
		if pr.Key == want {
			body.Preset = want
		}
	}
	if want != "" && body.Preset != want {
		complain("bad_period", clip(want))
	}
	body.From, body.To = c.Query("from"), c.Query("to")
	if body.From == "" && body.To == "" {
		return
	}
	if body.From == "" || body.To == "" {
		complain("half_range")
		return
	}
	from, errFrom := time.Parse(time.DateOnly, body.From)
	to, errTo := time.Parse(time.DateOnly, body.To)
	if errFrom != nil {
		complain("bad_date", clip(body.From))
	}
	if errTo != nil {
		complain("bad_date", clip(body.To))
	}
	if errFrom == nil && errTo == nil && to.Before(from) {
		complain("reversed_range")
	}
}

// compares are the comparison switch's choices: none, the period
// before, the same dates a year earlier.
var compares = []periodChoice{
	{"", i18n.T("нет", "none")},
	{reports.ComparePreviousPeriod, i18n.T("с прошлым периодом", "previous period")},
	{reports.ComparePreviousYear, i18n.T("с прошлым годом", "previous year")},
}

// compareFilter reads the comparison switch: a value it does not offer
// is named, never read as none.
func compareFilter(want string, body *dashboardBody, lang string, complain func(string, ...any)) string {
	found := false
	for _, cm := range compares {
		body.Compares = append(body.Compares, option{cm.Key, cm.Label.In(lang)})
		found = found || cm.Key == want
	}
	if !found {
		complain("bad_compare", clip(want))
		return ""
	}
	body.Compare = want
	return want
}

// pipelineFilter lists the deal pipelines and picks the one asked for:
// by default sales (or the first), on the activity page every pipeline
// (""). It returns the code and the name of the choice.
func (s *handlers) pipelineFilter(ctx context.Context, want, page string, t func(string) string, body *dashboardBody,
	complain func(string, ...any)) (string, string, error) {
	pls, err := s.Store.Pipelines(ctx)
	if err != nil {
		return "", "", err
	}
	if page == "activity" {
		body.Pipelines = append(body.Pipelines, option{"", t("all_pipelines")})
	}
	var name string
	for _, pl := range pls {
		if pl.Entity != "deal" {
			continue
		}
		body.Pipelines = append(body.Pipelines, option{pl.Code, pl.Name})
		if pl.Code == want || want == "" && page != "activity" && (body.Pipeline == "" || pl.Code == "sales") {
			body.Pipeline, name = pl.Code, pl.Name
		}
	}
	if want != "" && body.Pipeline != want {
		complain("bad_pipeline", clip(want))
	}
	return body.Pipeline, name, nil
}

// managerFilter lists the managers and finds the one asked for ("": the
// whole team).
func (s *handlers) managerFilter(ctx context.Context, want string, complain func(string, ...any)) ([]option, int64, error) {
	opts, id, found, err := s.managerOptions(ctx, want)
	if err == nil && !found {
		complain("bad_manager", clip(want))
	}
	return opts, id, err
}

// personalFilter makes q the personal dashboard of user: their own deals
// (they are responsible), or with observed=1 also the deals they
// observe, whatever their role (personalView).
func personalFilter(observed string, user domain.Principal, body *dashboardBody, q *dashQuery, complain func(string, ...any)) {
	q.personal, q.p = true, personalView(user)
	body.Personal = true
	switch observed {
	case "1":
		q.observed, body.Observed = true, true
	case "":
		q.manager = user.UserID
	default:
		complain("bad_observed", clip(observed))
	}
}

// clip shortens a value quoted back in a message.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
