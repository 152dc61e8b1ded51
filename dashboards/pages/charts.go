package pages

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
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
	return previousSteps(legibleSteps(finish(c.JSON())), f, lang)
}

// previousSteps writes a compared funnel's previous counts into its
// steps' labels: «Презентация · 45 %: 120 (пред. 100)» (a funnel of the
// previous period drawn behind would hide where it is the narrower).
func previousSteps(o chartOptions, f *reports.Funnel, lang string) chartOptions {
	if f.Meta.Compared == nil {
		return o
	}
	short := messages.T(lang, "funnel_prev_"+f.Meta.Compared.Mode)
	for _, s := range asList(o["series"]) {
		sm, _ := s.(map[string]any)
		for i, d := range asList(sm["data"]) {
			dm, _ := d.(map[string]any)
			label, _ := dm["label"].(map[string]any)
			if i >= len(f.Steps) || label == nil || f.Steps[i].CountPrev == nil {
				continue
			}
			st := f.Steps[i]
			label["formatter"] = fmt.Sprintf("%s: %s (%s %s)", dm["name"], i18n.Integer(lang, st.Count), short, i18n.Integer(lang, *st.CountPrev))
		}
	}
	return o
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
// Of names the column a previous-period series (k_prev) is compared
// with: it is drawn in that series' colour, lighter (withPrevious).
type series struct {
	Col  string
	Axis int
	Of   string
}

// prevOpacity is how opaque a previous period's series is drawn.
const prevOpacity = 0.4

// withPrevious gives each series of a chart its own colour of the
// palette, and each previous-period series of ss the colour of the
// series it is compared with, lighter (bars and points at prevOpacity,
// a dashed line): the legend shows the pair.
func withPrevious(o chartOptions, res *reports.Result, ss []series) chartOptions {
	of := map[string]string{} // a previous series' name → its current series' name
	for _, s := range ss {
		if s.Of != "" {
			of[columnLabel(res, s.Col)] = columnLabel(res, s.Of)
		}
	}
	if len(of) == 0 {
		return o
	}
	list := asList(o["series"])
	colours, own := palette(len(list)), map[string]string{}
	var used []string
	for _, s := range list {
		sm, _ := s.(map[string]any)
		name, _ := sm["name"].(string)
		if _, prev := of[name]; !prev {
			own[name] = colours[len(own)]
		}
	}
	for _, s := range list {
		sm, _ := s.(map[string]any)
		name, _ := sm["name"].(string)
		colour, opacity := own[name], 1.0
		if base, prev := of[name]; prev {
			colour, opacity = cmp.Or(own[base], colours[0]), prevOpacity
			if sm["type"] == "line" {
				sm["lineStyle"] = map[string]any{"color": colour, "opacity": 0.7, "type": "dashed"}
			}
		}
		sm["itemStyle"] = map[string]any{"color": colour, "opacity": opacity}
		used = append(used, colour)
	}
	o["color"] = used
	return o
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
// on the left axis in full: as tall as its rows (rankHeight). A compared
// answer has a second, lighter stack under each bar: the same columns
// of the period before (k_prev in the colour of k; comparedHeight).
func stackedRows(res *reports.Result, cat string, cols ...string) chartOptions {
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "top", Type: "scroll"}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "6%", Top: "36", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
	c.SetXAxis(categories(res, cat)).XYReversal()
	var ss []series
	for _, col := range cols {
		ss = append(ss, series{Col: col})
	}
	if res.Meta.Compared != nil {
		for _, col := range cols {
			if colIndex(res, col+"_prev") >= 0 {
				ss = append(ss, series{Col: col + "_prev", Of: col})
			}
		}
	}
	for _, s := range ss {
		var data []opts.BarData
		for _, v := range values(res, s.Col) {
			data = append(data, opts.BarData{Value: v})
		}
		stack := "all"
		if s.Of != "" {
			stack = "prev"
		}
		c.AddSeries(columnLabel(res, s.Col), data, charts.WithBarChartOpts(opts.BarChart{Stack: stack, BarGap: "10%"}))
	}
	c.Validate()
	if res.Meta.Compared == nil {
		return ownGrid(finish(c.JSON()))
	}
	return ownGrid(pairedColours(finish(c.JSON()), res, cols))
}

// ownGrid keeps only a chart's own grid, the last one given: go-echarts
// lists baseOpts' grid first, and the series are drawn in the first.
func ownGrid(o chartOptions) chartOptions {
	if g := asList(o["grid"]); len(g) > 1 {
		o["grid"] = g[len(g)-1]
	}
	return o
}

// pairedColours gives the series of each column of cols, and of its
// previous period (k_prev), the column's own colour of the palette, the
// previous lighter: by the column, not by the series drawn (finish
// leaves out a series of zeros, which would shift the colours).
func pairedColours(o chartOptions, res *reports.Result, cols []string) chartOptions {
	pal := palette(len(cols))
	var used []string
	for _, s := range asList(o["series"]) {
		sm, _ := s.(map[string]any)
		for i, col := range cols {
			opacity := 0.0
			switch sm["name"] {
			case columnLabel(res, col):
				opacity = 1
			case columnLabel(res, col+"_prev"):
				opacity = prevOpacity
			}
			if opacity > 0 {
				sm["itemStyle"] = map[string]any{"color": pal[i], "opacity": opacity}
				used = append(used, pal[i])
			}
		}
	}
	o["color"] = used
	return o
}

// comparedRankChart is rankChart with the previous period: per
// category (the largest current value on top) a bar of col and, beside
// it, a lighter one of col_prev; room on the right for the labels of
// the longest bars (a sum in roubles).
func comparedRankChart(res *reports.Result, cat, col string) chartOptions {
	res = ranked(res, col)
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "top"}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "14%", Top: "36", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
	c.SetXAxis(categories(res, cat)).XYReversal()
	ss := []series{{Col: col}, {Col: col + "_prev", Of: col}}
	for _, s := range ss {
		var data []opts.BarData
		for _, v := range values(res, s.Col) {
			data = append(data, opts.BarData{Value: v})
		}
		c.AddSeries(columnLabel(res, s.Col), data, charts.WithBarChartOpts(opts.BarChart{BarGap: "10%"}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	}
	c.Validate()
	return ownGrid(withPrevious(finish(c.JSON()), res, ss))
}

// comparedHeight is comparedRankChart's height for n categories: two
// bars each, and the legend.
func comparedHeight(n int) int { return max(220, 40*n+60) }

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

// basePalette are twenty colours told apart at a glance (Tableau's
// twenty: ten strong, ten light), the first ones for the first series.
var basePalette = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
	"#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
}

// palette is at least n distinct colours: the base twenty, then hues a
// golden angle apart (ECharts repeats its nine colours past the ninth
// series, so two series would share one).
func palette(n int) []string {
	out := slices.Clone(basePalette)
	for i := 0; len(out) < n; i++ {
		h := math.Mod(float64(i)*137.508, 360)
		c := hsl(h, 0.55+0.25*float64(i%3)/2, 0.35+0.2*float64(i%2))
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// hsl is a colour by hue (degrees), saturation and lightness (0…1) as #rrggbb.
func hsl(h, s, l float64) string {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round((r+m)*255)), int(math.Round((g+m)*255)), int(math.Round((b+m)*255)))
}

// finish makes a chart's option honest about what it draws: bars of a
// series that is zero throughout draw nothing, and pie slices of zero
// neither, so both leave the chart; the legend lists exactly the series
// (a pie's slices) drawn; the palette has a colour for each of them.
func finish(o chartOptions) chartOptions {
	var m map[string]any
	if jsonCopy(o, &m) != nil {
		return o
	}
	series, _ := m["series"].([]any)
	var kept []any
	var names []string
	for _, s := range series {
		sm, _ := s.(map[string]any)
		data, _ := sm["data"].([]any)
		switch sm["type"] {
		case "pie":
			var slices []any
			for _, d := range data {
				if dm, _ := d.(map[string]any); dataValue(dm) != 0 {
					slices = append(slices, d)
					names = append(names, fmt.Sprint(dm["name"]))
				}
			}
			sm["data"] = slices
		case "bar":
			if !anyNonZero(data) {
				continue
			}
			names = append(names, fmt.Sprint(sm["name"]))
		default:
			names = append(names, fmt.Sprint(sm["name"]))
		}
		kept = append(kept, sm)
	}
	m["series"] = kept
	if lg, ok := m["legend"].(map[string]any); ok && lg["show"] == true {
		lg["data"] = names
	}
	m["color"] = palette(len(names))
	return m
}

// dataValue is a data item's value (0 when it has none or it is not a
// number).
func dataValue(d map[string]any) float64 {
	f, _ := d["value"].(float64)
	return f
}

// anyNonZero reports whether a bar series has a bar to draw.
func anyNonZero(data []any) bool {
	for _, d := range data {
		if dm, _ := d.(map[string]any); dataValue(dm) != 0 {
			return true
		}
	}
	return false
}

// contrastText is the label colour legible on background bg (#rrggbb):
// black or white, whichever contrasts more (WCAG's luminance): on any
// colour one of them reaches 4.58:1, past the 4.5 WCAG asks of text.
func contrastText(bg string) string {
	if contrast(luminance(bg), 0) >= contrast(luminance(bg), 1) {
		return "#000000"
	}
	return "#ffffff"
}

// luminance is a #rrggbb colour's relative luminance (WCAG 2).
func luminance(hex string) float64 {
	var r, g, b int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	lin := func(v int) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(a, b float64) float64 {
	return (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05)
}

// drillChart puts drill pages into a chart's elements: the data item of
// series (by name) at index i, named name (its category on the category
// axis, or a pie slice's name), gets link(series, i, name) ("" none) as
// its member "drill", which static/app.js opens on a click. A plain
// value item becomes {value, drill}.
func drillChart(o chartOptions, link func(series string, i int, name string) string) chartOptions {
	var cats []any
	for _, key := range []string{"xAxis", "yAxis"} {
		for _, axis := range asList(o[key]) {
			if a, ok := axis.(map[string]any); ok && len(cats) == 0 {
				cats = asList(a["data"])
			}
		}
	}
	for _, s := range asList(o["series"]) {
		sm, _ := s.(map[string]any)
		name, _ := sm["name"].(string)
		data, _ := sm["data"].([]any)
		for i, d := range data {
			dm, ok := d.(map[string]any)
			if !ok {
				dm = map[string]any{"value": d}
			}
			cat, _ := dm["name"].(string)
			if i < len(cats) && cat == "" {
				cat = fmt.Sprint(cats[i])
			}
			if u := link(name, i, cat); u != "" {
				dm["drill"] = u
				data[i] = dm
			}
		}
	}
	return o
}

// drillRows links the elements of a chart drawn from res's rows, its
// categories (axis or slices) named by res's first column: an element
// named as row i's first cell (its text, or a date's month, 2026-03,
// as the year-over-year line names it) opens row(i); of a series of
// the previous period (a _prev column's) prev(i). One whose id is
// "previous" (the year before, its own run: won.go) and a slice of the
// others stay unlinked here.
func drillRows(o chartOptions, res *reports.Result, row, prev func(i int) string) chartOptions {
	if o == nil || res == nil || len(res.Columns) == 0 {
		return o
	}
	byName := map[string]int{}
	for i, r := range res.Rows {
		s := cmp.Or(cellText(r[0]), "—") // as categories names an empty one
		byName[s] = i
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			byName[t.Format("2006-01")] = i
		}
	}
	previous, other := map[string]bool{}, map[string]bool{}
	for _, c := range res.Columns {
		if strings.HasSuffix(c.Key, "_prev") {
			previous[c.Label] = true
		}
	}
	for _, s := range asList(o["series"]) {
		if sm, _ := s.(map[string]any); sm["id"] == "previous" {
			other[fmt.Sprint(sm["name"])] = true
		}
	}
	return drillChart(o, func(series string, _ int, name string) string {
		i, ok := byName[name]
		switch {
		case !ok || other[series]:
			return ""
		case previous[series]:
			return prev(i)
		}
		return row(i)
	})
}
