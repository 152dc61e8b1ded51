package pages

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// heatmapPanel is the activity heatmap: people × days, weeks or months
// (the report picks the grain from the period's length; the title and
// the note say which), every person with activities in the period a row,
// every bucket of the period a column, the chart as tall as its rows.
func (s *handlers) heatmapPanel(ctx context.Context, q dashQuery) panel {
	def := reports.Definition{Kind: reports.KindActivityHeatmap, Params: panelParamsJSON(panelParams{Pipeline: q.pl, Owner: q.manager})}
	pn := s.runPanel(ctx, q, "heatmap", def, func(*reports.Result) chartOptions { return nil })
	pn.Def = q.t("heatmap_def")
	if pn.result == nil {
		return pn
	}
	key, grain := heatmapGrain(pn.result)
	pn.Title = q.t("heatmap_" + grain)
	pn.Note = q.t("heatmap_note_"+grain) + " " + q.pipelineNote()
	links := heatmapLinks(q, pn.result, def, key)
	pn.result = pn.result.Select("owner_name", key, "count")
	pn.Table = viewTableUpTo(pn.result, dashRows, q.lang)
	var rows int
	pn.Chart, rows = heatmapChart(pn.result, periodBuckets(pn.result.Meta.From, pn.result.Meta.To, grain), q.t)
	pn.Height = max(320, 26*rows+130)
	if links != nil {
		pn.Table.linkColumns([]string{"count"}, func(i int) string { return links[i] }, kindDrill(q, "heatmap", def, nil, "count"))
		pn.Chart = heatmapDrills(pn.Chart, links)
	}
	return pn
}

// heatmapLinks are the drill pages of the heatmap's cells on the
// director's dashboard (nil elsewhere): each cell's activities, by row
// of res (owner, bucket key).
func heatmapLinks(q dashQuery, res *reports.Result, def reports.Definition, key string) []string {
	who, bucket := colIndex(res, "owner"), colIndex(res, key)
	if q.page != "director" || who < 0 || bucket < 0 {
		return nil
	}
	out := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = kindDrill(q, "heatmap", def, map[string]any{"owner": r[who], key: r[bucket]}, "count")
	}
	return out
}

// heatmapDrills puts each cell's drill page into its chart element (data
// item "drill", in the rows' order), where the page's script opens it on
// a click.
func heatmapDrills(o chartOptions, links []string) chartOptions {
	series, _ := o["series"].([]map[string]any)
	for _, s := range series {
		for i, d := range asList(s["data"]) {
			if dm, ok := d.(map[string]any); ok && i < len(links) {
				dm["drill"] = links[i]
			}
		}
	}
	return o
}

// weekdayWords are the days of the week from Sunday, in words.
var weekdayWords = [7]i18n.Text{i18n.T("воскресенье", "Sunday"), i18n.T("понедельник", "Monday"), i18n.T("вторник", "Tuesday"),
	i18n.T("среда", "Wednesday"), i18n.T("четверг", "Thursday"), i18n.T("пятница", "Friday"), i18n.T("суббота", "Saturday")}

// bucketWords is a heatmap bucket (its first day, 2025-01-06) in words as
// the panel means it: a day with its weekday, the week from its Monday,
// a month.
func bucketWords(lang, grain string, raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	d, err := time.ParseInLocation(time.DateOnly, s, moscow)
	switch {
	case err != nil:
		return clip(s)
	case grain == "week":
		return fmt.Sprintf(messages.T(lang, "drill_week"), i18n.Date(lang, d))
	case grain == "month":
		return i18n.Month(lang, d)
	}
	return weekdayWords[d.Weekday()].In(lang) + ", " + i18n.Date(lang, d)
}

// heatmapGrain finds the bucket column of an activity_heatmap result:
// its key (created_at_<grain>) and grain.
func heatmapGrain(res *reports.Result) (string, string) {
	for _, c := range res.Columns {
		if g, ok := strings.CutPrefix(c.Key, "created_at_"); ok {
			return c.Key, g
		}
	}
	return "created_at_day", "day"
}

// periodBuckets are the days, weeks (from Monday) or months of [from,
// to) in Moscow, as the report writes them (2025-01-31).
func periodBuckets(from, to time.Time, grain string) []string {
	b := reports.GrainStart(from.In(moscow), grain)
	step := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	switch grain {
	case "week":
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	case "month":
		step = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	}
	var out []string
	for ; b.Before(to) && len(out) < 2000; b = step(b) {
		out = append(out, b.Format(time.DateOnly))
	}
	return out
}

// heatmapChart draws a people × buckets heatmap from a result whose
// columns are the person, the bucket and the count, over the buckets
// given (a bucket of the data missing from them is added). Every cell is
// drawn at once (progressive rendering off: ECharts otherwise draws the
// first few hundred cells of a big heatmap and leaves the rest blank);
// people read top to bottom in the result's order, every name on its
// row; the buckets' labels that would overlap are left out (ECharts'
// hideOverlap). It returns the
// option and the number of rows.
func heatmapChart(res *reports.Result, buckets []string, t func(string) string) (chartOptions, int) {
	people := distinct(res, 0)
	for _, b := range distinct(res, 1) {
		if !slices.Contains(buckets, b) {
			buckets = append(buckets, b)
		}
	}
	slices.Sort(buckets)
	var data []opts.HeatMapData
	var max float64 = 1
	counts := values(res, res.Columns[2].Key)
	for i, r := range res.Rows {
		max = maxf(max, counts[i])
		data = append(data, opts.HeatMapData{Value: [3]any{slices.Index(buckets, cellText(r[1])), slices.Index(people, cellText(r[0])), counts[i]}})
	}
	c := charts.NewHeatMap()
	c.SetGlobalOptions(append(baseOpts(),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: buckets, AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: people, Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(max),
			Orient: "horizontal", Left: "center", InRange: &opts.VisualMapInRange{Color: []string{"#e8f1fb", "#1f3a5f"}}}),
	)...)
	c.AddSeries(t("heatmap"), data)
	c.Validate()
	return withoutProgressive(c.JSON()), len(people)
}

// withoutProgressive turns progressive rendering off on every series of
// o (go-echarts has no series option for it).
func withoutProgressive(o chartOptions) chartOptions {
	var series []map[string]any
	if jsonCopy(o["series"], &series) == nil {
		for _, s := range series {
			s["progressive"], s["progressiveThreshold"] = 0, 1<<30
		}
		o["series"] = series
	}
	return o
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

// jsonCopy copies v into out through JSON.
func jsonCopy(v, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
