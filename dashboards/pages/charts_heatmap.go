package pages

import (
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/voronka/voronka/reports"
)

// heatmapChart draws a people × days heatmap from a result whose first
// two columns are the person and the day and whose third is the count.
func heatmapChart(res *reports.Result, t func(string) string) chartOptions {
	people, days := distinct(res, 0), distinct(res, 1)
	slices.Sort(days)
	var data []opts.HeatMapData
	var max float64 = 1
	for _, r := range res.Rows {
		if len(r) < 3 {
			continue
		}
		v := values(&reports.Result{Columns: res.Columns[2:3], Rows: [][]any{r[2:3]}}, res.Columns[2].Key)[0]
		max = maxf(max, v)
		data = append(data, opts.HeatMapData{Value: [3]any{slices.Index(days, cellText(r[1])), slices.Index(people, cellText(r[0])), v}})
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(append(baseOpts(),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: days}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: people}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(max),
			Orient: "horizontal", Left: "center", InRange: &opts.VisualMapInRange{Color: []string{"#e8f1fb", "#1f3a5f"}}}),
	)...)
	c.AddSeries(t("heatmap"), data)
	c.Validate()
	return c.JSON()
}

// distinct lists a column's values as text, in first-seen order.
func distinct(res *reports.Result, col int) []string {
	var out []string
	for _, r := range res.Rows {
		if col < len(r) && !slices.Contains(out, cellText(r[col])) {
			out = append(out, cellText(r[col]))
		}
	}
	return out
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
