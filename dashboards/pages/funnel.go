package pages

import (
	"context"
	"strconv"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
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
	req := reports.FunnelRequest{Pipeline: q.pl, Period: q.period(), Compare: q.compare}
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
	pn.result = comparedFunnel(funnelTable(f, q.lang), f, q.lang)
	pn.Chart, pn.Table = funnelChart(f, q.lang), viewTable(pn.result, q.lang)
	if q.page == "director" || q.page == "manager" {
		links := funnelLinks(q, req, f)
		pn.Chart = drillSteps(pn.Chart, links)
		if len(pn.Table.Rows) == len(links) {
			pn.Table.linkColumns([]string{"count"}, func(i int) string { return links[i] }, "")
			if prev := funnelPrevLinks(q, req, f); prev != nil {
				pn.Table.addLinks([]string{"count_prev"}, func(i int) string { return prev[i] }, "")
			}
		}
	}
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

// comparedFunnel is a compared funnel's table: res with, for each
// step, the previous period's deals and amount and their change, and
// its conversion from the first step (the API's count_prev,
// amount_prev, conversion_from_first_prev); res as it is without a
// comparison.
func comparedFunnel(res *reports.Result, f *reports.Funnel, lang string) *reports.Result {
	if f.Meta.Compared == nil || len(res.Rows) != len(f.Steps) {
		return res
	}
	which := prevWords(f.Meta.Compared.Mode)
	out := *res
	out.Meta.Compared = f.Meta.Compared
	for _, key := range []string{"count", "amount", "conversion_from_first"} {
		col := res.Columns[colIndex(res, key)]
		prev := col
		prev.Key, prev.LabelRU, prev.LabelEN = key+"_prev", col.LabelRU+" ("+which.RU+")", col.LabelEN+" ("+which.EN+")"
		prev.Label = i18n.T(prev.LabelRU, prev.LabelEN).In(lang)
		prev.Definition = col.Definition + " " + messages.T(lang, "funnel_prev_def")
		out.Columns = append(out.Columns, prev)
		if key != "conversion_from_first" { // a change of a share is no figure anyone reads
			ch := reports.Column{Key: key + "_change", Type: reports.TypePercent, LabelRU: col.LabelRU + ": изменение", LabelEN: col.LabelEN + ": change"}
			ch.Label, ch.Definition = i18n.T(ch.LabelRU, ch.LabelEN).In(lang), messages.T(lang, "change_def")
			out.Columns = append(out.Columns, ch)
		}
	}
	out.Rows = make([][]any, len(res.Rows))
	for i, r := range res.Rows {
		st := f.Steps[i]
		var count, amount any
		if st.CountPrev != nil {
			count = *st.CountPrev
		}
		if st.AmountPrev != nil {
			amount = *st.AmountPrev
		}
		out.Rows[i] = append(append([]any(nil), r...), count, ratioChange(st.Count, count), amount, ratioChange(st.Amount, amount),
			nullableRatio(st.ConversionFromFirstPrev))
	}
	return &out
}

// ratioChange is (now − before) ÷ before, nil when before is nil or 0
// (as the API's k_change).
func ratioChange(now, before any) any {
	b, ok := number(before)
	if before == nil || !ok || b == 0 {
		return nil
	}
	n, _ := number(now)
	return (n - b) / b
}

// nullableRatio is a ratio cell (nil stays nil).
func nullableRatio(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// prevWords names the compared period in a column's label, as the
// engine's _prev columns do: «пред. период», «год назад».
func prevWords(mode string) i18n.Text {
	if mode == reports.ComparePreviousYear {
		return messages["cmp_prev_year"]
	}
	return messages["cmp_prev_period"]
}

// funnelLinks are the drill pages of the funnel's steps: the deals that
// reached each (of the chosen manager's breakdown group when one is),
// under the dashboard's period, pipeline and access.
func funnelLinks(q dashQuery, req reports.FunnelRequest, f *reports.Funnel) []string {
	req.Compare = ""
	return stepLinks(q, req, f, "")
}

// funnelPrevLinks are the drill pages of a compared funnel's previous
// counts (count_prev): the deals that reached each step in the
// compared period (engine.PreviousFunnel, as the API drills them); nil
// without a comparison.
func funnelPrevLinks(q dashQuery, req reports.FunnelRequest, f *reports.Funnel) []string {
	prev, ok := engine.PreviousFunnel(req, f.Meta.Compared)
	if !ok {
		return nil
	}
	return stepLinks(q, prev, f, f.Meta.Compared.Mode)
}

// stepLinks are the drill pages of the deals that reached each of f's
// steps under req (of the chosen manager's breakdown group when one is);
// prev names the comparison when req is the previous period's.
func stepLinks(q dashQuery, req reports.FunnelRequest, f *reports.Funnel, prev string) []string {
	var key *string
	if q.manager != 0 {
		k := strconv.FormatInt(q.manager, 10)
		key = &k
	}
	out := make([]string, len(f.Steps))
	for i, st := range f.Steps {
		r := kinds.FunnelDrillRequest{FunnelRequest: req, Step: st.Stage, Which: kinds.DrillReached, BreakdownKey: key}
		out[i] = drillURL(drillAsk{From: q.page, Panel: "funnel", Back: q.values().Encode(), Prev: prev, Funnel: &r})
	}
	return out
}

// drillSteps puts each step's drill page into its chart element (data
// item "drill", element i of every series links[i]), where the page's
// script opens it on a click.
func drillSteps(o chartOptions, links []string) chartOptions {
	return drillChart(o, func(_ string, i int, _ string) string {
		if i < len(links) {
			return links[i]
		}
		return ""
	})
}
