package pages

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/saved"
)

// panelIDs are each dashboard's panels in order.
var panelIDs = map[string][]string{
	"director": {"funnel", "stages", "won_month", "by_source", "leaders", "heatmap"},
	"manager":  {"funnel", "stages", "won_month", "by_source"},
	"activity": {"team_activity", "heatmap"},
}

// panels runs every report of the dashboard for q.p, in parallel; a
// failing report shows its error in its panel, the others still render.
func (s *handlers) panels(ctx context.Context, q dashQuery) []panel {
	ids := panelIDs[q.page]
	out := make([]panel, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { out[i] = s.panel(ctx, q, id) })
	}
	wg.Wait()
	return out
}

// panel runs one panel's report and charts it: each with the period,
// the pipeline and the manager of q.
func (s *handlers) panel(ctx context.Context, q dashQuery, id string) panel {
	switch id {
	case "funnel":
		return s.funnelPanel(ctx, q)
	case "stages":
		pn := s.runPanel(ctx, q, id, reports.Definition{Kind: reports.KindStagePercentages,
			Params: panelParamsJSON(panelParams{Pipeline: q.pl, Responsible: q.manager})},
			func(r *reports.Result) chartOptions {
				return barChart(r, "stage_group", series{"amount", 0}, series{"weighted_amount", 0}, series{"count", 1})
			})
		if pn.result != nil { // the kind's code (open, won…) says nothing the group's name does not
			pn.Table = viewTableUpTo(without(pn.result, "stage_kind"), dashRows, q.lang)
		}
		return pn
	case "won_month":
		return s.wonPanel(ctx, q)
	case "by_source":
		return s.runPanel(ctx, q, id, withResponsible(standardDef("deals_by_source", q.pl), "responsible", q.manager),
			func(r *reports.Result) chartOptions { return pieChart(r, "source_name", "count", q.t("others")) })
	case "heatmap":
		return s.heatmapPanel(ctx, q)
	}
	return s.activityPanel(ctx, q, id)
}

// activityPanel is the team's activity (team_activity) or the manager
// leaderboard (leaders): the manager activity report over q's pipeline
// (its deals and the activities on them; every pipeline when none),
// only q's manager's row when one is chosen.
func (s *handlers) activityPanel(ctx context.Context, q dashQuery, id string) panel {
	chart := func(r *reports.Result) chartOptions { return rankChart(r, "responsible_name", "won_amount") }
	if id == "team_activity" {
		chart = func(r *reports.Result) chartOptions {
			return stackedRows(r, "responsible_name", "calls", "emails", "meetings", "tasks_done")
		}
	}
	pn := s.runPanel(ctx, q, id, reports.Definition{Kind: reports.KindManagerActivity, Params: panelParamsJSON(panelParams{Pipeline: q.pl})}, chart)
	pn.Note = q.pipelineNote()
	if id == "team_activity" && pn.result != nil {
		pn.Height = rankHeight(len(pn.result.Rows)) + 40
	}
	if id == "leaders" && pn.result != nil {
		pn.result = ranked(pn.result, "won_amount")
		pn.Table, pn.Height = viewTableUpTo(pn.result, dashRows, q.lang), rankHeight(len(pn.result.Rows))
	}
	return pn
}

// without is res without the column key (its XLSX keeps it).
func without(res *reports.Result, key string) *reports.Result {
	var keys []string
	for _, c := range res.Columns {
		if c.Key != key {
			keys = append(keys, c.Key)
		}
	}
	return res.Select(keys...)
}

// pipelineNote says which deals and activities a panel over activities
// counts.
func (q dashQuery) pipelineNote() string {
	if q.pl == "" {
		return q.t("all_note")
	}
	return fmt.Sprintf(q.t("pipeline_note"), q.plName)
}

// panelParams are the params the dashboards give report kinds.
type panelParams struct {
	Pipeline    string `json:"pipeline,omitempty"`
	Responsible int64  `json:"responsible,omitempty"`
	Owner       int64  `json:"owner,omitempty"`
}

// panelParamsJSON is p as a definition's params.
func panelParamsJSON(p panelParams) json.RawMessage {
	b, _ := json.Marshal(p)
	return b
}

// runPanel runs def over the dashboard's period and charts its result.
func (s *handlers) runPanel(ctx context.Context, q dashQuery, key string, def reports.Definition, chart func(*reports.Result) chartOptions) panel {
	pn := panel{ID: key, Title: q.t(key)}
	if s.Reports == nil {
		pn.Err = q.t("unavailable")
		return pn
	}
	per := q.period()
	if def.Period != nil {
		per.Field = def.Period.Field
	}
	def.Period, def.Lang = per, q.lang
	res, err := s.Reports.Run(ctx, q.p, &def)
	if err != nil {
		pn.Err = s.panelError(err, q.lang)
		return pn
	}
	pn.timing.add(res.Meta)
	if def.Kind == reports.KindManagerActivity {
		res = onlyResponsible(res, q.manager)
	}
	pn.result, pn.Table, pn.Chart = res, viewTableUpTo(res, dashRows, q.lang), chart(res)
	pn.AsOf = computedAt(res.Meta.DataAsOf, q.lang)
	return pn
}

// period is the dashboard's period: the date range when given (the
// engine validates it), else the preset.
func (q dashQuery) period() *reports.Period {
	if q.from != "" {
		return &reports.Period{From: q.from, To: q.to}
	}
	return &reports.Period{Preset: q.preset}
}

// standardDef is a standard report's definition restricted to pipeline
// pl (a copy: the catalog is shared).
func standardDef(id, pl string) reports.Definition {
	sr, _ := reports.Standard(id)
	d := sr.Definition
	d.Filters = append(append([]reports.Filter(nil), d.Filters...),
		reports.Filter{Field: "pipeline", Op: "eq", Value: json.RawMessage(strconv.Quote(pl))})
	return d
}

// runEntry runs the standard or saved report p asks for by id with the
// overrides o (its page).
func (s *handlers) runEntry(c *fiber.Ctx, p domain.Principal, id string, o saved.Overrides) (*reports.Result, error) {
	_, def, err := s.Saved.DefinitionWith(c.UserContext(), p, id, o)
	if err != nil {
		return nil, err
	}
	return s.Reports.Run(c.UserContext(), p, &def)
}

// withAsOf adds as_of to a report's address when one is given.
func withAsOf(v url.Values, asOf string) url.Values {
	if asOf != "" {
		v.Set("as_of", asOf)
	}
	return v
}
