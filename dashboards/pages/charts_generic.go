package pages

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/voronka/voronka/reports"
)

// genericChart charts any result by its chart type: the first column
// that is not a number is the category. A pivot's series are all its
// cells' columns (<measure>|<value>, one per column value and measure;
// the row totals are left out); otherwise every measure column (numeric,
// with a definition, after the first skip columns: the dimensions) is a
// series. Counts beside money go on a right axis. "table" and results
// without a category or a series give no chart; a pie shows the first
// series (a pivot's first row total). A pivot of more than maxSeries
// column values draws, per measure, the largest and one series of the
// others (topPivot).
func genericChart(res *reports.Result, typ string, skip int, t func(string) string) chartOptions {
	if typ == "" || typ == "table" || res == nil {
		return nil
	}
	cat, ss, totals := chartSeries(res, skip)
	if cat == "" || len(ss) == 0 {
		return nil
	}
	res, ss = topPivot(res, ss, t("others"))
	switch typ {
	case "pie":
		if len(totals) > 0 {
			return pieChart(res, cat, totals[0].Col, t("others"))
		}
		return pieChart(res, cat, ss[0].Col, t("others"))
	case "line", "area":
		return linesChart(res, cat, ss, typ == "area")
	}
	return barsChart(res, cat, ss, typ == "stacked_bar")
}

// chartSeries finds the category column and the series of a result,
// and a pivot's row totals (nil for other results). The category is the
// first text column, or its name when the next text columns before the
// first number hold it (a stage's name, not its code). Series take two types at most,
// one per axis: a kind's other figures (ratios, hours) stay in its table.
func chartSeries(res *reports.Result, skip int) (cat string, ss, totals []series) {
	pivot, lead := false, true
	for _, c := range res.Columns {
		pivot = pivot || strings.Contains(c.Key, "|")
	}
	var types []string
	changes := map[string]bool{} // a compared answer's k_change: its table's, no series
	if res.Meta.Compared != nil {
		for _, c := range changeColumns(res.Columns) {
			changes[c.Key] = c.Type == typeChange
		}
	}
	for i, c := range res.Columns {
		numeric := c.Type == reports.TypeInteger || c.Type == reports.TypeMoney || c.Type == reports.TypeNumber || c.Type == reports.TypePercent
		switch {
		case changes[c.Key]:
		case !numeric && (cat == "" || (lead && (c.Key == "name" || c.Key == cat+"_name"))):
			cat = c.Key
		case !numeric:
		case pivot && !strings.Contains(c.Key, "|"):
			totals = append(totals, series{Col: c.Key})
		case pivot || (i >= skip && c.Definition != ""):
			if !slices.Contains(types, c.Type) && len(types) < 2 {
				types = append(types, c.Type)
			}
			if axis := slices.Index(types, c.Type); axis >= 0 {
				ss = append(ss, series{Col: c.Key, Axis: axis})
			}
		}
		lead = lead && !numeric
	}
	if res.Meta.Compared != nil {
		ss = pairPrevious(ss)
	}
	return cat, ss, totals
}

// pairPrevious are a compared answer's series, each measure followed by
// its previous period (k_prev, Of k).
func pairPrevious(ss []series) []series {
	cols := map[string]series{}
	for _, s := range ss {
		cols[s.Col] = s
	}
	var out []series
	for _, s := range ss {
		base, isPrev := strings.CutSuffix(s.Col, "_prev")
		if _, ok := cols[base]; isPrev && ok {
			continue // drawn after its measure
		}
		out = append(out, s)
		if p, ok := cols[s.Col+"_prev"]; ok {
			p.Of, p.Axis = s.Col, s.Axis
			out = append(out, p)
		}
	}
	return out
}

// barsChart plots every series as bars over the category column,
// stacked when asked.
func barsChart(res *reports.Result, cat string, ss []series, stacked bool) chartOptions {
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom", Type: "scroll"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 20}}))...)
	c.SetXAxis(categories(res, cat))
	for _, s := range ss {
		var data []opts.BarData
		for _, v := range values(res, s.Col) {
			data = append(data, opts.BarData{Value: v})
		}
		bar := opts.BarChart{YAxisIndex: s.Axis}
		if stacked {
			bar.Stack = "axis" + string(rune('0'+s.Axis))
		}
		if stacked && s.Of != "" { // the previous period's stack beside the current one's
			bar.Stack = "prev" + bar.Stack
		}
		c.AddSeries(columnLabel(res, s.Col), data, charts.WithBarChartOpts(bar))
	}
	extendAxis(ss, c.ExtendYAxis)
	c.Validate()
	return withPrevious(finish(c.JSON()), res, ss)
}

// linesChart plots every series as a line over the category column,
// filled below for an area chart.
func linesChart(res *reports.Result, cat string, ss []series, area bool) chartOptions {
	c := charts.NewLine()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom", Type: "scroll"}))...)
	c.SetXAxis(categories(res, cat))
	for _, s := range ss {
		var data []opts.LineData
		for _, v := range values(res, s.Col) {
			data = append(data, opts.LineData{Value: v})
		}
		so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{YAxisIndex: s.Axis})}
		if area {
			so = append(so, charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.3)}))
		}
		c.AddSeries(columnLabel(res, s.Col), data, so...)
	}
	extendAxis(ss, c.ExtendYAxis)
	c.Validate()
	return withPrevious(finish(c.JSON()), res, ss)
}

// extendAxis adds the right axis when a series needs it.
func extendAxis(ss []series, extend func(...opts.YAxis)) {
	for _, s := range ss {
		if s.Axis == 1 {
			extend(opts.YAxis{Type: "value"})
			return
		}
	}
}

// maxSeries is how many series (a pie's slices) a chart draws at most:
// past it, the largest maxSeries-1 are drawn and the rest summed into
// one "others" (topOthers).
const maxSeries = 12

// topN splits the indexes of weights into those drawn, the n-1 largest in
// their own order, and the rest, when there are more than n; otherwise
// every index is drawn.
func topN(weights []float64, n int) (kept, rest []int) {
	idx := make([]int, len(weights))
	for i := range idx {
		idx[i] = i
	}
	if len(weights) <= n {
		return idx, nil
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(weights[b], weights[a]) })
	kept, rest = idx[:n-1], idx[n-1:]
	slices.Sort(kept)
	return kept, rest
}

// topOthers is names and values with, past n, the smallest summed into
// one entry named others (with how many it holds).
func topOthers(names []string, vals []float64, n int, others string) ([]string, []float64) {
	kept, rest := topN(vals, n)
	var outN []string
	var outV []float64
	for _, i := range kept {
		outN, outV = append(outN, names[i]), append(outV, vals[i])
	}
	if len(rest) > 0 {
		var sum float64
		for _, i := range rest {
			sum += vals[i]
		}
		outN, outV = append(outN, fmt.Sprintf("%s (%d)", others, len(rest))), append(outV, sum)
	}
	return outN, outV
}

// topPivot keeps, per measure of a pivot, the series of the maxSeries-1
// column values largest over all rows and sums the rest into one series
// "<others> (n) · <measure>" (topN, as a pie's slices), after the kept
// ones in their order; res gains those columns. Results that are not
// pivots, or pivots of few values, stay as they are.
func topPivot(res *reports.Result, ss []series, others string) (*reports.Result, []series) {
	var measures []string
	groups := map[string][]series{}
	for _, s := range ss {
		m, _, ok := strings.Cut(s.Col, "|")
		if !ok {
			return res, ss
		}
		if _, seen := groups[m]; !seen {
			measures = append(measures, m)
		}
		groups[m] = append(groups[m], s)
	}
	out := *res
	out.Columns = slices.Clone(res.Columns)
	out.Rows = make([][]any, len(res.Rows))
	for i, r := range res.Rows {
		out.Rows[i] = slices.Clone(r)
	}
	keep := map[string]bool{}
	var extra []series
	for _, m := range measures {
		g := groups[m]
		weights := make([]float64, len(g))
		for i, s := range g {
			for _, v := range values(res, s.Col) {
				weights[i] += v
			}
		}
		top, rest := topN(weights, maxSeries)
		for _, i := range top {
			keep[g[i].Col] = true
		}
		if len(rest) == 0 {
			continue
		}
		first := res.Columns[colIndex(res, g[rest[0]].Col)]
		_, measure, _ := strings.Cut(first.Label, " · ")
		key := m + "|\x00others"
		out.Columns = append(out.Columns, reports.Column{Key: key, Type: first.Type, Definition: first.Definition,
			Label: strings.TrimSuffix(fmt.Sprintf("%s (%d) · %s", others, len(rest), measure), " · ")})
		sums := make([]float64, len(res.Rows))
		for _, i := range rest {
			for n, v := range values(res, g[i].Col) {
				sums[n] += v
			}
		}
		for n := range out.Rows {
			out.Rows[n] = append(out.Rows[n], sums[n])
		}
		extra = append(extra, series{Col: key, Axis: g[0].Axis})
	}
	if len(extra) == 0 {
		return res, ss
	}
	var kept []series
	for _, s := range ss {
		if keep[s.Col] {
			kept = append(kept, s)
		}
	}
	return &out, append(kept, extra...)
}
