package pages

import (
	"fmt"
	"strconv"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/voronka/voronka/internal/i18n"
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
// conversion from the previous step (in lang's digits).
func funnelChart(f *reports.Funnel, lang string) chartOptions {
	c := charts.NewFunnel()
	c.SetGlobalOptions(append(baseOpts(), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
	var data []opts.FunnelData
	for _, st := range f.Steps {
		name := st.Name
		if st.ConversionFromPrev != nil {
			name = st.Name + " · " + i18n.Percent(lang, *st.ConversionFromPrev, 0)
		}
		data = append(data, opts.FunnelData{Name: name, Value: st.Count})
	}
	c.AddSeries(messages.T(lang, "funnel"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inside", Formatter: "{b}: {c}"}))
	c.Validate()
	return c.JSON()
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
	return c.JSON()
}

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
	return c.JSON()
}

// pieChart plots one result column as pie slices named by cat.
func pieChart(res *reports.Result, cat, col string) chartOptions {
	c := charts.NewPie()
	c.SetGlobalOptions(baseOpts()...)
	names, vals := categories(res, cat), values(res, col)
	var data []opts.PieData
	for i := range names {
		data = append(data, opts.PieData{Name: names[i], Value: vals[i]})
	}
	c.AddSeries(columnLabel(res, col), data)
	c.Validate()
	return c.JSON()
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
		out = append(out, cellText(r[i]))
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
