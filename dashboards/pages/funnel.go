package pages

import (
	"context"
	"strconv"

	"github.com/voronka/voronka/reports"
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
		pn.Err = s.panelError(err, q.t)
		return pn
	}
	if q.manager != 0 {
		f.Steps = managerSteps(f, strconv.FormatInt(q.manager, 10))
	}
	pn.result = funnelTable(f, q.t)
	pn.Chart, pn.Table = funnelChart(f, q.t), viewTable(pn.result)
	pn.AsOf = computedAt(f.Meta.DataAsOf, q.t)
	pn.timing.add(f.Meta)
	return pn
}

// managerSteps are the steps of one manager's breakdown group (none when
// the manager has no deals in the cohort).
func managerSteps(f *reports.Funnel, key string) []reports.FunnelStep {
	for _, g := range f.Breakdown {
		if g.Key == key {
			return g.Steps
		}
	}
	return nil
}

// funnelTable is the funnel's steps as a table, each column with its
// definition.
func funnelTable(f *reports.Funnel, t func(string) string) *reports.Result {
	def := t("funnel_def")
	col := func(key, typ string) reports.Column {
		return reports.Column{Key: key, Label: t(key), Type: typ, Definition: def}
	}
	res := &reports.Result{Meta: f.Meta, Columns: []reports.Column{
		col("stage", reports.TypeString), col("count", reports.TypeInteger), col("amount", reports.TypeMoney),
		col("conv_prev", reports.TypePercent), col("conv_first", reports.TypePercent)}}
	for _, st := range f.Steps {
		res.Rows = append(res.Rows, []any{st.Name, st.Count, st.Amount, ratio(st.ConversionFromPrev), ratio(st.ConversionFromFirst)})
	}
	return res
}

// ratio is a nullable ratio cell (nil when undefined).
func ratio(r *float64) any {
	if r == nil {
		return nil
	}
	return *r
}
