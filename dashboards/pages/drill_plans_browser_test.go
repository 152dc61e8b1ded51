package pages_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// planDrillSources gives two of accuracyPanelFixture's deals created in
// January 2025 (Т-1, Т-2) a source, «Сайт», for the sources' pie.
const planDrillSources = `
INSERT INTO sources (code, name) VALUES ('pdsite', 'Сайт');
UPDATE deals SET source = 'pdsite' WHERE title IN ('Т-1', 'Т-2') AND responsible_id IN (%[1]d, %[2]d)`

// planDrillPeriod is January to March 2025, the dashboard's filter.
const planDrillPeriod = "from=2025-01-01&to=2025-03-01"

// TestBrowserDrillPlans opens the director's dashboard (clock
// 2025-03-01 03:00 Moscow) over ReportFixture, planPanelFixture and
// accuracyPanelFixture in Chromium and clicks: the plan-fact's fact of
// manager (М-3, won at 01:00 on March 1), the forecast's bars of March
// won (М-3) and of April's «Возможно» (П-1, 20 %), the accuracy's
// February weighted forecast (Т-1 and Т-2, open before February; with
// manager2 chosen, Т-2 alone), a
// point of the won-by-month line (February: Т-1) and the sources' pie
// slice «Сайт» (Т-1, Т-2). Each drill page's count and ids are what
// POST /reports/drill answers for the link's request, its deals the
// ones worked out by hand, its breadcrumb names the panel, the row and
// the figure in Russian words (no Latin letter in it or the count).
// The plan and the percent of the plan-fact open nothing.
func TestBrowserDrillPlans(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, planPanelFixture, accuracyPanelFixture, planDrillSources)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	latin := regexp.MustCompile(`[A-Za-z]`)
	dashboard := base + "/dashboards/director?" + planDrillPeriod

	// check reads the drill page opened: its request (the link's q) run
	// through the API, the page's ids and count against it, the titles
	// and the breadcrumb against what is wanted.
	check := func(what, crumb string, titles ...string) {
		t.Helper()
		q := run(`new URL(location.href).searchParams.get('q')`)
		b, err := base64.RawURLEncoding.DecodeString(q)
		var ask struct {
			Report map[string]any `json:"report"`
		}
		if err != nil || json.Unmarshal(b, &ask) != nil || ask.Report == nil {
			t.Fatalf("%s: the page's q %q: %v", what, q, err)
		}
		var api struct {
			Rows [][]any
			Meta struct{ Total int64 }
		}
		if st := ts.DoJSON("POST", "/api/v1/reports/drill", "director", ask.Report, &api); st != 200 {
			t.Fatalf("%s: reports/drill %v: %d", what, ask.Report, st)
		}
		var want []string
		for _, r := range api.Rows {
			want = append(want, fmt.Sprint(r[0]))
		}
		var got, gotTitles []string
		json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[0].textContent))`)), &got)
		json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[1].textContent).sort())`)), &gotTitles)
		if !slices.Equal(got, want) || int64(len(want)) != api.Meta.Total {
			t.Errorf("%s: the page's ids %v, the API's %v (total %d)", what, got, want, api.Meta.Total)
		}
		if !slices.Equal(gotTitles, titles) {
			t.Errorf("%s: the deals %v, want %v", what, gotTitles, titles)
		}
		count := run(`document.getElementById('drill-count').textContent`)
		if !strings.HasPrefix(count, fmt.Sprint(api.Meta.Total)+"\u00a0") {
			t.Errorf("%s: the page counts %q, the API %d", what, count, api.Meta.Total)
		}
		if got := run(`document.getElementById('drill-crumbs').textContent`); got != crumb+" — "+count {
			t.Errorf("%s: breadcrumb %q, want %q", what, got, crumb+" — "+count)
		}
		words := run(`document.getElementById('drill-crumbs').textContent`)
		if latin.MatchString(words) {
			t.Errorf("%s: Latin on the Russian page: %q", what, words)
		}
	}
	// cellLink clicks the link in the panel's row that has a cell first,
	// in the column headed head.
	cellLink := func(panel, first, head string) {
		t.Helper()
		ok := run(`(() => { const p = document.getElementById('panel-` + panel + `');
			const j = Array.from(p.querySelectorAll('thead th')).findIndex(h => h.textContent.trim().startsWith('` + head + `'));
			const r = Array.from(p.querySelectorAll('tbody tr')).find(r => Array.from(r.cells).some(c => c.textContent === '` + first + `'));
			const a = r && j >= 0 && r.cells[j].querySelector('a.drill'); if (!a) return ''; setTimeout(() => a.click(), 0); return 'ok'; })()`)
		if ok == "" {
			t.Fatalf("%s: no drill link in the row %q, column %q: %s", panel, first, head, run(`document.querySelector('#panel-`+panel+` table').outerHTML`))
		}
		step(panel+": "+first+", "+head, chromedp.WaitVisible(`#drill-count`))
	}
	// chartClick clicks the element of the panel's chart in the series
	// named series at category (a data index found by its axis text or
	// slice name): ECharts tells its pixel (a bar's or slice's layout, a
	// point's convertToPixel), the page scrolled to the chart first.
	chartClick := func(panel, series, category string) {
		t.Helper()
		var at []float64
		js := `(() => { const el = document.getElementById('chart-` + panel + `'); el.scrollIntoView({block: 'center'});
			const c = echarts.getInstanceByDom(el), o = c.getOption(), r = el.getBoundingClientRect();
			const si = o.series.findIndex(s => s.name === '` + series + `'); if (si < 0) return '[]';
			const s = o.series[si];
			if (s.type === 'pie') {
				const i = s.data.findIndex(d => d.name === '` + category + `'); if (i < 0 || !s.data[i].drill) return '[]';
				const l = c.getModel().getSeriesByIndex(si).getData().getItemLayout(i), a = (l.startAngle + l.endAngle) / 2;
				return JSON.stringify([r.left + l.cx + Math.cos(a) * l.r * 0.7, r.top + l.cy + Math.sin(a) * l.r * 0.7]);
			}
			const i = o.xAxis[0].data.findIndex(d => (d.value || d) === '` + category + `'); if (i < 0 || !s.data[i].drill) return '[]';
			const l = c.getModel().getSeriesByIndex(si).getData().getItemLayout(i);
			if (s.type === 'bar') return JSON.stringify([r.left + l.x + l.width / 2, r.top + l.y + l.height / 2]);
			const p = c.convertToPixel({seriesIndex: si}, [i, s.data[i].value]);
			return JSON.stringify([r.left + p[0], r.top + p[1]]); })()`
		if err := json.Unmarshal([]byte(run(js)), &at); err != nil || len(at) != 2 {
			t.Fatalf("%s: no linked element of %q at %q (%v): %s", panel, series, category, err,
				run(`(() => { const o = echarts.getInstanceByDom(document.getElementById('chart-`+panel+`')).getOption();
				return JSON.stringify([o.series.map(s => [s.name, s.data]), o.xAxis && o.xAxis[0] && o.xAxis[0].data]); })()`))
		}
		t.Logf("%s %s %s at %v: %s", panel, series, category, at, run(fmt.Sprintf(`(() => { const e = document.elementFromPoint(%f, %f); return e ? e.tagName + ' ' + e.parentElement.id + ' ' + window.scrollY : 'none'; })()`, at[0], at[1])))
		step(panel+" chart: "+series+", "+category, chromedp.MouseClickXY(at[0], at[1]), chromedp.WaitVisible(`#drill-count`))
	}
	open := func() {
		t.Helper()
		step("director", chromedp.Navigate(dashboard), chromedp.WaitVisible(`body[data-charts=ready]`))
	}

	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 900))...)
	open()
	// the plan and the percent are no records; the fact's cells are links
	if n := run(`String(Array.from(document.querySelectorAll('#panel-plan_fact tbody tr')).filter(r => r.querySelectorAll('a.drill').length === 1).length)`); n != "2" {
		t.Errorf("plan-fact: %s rows with one link (the fact), want 2", n)
	}
	cellLink("plan_fact", "Иванов Иван Иванович", "Факт")
	check("plan-fact", "Дашборд директора › План-факт › Иванов Иван Иванович, выручка, факт", "М-3")

	open()
	chartClick("forecast", "Выиграно, ₽", "март 2025")
	check("forecast won", "Дашборд директора › Прогноз продаж на три месяца › март 2025, выиграно", "М-3")
	open()
	chartClick("forecast", "Возможно, ₽", "апрель 2025")
	check("forecast pipeline", "Дашборд директора › Прогноз продаж на три месяца › апрель 2025, прогноз «Возможно»", "П-1")
	step("the screenshot", chromedp.EmulateViewport(1280, 720))
	step("the forecast's drill page", dashtest.FullScreenshot("drill-forecast"))
	step("back to 900", chromedp.EmulateViewport(1280, 900))

	open()
	cellLink("forecast_accuracy", "февраль 2025", "Прогноз взвешенный")
	check("accuracy", "Дашборд директора › Точность прогноза за три прошлых месяца › февраль 2025, прогноз на начало месяца, взвешенный", "Т-1", "Т-2")

	// with a manager chosen: that manager's deals only (Т-2, manager2's)
	step("one manager", chromedp.Navigate(dashboard+"&manager="+dashtest.Itoa(ts.Users["manager2"].ID)), chromedp.WaitVisible(`body[data-charts=ready]`))
	cellLink("forecast_accuracy", "февраль 2025", "Прогноз взвешенный")
	check("accuracy, one manager", "Дашборд директора › Точность прогноза за три прошлых месяца › февраль 2025, прогноз на начало месяца, взвешенный", "Т-2")

	open()
	chartClick("won_month", "Этот период", "февраль 2025")
	check("won by month", "Дашборд директора › Выиграно по месяцам › февраль 2025", "Т-1")
	open()
	chartClick("by_source", "Количество", "Сайт")
	check("sources", "Дашборд директора › Сделки по источникам › Сайт", "Т-1", "Т-2")

	// the way back keeps the dashboard's filters
	if back := run(`document.querySelector('#drill-crumbs a').getAttribute('href')`); !strings.Contains(back, url.Values{"from": {"2025-01-01"}}.Encode()) {
		t.Errorf("the way back %q", back)
	}
}
