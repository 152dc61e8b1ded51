package pages

import (
	"context"
	"strconv"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// funnelPanel runs the pipeline's funnel (reached mode, cohort created
// in the period) and shows it as an ECharts funnel with its table.
func (s *handlers) funnelPanel(ctx context.Context, q dashQuery) panel {
	pn := panel{ID: "funnel", Title: q.t("funnel"), Def: q.t("funnel_def")}
	if s.Reports == nil {
		pn.Err = q.t("unavailable")
		return pn
	}
	req := reports.FunnelRequest{Pipeline: q.pl, Period: q.period()}
	if q.manager != 0 {
		req.Breakdown = "responsible"
	}
	f, err := s.Reports.Funnel(ctx, q.p, req)
	if err != nil {
		pn.Err = s.panelError(err, q.lang)
		return pn
	}
	if q.manager != 0 {
		f = managerFunnel(f, strconv.FormatInt(q.manager, 10))
	}
	pn.result = funnelTable(f, q.lang)
	pn.Chart, pn.Table = funnelChart(f, q.lang), viewTable(pn.result, q.lang)
	pn.AsOf = computedAt(f.Meta.DataAsOf, q.lang)
	pn.timing.add(f.Meta)
	return pn
}

// managerFunnel is the funnel of one manager's breakdown group (no steps
// when the manager has no deals in the cohort).
func managerFunnel(f *reports.Funnel, key string) *reports.Funnel {
	one := *f
	one.Steps, one.Lost, one.Breakdown = nil, nil, nil
	for _, g := range f.Breakdown {
		if g.Key == key {
			one.Steps, one.Lost = g.Steps, g.Lost
		}
	}
	return &one
}

// funnelTable is the panel's table: the funnel's table as every funnel
// has it (kinds.FunnelTable, which the report kind and its XLSX show
// too), its stage, deal, amount and conversion columns.
func funnelTable(f *reports.Funnel, lang string) *reports.Result {
	return kinds.FunnelTable(f, "", lang).Select("stage_name", "count", "amount", "conversion_from_prev", "conversion_from_first")
}
