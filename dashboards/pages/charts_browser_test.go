package pages_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// chartsFixture adds to ReportFixture and ActivityFixture fourteen more
// managers «Менеджер g …» (g = 1…14), each with one won deal of (9g mod
// 14 + 1) × 1000 ₽ (every amount from 1000 to 14000 once, not in g's
// order) and g calls about it on g January 2025; and five more sources (sixteen
// in all), the k-th source in code order on k new deals of manager2's.
const chartsFixture = `
INSERT INTO users (email, name, role, password_hash)
SELECT 'm' || g || '@test.local', 'Менеджер ' || g || ' Длиннофамильный-Двойной', 'manager', 'x' FROM generate_series(1, 14) AS g;
INSERT INTO sources (code, name) SELECT 'src' || g, 'Источник ' || g FROM generate_series(1, 5) AS g;
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
SELECT 'В-' || g, p.id, s.id, (9 * g %% 14 + 1) * 1000, 'RUB', u.id, '2025-01-05 10:00+03', '2025-01-20 10:00+03', '2025-01-20 10:00+03'
FROM generate_series(1, 14) AS g JOIN users u ON u.email = 'm' || g || '@test.local'
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'won';
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, source, created_at, updated_at)
SELECT 'И-' || src.code || '-' || n, p.id, s.id, 100, 'RUB', %[2]d, src.code, '2025-01-12 10:00+03', '2025-01-12 10:00+03'
FROM (SELECT code, row_number() OVER (ORDER BY code) AS k FROM sources) AS src
JOIN generate_series(1, 16) AS n ON n <= src.k
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'new';
INSERT INTO activities (type, subject, owner_id, deal_id, direction, done_at, created_at, updated_at)
SELECT 'call', 'Звонок', u.id, d.id, 'out', x.at, x.at, x.at
FROM generate_series(1, 14) AS g JOIN users u ON u.email = 'm' || g || '@test.local' JOIN deals d ON d.title = 'В-' || g
JOIN generate_series(1, 14) AS n ON n <= g
CROSS JOIN LATERAL (SELECT ('2025-01-' || lpad(g::text, 2, '0') || ' 10:00+03')::timestamptz AS at) AS x`

// echartsOption is the option ECharts holds for a panel's chart.
type echartsOption struct {
	Color  []string `json:"color"`
	Legend []struct {
		Data []any `json:"data"`
		Show *bool `json:"show"`
	} `json:"legend"`
	Series []struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		Data        []any  `json:"data"`
		LabelLayout struct {
			HideOverlap bool `json:"hideOverlap"`
		} `json:"labelLayout"`
	} `json:"series"`
	XAxis []echartsAxis `json:"xAxis"`
	YAxis []echartsAxis `json:"yAxis"`
}

type echartsAxis struct {
	Type      string   `json:"type"`
	Data      []string `json:"data"`
	Inverse   bool     `json:"inverse"`
	AxisLabel struct {
		HideOverlap bool    `json:"hideOverlap"`
		Rotate      float64 `json:"rotate"`
		Interval    any     `json:"interval"`
	} `json:"axisLabel"`
}

// readOption reads the option of #chart-<id> from ECharts in the page.
func readOption(t *testing.T, ctx interface{}, run func(string) string, id string) echartsOption {
	t.Helper()
	var o echartsOption
	if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-`+id+`')).getOption())`)), &o); err != nil {
		t.Fatalf("option of %s: %v", id, err)
	}
	return o
}

// num is a data item's number: a bare value, {value: v}, or a
// heatmap's [x, y, v].
func num(d any) float64 {
	switch x := d.(type) {
	case float64:
		return x
	case map[string]any:
		return num(x["value"])
	case []any:
		return num(x[len(x)-1])
	}
	return 0
}

// TestBrowserDashboardCharts opens the director's dashboard over
// chartsFixture in Chromium and reads back what ECharts holds: the
// leaderboard ranked in horizontal bars, as many distinct colours as
// series and legend entries exactly for the series drawn on every chart,
// the sources' pie as its eleven largest and the others, labels that
// hide where they would overlap, every heatmap row, funnel labels in a
// colour that reads on their step; the navigation on one line at
// 1280 px, tables scrolling inside their panels and no page scrolling
// sideways at 390 px.
func TestBrowserDashboardCharts(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, dashtest.ActivityFixture, chartsFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 900))...)
	step("director", chromedp.Navigate(base+"/dashboards/director"), chromedp.WaitVisible(`body[data-charts=ready]`))

	// The leaderboard: names down the left, bars across, the largest won
	// amount on top. Expected by hand: the fourteen managers' amounts;
	// nobody else closed a deal won (М-2 is at «won» with no closing date).
	want := map[string]float64{}
	for g := 1; g <= 14; g++ {
		want[fmt.Sprintf("Менеджер %d Длиннофамильный-Двойной", g)] = float64((9*g%14 + 1) * 1000)
	}
	lead := readOption(t, ctx, run, "leaders")
	if len(lead.YAxis) != 1 || lead.YAxis[0].Type != "category" || !lead.YAxis[0].Inverse || len(lead.XAxis) != 1 || lead.XAxis[0].Type != "value" || len(lead.Series) != 1 {
		t.Fatalf("leaderboard not horizontal bars: %+v", lead)
	}
	names, bars := lead.YAxis[0].Data, lead.Series[0].Data
	if len(names) != len(bars) || len(names) < len(want) {
		t.Fatalf("leaderboard %d names, %d bars, want at least %d", len(names), len(bars), len(want))
	}
	for i, n := range names {
		if v := num(bars[i]); v != want[n] || (i > 0 && v > num(bars[i-1])) {
			t.Errorf("leaderboard row %d: %s %v, want %v and no more than the row above", i, n, v, want[n])
		}
	}
	if names[0] != "Менеджер 3 Длиннофамильный-Двойной" { // 9×3 mod 14 + 1 = 14: 14000 ₽
		t.Errorf("leaderboard top %q", names[0])
	}

	// Every chart: a distinct colour per series (a pie's per slice), the
	// legend lists exactly the series drawn (bars of a series all zero
	// draw nothing).
	for _, id := range []string{"funnel", "stages", "won_month", "by_source", "leaders", "heatmap"} {
		o := readOption(t, ctx, run, id)
		var drawn []string
		for _, s := range o.Series {
			switch s.Type {
			case "pie", "funnel":
				for _, d := range s.Data {
					if num(d) != 0 {
						drawn = append(drawn, fmt.Sprint(d.(map[string]any)["name"]))
					}
				}
			case "bar":
				if slices.ContainsFunc(s.Data, func(d any) bool { return num(d) != 0 }) {
					drawn = append(drawn, s.Name)
				}
			default:
				drawn = append(drawn, s.Name)
			}
		}
		distinct := map[string]bool{}
		for _, c := range o.Color {
			distinct[strings.ToLower(c)] = true
		}
		if len(distinct) < len(drawn) {
			t.Errorf("%s: %d distinct colours for %d series", id, len(distinct), len(drawn))
		}
		if len(o.Legend) == 0 || o.Legend[0].Show == nil || !*o.Legend[0].Show || id == "funnel" || id == "heatmap" || id == "leaders" {
			continue
		}
		var legend []string
		for _, d := range o.Legend[0].Data {
			if m, ok := d.(map[string]any); ok {
				d = m["name"]
			}
			legend = append(legend, fmt.Sprint(d))
		}
		if strings.Join(legend, "|") != strings.Join(drawn, "|") {
			t.Errorf("%s: legend %q, drawn %q", id, legend, drawn)
		}
	}

	// Sources: sixteen with deals (k deals for the k-th) and the deals of
	// no source (3 of the report fixture, 14 won) — seventeen slices
	// become the eleven largest and «Прочие (6)», still 136 + 17 deals.
	pie := readOption(t, ctx, run, "by_source")
	if len(pie.Series) != 1 || len(pie.Series[0].Data) != 12 || !pie.Series[0].LabelLayout.HideOverlap {
		t.Fatalf("sources pie: %+v", pie.Series)
	}
	var sum float64
	for _, d := range pie.Series[0].Data {
		sum += num(d)
	}
	if last := fmt.Sprint(pie.Series[0].Data[11].(map[string]any)["name"]); sum != 153 || last != "Прочие (6)" {
		t.Errorf("sources pie sums %v with last slice %q, want 153 and «Прочие (6)»", sum, last)
	}

	// The heatmap: a row for each person the API counts activities of,
	// every name shown; the days' labels thinned out where they would overlap.
	var api struct{ Rows [][]any }
	if ts.DoJSON("POST", "/api/v1/reports/run", "director", json.RawMessage(`{"kind":"activity_heatmap","params":{"pipeline":"sales"},"period":{"preset":"this_year"}}`), &api) != 200 {
		t.Fatal("heatmap from the API")
	}
	var people []string
	for _, r := range api.Rows {
		if n := fmt.Sprint(r[1]); !slices.Contains(people, n) {
			people = append(people, n)
		}
	}
	heat := readOption(t, ctx, run, "heatmap")
	got := slices.Clone(heat.YAxis[0].Data)
	slices.Sort(got)
	slices.Sort(people)
	if len(people) != 14 || strings.Join(got, "|") != strings.Join(people, "|") || fmt.Sprint(heat.YAxis[0].AxisLabel.Interval) != "0" {
		t.Errorf("heatmap rows %q (interval %v), the API's people %q (want the 14 with calls about sales deals)", got, heat.YAxis[0].AxisLabel.Interval, people)
	}
	if ax := heat.XAxis[0].AxisLabel; !ax.HideOverlap {
		t.Errorf("heatmap day labels may overlap: %+v", ax)
	}

	// Funnel labels: the WCAG contrast of each label's colour on its
	// step's colour, computed here, at least 4.5.
	ratios := run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-funnel')).getOption().series[0].data.map(d => {
		const lum = h => { const c = [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16) / 255).map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
			return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
		const a = lum(d.label.color), b = lum(d.itemStyle.color);
		return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }))`)
	var rs []float64
	if err := json.Unmarshal([]byte(ratios), &rs); err != nil || len(rs) == 0 {
		t.Fatalf("funnel label contrasts %s: %v", ratios, err)
	}
	if m := slices.Min(rs); m < 4.5 || math.IsNaN(m) {
		t.Errorf("funnel label contrast %v, want ≥ 4.5", rs)
	}

	// 1280 px: the navigation on one line, nothing wider than the page.
	layout := func() (navTops, pageOver, tableOver string) {
		return run(`JSON.stringify([...new Set(Array.from(document.querySelectorAll('header nav a')).map(a => a.offsetTop))])`),
			run(`String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`),
			run(`String(Array.from(document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth).length)`)
	}
	if tops, over, _ := layout(); strings.Count(tops, ",") != 0 || over != "0" {
		t.Errorf("1280 px: nav item tops %s, page wider than the window by %s px", tops, over)
	}
	step("390 px", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(`body[data-charts=ready]`))
	if _, over, tables := layout(); over != "0" || tables == "0" {
		t.Errorf("390 px: page wider than the window by %s px, %s tables scroll inside their panels (want some)", over, tables)
	}
}

// TestBrowserPivotOthers: a builder pivot over chartsFixture's sources
// (seventeen values with the deals of none: 17, 16, 15 … 10, 9, 8, 7 —
// the eleven largest — and 6 … 1 deals) draws eleven series and «Прочие
// (6)» of the six smallest, still every deal.
func TestBrowserPivotOthers(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, chartsFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	step("sign in", dashtest.SignIn(base, "analyst@test.local")...)
	step("pivot preview", chromedp.Navigate(base+"/reports/new?dataset=deals&dim1=responsible_name&dim2=source_name&pivot=on&measure1=count&chart=stacked_bar&period=this_year"),
		chromedp.WaitVisible(`#chart-preview canvas`))
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(echarts.getInstanceByDom(document.querySelector('#chart-preview')).getOption().series.map(s => [s.name, s.data.reduce((a, d) => a + (d.value || 0), 0)]))`))
	if err != nil {
		t.Fatal(err)
	}
	var ss [][]any
	if err := json.Unmarshal([]byte(out), &ss); err != nil {
		t.Fatal(err)
	}
	var sums []float64
	var total float64
	for _, s := range ss {
		sums = append(sums, num(s[1]))
		total += num(s[1])
	}
	if len(ss) != 12 || !strings.HasPrefix(fmt.Sprint(ss[11][0]), "Прочие (6)") || sums[11] != 21 || total != 153 {
		t.Errorf("pivot series %v: want 12, the last «Прочие (6) …» of 21 deals, 153 in all", ss)
	}
}
