package pages

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// wonPanel is the won amount by month of the period, with the same
// months a year earlier as a second line; with a comparison, the
// compared period's months instead, a lighter line. Every point of
// either line opens its month's records.
func (s *handlers) wonPanel(ctx context.Context, q dashQuery) panel {
	if q.compare != "" {
		def := withResponsible(standardDef("won_by_month", q.pl), "responsible", q.manager)
		def.Compare = q.compare
		pn := s.runPanel(ctx, q, "won_month", def, func(r *reports.Result) chartOptions {
			return linesChart(r, "closed_at_month", []series{{Col: "amount_sum"}, {Col: "amount_sum_prev", Of: "amount_sum"}}, false)
		})
		pn.Def = q.t("won_def_compared")
		return pn
	}
	pn := s.runPanel(ctx, q, "won_month", withResponsible(standardDef("won_by_month", q.pl), "responsible", q.manager),
		func(r *reports.Result) chartOptions { return lineChart(r, "closed_at_month", "amount_sum") })
	pn.Def = q.t("won_def")
	if pn.result == nil || pn.result.Meta.From.IsZero() {
		return pn
	}
	def := withResponsible(standardDef("won_by_month", q.pl), "responsible", q.manager)
	def.Period = &reports.Period{Field: "closed_at",
		From: pn.result.Meta.From.AddDate(-1, 0, 0).Format(time.RFC3339), To: pn.result.Meta.To.AddDate(-1, 0, 0).Format(time.RFC3339)}
	def.Lang = q.lang
	prev, err := s.Reports.Run(ctx, q.p, &def)
	if err != nil {
		pn.Err = s.panelError(err, q.lang)
		return pn
	}
	pn.timing.add(prev.Meta)
	pn.Chart = yearBeforeLinks(q, yearOverYear(pn.result, prev, q.t), &def, prev)
	return pn
}

// yearBeforeLinks links the year-before line's points (a month of the
// period, its amount the same month a year earlier) to that month's
// records: def, the year-before run, narrowed to the month prev's row
// holds; the breadcrumb says it is a year before.
func yearBeforeLinks(q dashQuery, o chartOptions, def *reports.Definition, prev *reports.Result) chartOptions {
	if len(prev.Columns) == 0 || q.page != "director" && q.page != "manager" {
		return o
	}
	byMonth := map[string]json.RawMessage{}
	for _, r := range prev.Rows {
		if tm, err := time.Parse(time.DateOnly, cellText(r[0])); err == nil {
			b, _ := json.Marshal(deref(r[0]))
			byMonth[tm.AddDate(1, 0, 0).Format("2006-01")] = b
		}
	}
	return drillChart(o, func(series string, _ int, name string) string {
		raw, ok := byMonth[name]
		if series != q.t("year_before") || !ok {
			return ""
		}
		return drillURL(drillAsk{From: q.page, Panel: "won_month", Back: q.values().Encode(), Prev: reports.ComparePreviousYear,
			Report: &kinds.DrillRequest{Definition: def, Cell: map[string]json.RawMessage{prev.Columns[0].Key: raw}}})
	})
}

// yearOverYear draws two lines by month: cur and prev shifted a year on.
func yearOverYear(cur, prev *reports.Result, t func(string) string) chartOptions {
	month := func(v any, shift int) string {
		s := cellText(v)
		if tm, err := time.Parse("2006-01-02", s); err == nil {
			return tm.AddDate(shift, 0, 0).Format("2006-01")
		}
		return s
	}
	byMonth := func(res *reports.Result, shift int) map[string]float64 {
		out := map[string]float64{}
		vals := values(res, "amount_sum")
		for i, r := range res.Rows {
			out[month(r[0], shift)] += vals[i]
		}
		return out
	}
	a, b := byMonth(cur, 0), byMonth(prev, 1)
	var months []string
	for _, m := range []map[string]float64{a, b} {
		for k := range m {
			if !slices.Contains(months, k) {
				months = append(months, k)
			}
		}
	}
	slices.Sort(months)
	c := charts.NewLine()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))...)
	c.SetXAxis(months)
	for _, s := range []struct {
		name string
		m    map[string]float64
	}{{t("this_period"), a}, {t("year_before"), b}} {
		var data []opts.LineData
		for _, m := range months {
			data = append(data, opts.LineData{Value: s.m[m]})
		}
		c.AddSeries(s.name, data)
	}
	c.Validate()
	o := finish(c.JSON())
	for _, s := range asList(o["series"]) { // another run's: its points open its own drill (yearBeforeLinks), not the row's (drillRows)
		if sm, _ := s.(map[string]any); sm["name"] == t("year_before") {
			sm["id"] = "previous"
		}
	}
	return o
}
