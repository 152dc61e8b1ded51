package pages

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/voronka/voronka/reports"
)

// chartOptions is an ECharts option object built with go-echarts; the
// page hands it to echarts.setOption (static/app.js).
type chartOptions = map[string]any

// baseOpts are the options every chart shares: assets from our own
// /static/vendor/ (never a CDN), tooltips and a legend.
func baseOpts() []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{AssetsHost: "/static/vendor/", Width: "100%", Height: "320px"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
		charts.WithAnimation(false),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "4%", Bottom: "60"}),
	}
}

// funnelChart draws the funnel's steps, each labelled with its count and
// conversion from the previous step.
func funnelChart(f *reports.Funnel, t func(string) string) chartOptions {
	c := charts.NewFunnel()
	c.SetGlobalOptions(append(baseOpts(), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
	var data []opts.FunnelData
	for _, st := range f.Steps {
		name := st.Name
		if st.ConversionFromPrev != nil {
			name = fmt.Sprintf("%s · %.0f%%", st.Name, *st.ConversionFromPrev*100)
		}
		data = append(data, opts.FunnelData{Name: name, Value: st.Count})
	}
	c.AddSeries(t("funnel"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Formatter: "{b}: {c}"}))
	c.Validate()
	return legibleSteps(finish(c.JSON()))
}

// legibleSteps gives each funnel step its colour of the palette and a
// label colour that reads on it (contrastText), on a chip of the step's
// colour, so a long label running past a narrow step still reads.
func legibleSteps(o chartOptions) chartOptions {
	series, _ := o["series"].([]any)
	colors, _ := o["color"].([]string)
	for _, s := range series {
		sm, _ := s.(map[string]any)
		data, _ := sm["data"].([]any)
		colors = palette(len(data))
		for i, d := range data {
			if dm, ok := d.(map[string]any); ok {
				dm["itemStyle"] = map[string]any{"color": colors[i]}
				dm["label"] = map[string]any{"color": contrastText(colors[i]), "backgroundColor": colors[i], "padding": []int{2, 5}, "borderRadius": 3}
			}
		}
	}
	o["color"] = colors
	return o
}

// series picks a column of a result to plot; Axis 1 is the right axis.
type series struct {
	Col  string
	Axis int
}

// barChart plots result columns as bars over the category column cat.
func barChart(res *reports.Result, cat string, ss ...series) chartOptions {
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 20}}))...)
	c.SetXAxis(categories(res, cat))
	extended := false
	for _, s := range ss {
		var data []opts.BarData
		for _, v := range values(res, s.Col) {
			data = append(data, opts.BarData{Value: v})
		}
		c.AddSeries(columnLabel(res, s.Col), data, charts.WithBarChartOpts(opts.BarChart{YAxisIndex: s.Axis}))
		if s.Axis == 1 && !extended {
			c.ExtendYAxis(opts.YAxis{Type: "value"})
			extended = true
		}
	}
	c.Validate()
	return finish(c.JSON())
}

// rankChart is a leaderboard: one horizontal bar per category, the
// largest value on top, the names on the left axis in full (every one,
// the chart as tall as its rows: rankHeight).
func rankChart(res *reports.Result, cat, col string) chartOptions {
	res = ranked(res, col)
	names, vals := categories(res, cat), values(res, col)
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "6%", Top: "10", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
	var data []opts.BarData
	for _, v := range vals {
		data = append(data, opts.BarData{Value: v})
	}
	c.SetXAxis(names).XYReversal()
	c.AddSeries(columnLabel(res, col), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	c.Validate()
	return finish(c.JSON())
}

// ranked is a copy of res with its rows by col, the largest first (the
// leaderboard's table reads as its chart).
func ranked(res *reports.Result, col string) *reports.Result {
	out := *res
	vals := values(res, col)
	idx := make([]int, len(res.Rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(vals[b], vals[a]) })
	out.Rows = make([][]any, len(idx))
	for n, i := range idx {
		out.Rows[n] = res.Rows[i]
	}
	return &out
}

// stackedRows is one horizontal bar per category, in the result's
// order, its series stacked (a person's activities by type), the names
// on the left axis in full: as tall as its rows (rankHeight).
func stackedRows(res *reports.Result, cat string, cols ...string) chartOptions {
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "top", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "6%", Top: "36", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
	c.SetXAxis(categories(res, cat)).XYReversal()
	for _, col := range cols {
		var data []opts.BarData
		for _, v := range values(res, col) {
			data = append(data, opts.BarData{Value: v})
		}
		c.AddSeries(columnLabel(res, col), data, charts.WithBarChartOpts(opts.BarChart{Stack: "all"}))
	}
	c.Validate()
	return finish(c.JSON())
}

// rankHeight is a leaderboard's height for n rows: 28 px a bar.
func rankHeight(n int) int { return max(200, 28*n+40) }

// lineChart plots one result column as a line over the category column.
func lineChart(res *reports.Result, cat, col string) chartOptions {
	c := charts.NewLine()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}))...)
	c.SetXAxis(categories(res, cat))
	var data []opts.LineData
	for _, v := range values(res, col) {
		data = append(data, opts.LineData{Value: v})
	}
	c.AddSeries(columnLabel(res, col), data)
	c.Validate()
	return finish(c.JSON())
}

// pieChart plots one result column as pie slices named by cat: past
// maxSeries, the largest and one slice of the others (named so), labels
// that would overlap hidden (the legend and tooltip still name them).
func pieChart(res *reports.Result, cat, col, others string) chartOptions {
	c := charts.NewPie()
	c.SetGlobalOptions(append(baseOpts(), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom", Type: "scroll"}))...)
	names, vals := topOthers(categories(res, cat), values(res, col), maxSeries, others)
	var data []opts.PieData
	for i := range names {
		data = append(data, opts.PieData{Name: names[i], Value: vals[i]})
	}
	c.AddSeries(columnLabel(res, col), data, charts.WithLabelLayoutOpts(opts.LabelLayout{HideOverlap: opts.Bool(true)}),
		charts.WithPieChartOpts(opts.PieChart{Radius: "58%", Center: []string{"50%", "45%"}}))
	c.Validate()
	return finish(c.JSON())
}

// colIndex finds a column by key (-1 when absent).
func colIndex(res *reports.Result, key string) int {
	for i, c := range res.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

func columnLabel(res *reports.Result, key string) string {
	if i := colIndex(res, key); i >= 0 {
		return res.Columns[i].Label
	}
	return key
}

// categories are a column's cells as text.
func categories(res *reports.Result, key string) []string {
	i := colIndex(res, key)
	out := make([]string, 0, len(res.Rows))
	for _, r := range res.Rows {
		if i < 0 || i >= len(r) {
			out = append(out, "")
			continue
		}
		out = append(out, cmp.Or(cellText(r[i]), "—")) // an empty name would be no legend entry
	}
	return out
}

// values are a column's cells as numbers (0 for empty cells).
func values(res *reports.Result, key string) []float64 {
	i := colIndex(res, key)
	out := make([]float64, 0, len(res.Rows))
	for _, r := range res.Rows {
		var f float64
		if i >= 0 && i < len(r) && r[i] != nil {
			f, _ = strconv.ParseFloat(fmt.Sprint(r[i]), 64)
		}
		out = append(out, f)
	}
	return out
}

// cellText renders one result cell for a table or an axis.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case time.Time:
		return x.Format("2006-01-02")
	case *float64:
		if x == nil {
			return "—"
		}
		return strconv.FormatFloat(*x, 'f', 2, 64)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
