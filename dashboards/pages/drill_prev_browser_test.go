package pages_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports"
)

// TestBrowserDrillPrevious opens the director's dashboard for February
// 2025 compared with the previous period (January) over compareFixture
// in Chromium and clicks the previous period's numbers: a source's
// previous count and the previous total in the sources table, the
// previous count of February in the won-by-month table and the point of
// the lighter previous-period line, the funnel's previous count of its
// first step. Each drill page counts the number clicked, lists the ids
// POST /reports/drill (or /funnels/drill) gives for the same definition
// over January written by hand, with no comparison, names the period
// before in its breadcrumb in words and January in its period line, and
// has no Latin; a change cell opens nothing. This month so far opens
// as much of the month before, and its period line says so. Then the
// dashboard without a comparison for January–February 2026: a point of
// the year-before line opens the same month of 2025 (of the year-before
// run over January–February 2025).
func TestBrowserDrillPrevious(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, compareFixture)
	base, ctx, step := dashtest.Browser(t, ts, 90*time.Second)
	run := dashtest.Eval(t, ctx)
	jan := map[string]string{"from": "2025-01-01", "to": "2025-01-31"}
	sales := reports.Filter{Field: "pipeline", Op: "eq", Value: json.RawMessage(`"sales"`)}
	standard := func(id string, period *reports.Period) reports.Definition {
		sr, _ := reports.Standard(id)
		def := sr.Definition
		def.Filters = append(append([]reports.Filter(nil), def.Filters...), sales)
		def.Period, def.Lang = period, "ru"
		return def
	}
	type drillRes struct {
		Rows [][]any
		Meta struct{ Total int64 }
	}
	apiIDs := func(path string, req any) []string {
		t.Helper()
		var res drillRes
		if st := ts.DoJSON("POST", path, "director", req, &res); st != 200 {
			t.Fatalf("%s %v: %d", path, req, st)
		}
		out := []string{}
		for _, r := range res.Rows {
			out = append(out, fmt.Sprint(r[0]))
		}
		if int64(len(out)) != res.Meta.Total {
			t.Fatalf("%s: %d rows of %d", path, len(out), res.Meta.Total)
		}
		slices.Sort(out)
		return out
	}
	page := func() (ids, titles []string) {
		t.Helper()
		var rows [][]string
		if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => [r.cells[0].textContent, r.cells[1].textContent]))`)), &rows); err != nil {
			t.Fatal(err)
		}
		ids, titles = []string{}, []string{}
		for _, r := range rows {
			ids, titles = append(ids, r[0]), append(titles, r[1])
		}
		slices.Sort(ids)
		slices.Sort(titles)
		return ids, titles
	}
	// cellJS finds the table cell of panel under the header head in the
	// row whose first cell is first (the totals when first is "").
	cellJS := func(panel, first, head string) string {
		row := `Array.from(p.querySelectorAll('tbody tr')).find(r => r.cells[0].textContent === '` + first + `')`
		if first == "" {
			row = `p.querySelector('tfoot tr')`
		}
		return `(() => { const p = document.getElementById('panel-` + panel + `');
			const j = Array.from(p.querySelectorAll('thead th')).map(th => th.textContent).indexOf('` + head + `');
			const r = ` + row + `; return j < 0 || !r ? null : r.cells[j]; })()`
	}
	clickCell := func(panel, first, head string) string {
		t.Helper()
		n := run(`(() => { const c = ` + cellJS(panel, first, head) + `; const a = c && c.querySelector('a.drill');
			if (!a) return ''; setTimeout(() => a.click(), 0); return a.textContent; })()`)
		if n == "" {
			t.Fatalf("%s: no drill link in the row %q under %q", panel, first, head)
		}
		step("the drill page of "+panel+" "+first+" "+head, chromedp.WaitVisible(`#drill-count`))
		return n
	}
	// clickPoint clicks the chart's point of series at index i (its
	// value v), where ECharts draws it.
	clickPoint := func(chart string, series, i int, v float64) {
		t.Helper()
		if d := run(`String((echarts.getInstanceByDom(document.getElementById('chart-` + chart + `')).getOption().series[` + fmt.Sprint(series) + `].data[` + fmt.Sprint(i) + `] || {}).drill || '')`); !strings.HasPrefix(d, "/drill?") {
			t.Fatalf("%s: series %d's point %d opens nothing (%q)", chart, series, i, d)
		}
		var xy []float64
		if err := json.Unmarshal([]byte(run(`(() => { const el = document.getElementById('chart-`+chart+`'); el.scrollIntoView({block: 'center'});
			const r = el.getBoundingClientRect(); const p = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: `+fmt.Sprint(series)+`}, [`+fmt.Sprint(i)+`, `+fmt.Sprint(v)+`]);
			return JSON.stringify([r.left + p[0], r.top + p[1]]); })()`)), &xy); err != nil || len(xy) != 2 {
			t.Fatalf("%s: the point's place %v", chart, err)
		}
		step("click "+chart+"'s point", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(`#drill-count`))
	}
	drillPage := func(what, clicked string, wantIDs []string, crumb string) {
		t.Helper()
		ids, _ := page()
		if !slices.Equal(ids, wantIDs) || fmt.Sprint(len(ids)) != clicked {
			t.Errorf("%s: clicked %s, the page lists %v, the API %v", what, clicked, ids, wantIDs)
		}
		count := run(`document.getElementById('drill-count').textContent`)
		if !strings.HasPrefix(count, clicked+"\u00a0") {
			t.Errorf("%s: the page counts %q, clicked %s", what, count, clicked)
		}
		if got := run(`document.getElementById('drill-crumbs').textContent`); got != crumb+" — "+count {
			t.Errorf("%s: breadcrumb %q, want %q", what, got, crumb+" — "+count)
		}
		text := run(`document.getElementById('drill-crumbs').textContent + ' ' + document.querySelector('section.drill').innerText + ' ' + document.getElementById('page-facts').innerText`)
		if l := regexp.MustCompile(`[A-Za-z]+`).FindAllString(strings.NewReplacer("XLSX", "", "ID", "").Replace(text), -1); len(l) > 0 {
			t.Errorf("%s: Latin on the Russian page: %v", what, l)
		}
	}
	const dash = "Дашборд директора › "
	inJanuary := func(what string) {
		t.Helper()
		if got := run(`document.getElementById('page-period').textContent`); !strings.Contains(got, "января 2025") || strings.Contains(got, "феврал") {
			t.Errorf("%s: the period line %q, want January 2025", what, got)
		}
	}
	director := base + "/dashboards/director?period=previous_month&compare=previous_period"
	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 1000))...)

	// A source's previous count: «Выставка» had С-1 and С-2 in January.
	step("director compared", chromedp.Navigate(director), chromedp.WaitVisible(`body[data-charts=ready]`))
	if c := run(`(() => { const c = ` + cellJS("by_source", "Выставка", "Количество: изменение") + `; return c ? String(c.querySelectorAll('a').length) : 'none'; })()`); c != "0" {
		t.Errorf("«Выставка»'s change cell: %s links, want none", c)
	}
	clicked := clickCell("by_source", "Выставка", "Количество (пред. период)")
	bySource := standard("deals_by_source", &reports.Period{From: jan["from"], To: jan["to"]})
	want := apiIDs("/api/v1/reports/drill", map[string]any{"definition": bySource, "cell": map[string]any{"source_name": "Выставка"}})
	drillPage("«Выставка» before", clicked, want, dash+"Сделки по источникам › Выставка, предыдущий период")
	if _, titles := page(); clicked != "2" || !slices.Equal(titles, []string{"С-1", "С-2"}) {
		t.Errorf("«Выставка» before: clicked %s, deals %v, want С-1 and С-2", clicked, titles)
	}
	inJanuary("«Выставка» before")
	step("the screenshot", dashtest.FullScreenshot("drill-previous"))

	// The sources' previous total: every sales deal of January.
	step("director compared", chromedp.Navigate(director), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = clickCell("by_source", "", "Количество (пред. период)")
	want = apiIDs("/api/v1/reports/drill", map[string]any{"definition": bySource, "cell": map[string]any{}})
	drillPage("the sources' total before", clicked, want, dash+"Сделки по источникам › Итого, предыдущий период")

	// Won in February's row, the month before: С-2, closed on 25 January;
	// the same from the previous-period line's point.
	wonJan := standard("won_by_month", &reports.Period{Field: "closed_at", From: jan["from"], To: jan["to"]})
	want = apiIDs("/api/v1/reports/drill", map[string]any{"definition": wonJan, "cell": map[string]any{"closed_at_month": "2025-01-01"}})
	step("director compared", chromedp.Navigate(director), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = clickCell("won_month", "февраль 2025", "Количество (пред. период)")
	drillPage("won before February", clicked, want, dash+"Выиграно по месяцам › январь 2025, предыдущий период")
	if _, titles := page(); !slices.Equal(titles, []string{"С-2"}) {
		t.Errorf("won before February: %v, want С-2", titles)
	}
	inJanuary("won before February")
	step("director compared", chromedp.Navigate(director), chromedp.WaitVisible(`body[data-charts=ready]`))
	var won compareOption
	if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-won_month')).getOption())`)), &won); err != nil {
		t.Fatal(err)
	}
	if len(won.Series) != 2 || num(won.Series[1].Data[0]) != 3000 {
		t.Fatalf("the won chart's series %+v, want the previous period's 3000 second", won.Series)
	}
	clickPoint("won_month", 1, 0, 3000)
	drillPage("the previous line's point", "1", want, dash+"Выиграно по месяцам › январь 2025, предыдущий период")

	// The funnel's previous count of its first step: the deals created
	// in January (the funnel's cohort) that reached it.
	step("director compared", chromedp.Navigate(director), chromedp.WaitVisible(`body[data-charts=ready]`))
	first := run(`document.querySelector('#panel-funnel tbody tr').cells[0].textContent`)
	prevHead := run(`Array.from(document.querySelectorAll('#panel-funnel thead th')).map(th => th.textContent).find(h => h.endsWith('(пред. период)'))`)
	clicked = clickCell("funnel", first, prevHead)
	want = apiIDs("/api/v1/funnels/drill", map[string]any{"pipeline": "sales", "period": jan, "step": "new", "which": "reached"})
	drillPage("the funnel's first step before", clicked, want, dash+"Воронка продаж › "+first+": дошли, предыдущий период")
	if len(want) < 2 {
		t.Errorf("the funnel's first step before: %v, want January's deals", want)
	}

	// This month so far (the clock: 1 March 2025, 03:00 Moscow) against
	// as much of February: its first three hours, no deal.
	step("director, this month so far", chromedp.Navigate(base+"/dashboards/director?period=this_month&compare=previous_period"),
		chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = clickCell("funnel", first, prevHead)
	want = apiIDs("/api/v1/funnels/drill", map[string]any{"pipeline": "sales", "step": "new", "which": "reached",
		"period": map[string]string{"from": "2025-02-01T00:00:00+03:00", "to": "2025-02-01T03:00:00+03:00"}})
	drillPage("the funnel's first step before, so far", clicked, want, dash+"Воронка продаж › "+first+": дошли, предыдущий период")
	if got := run(`document.getElementById('page-period').textContent`); got != "Период: 1 февраля 2025 до 03:00 — столько же, сколько прошло текущего периода" {
		t.Errorf("so far: the period line %q", got)
	}

	// No comparison: the year-before line's point of January 2026 opens
	// January 2025's won deals (С-2).
	step("director, a year on", chromedp.Navigate(base+"/dashboards/director?from=2026-01-01&to=2026-02-28"), chromedp.WaitVisible(`body[data-charts=ready]`))
	if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-won_month')).getOption())`)), &won); err != nil {
		t.Fatal(err)
	}
	if len(won.Series) != 2 || won.Series[1].Name != "Год назад" || len(won.Series[1].Data) == 0 || num(won.Series[1].Data[0]) != 3000 {
		t.Fatalf("the year-over-year series %+v, want «Год назад» from 3000", won.Series)
	}
	clickPoint("won_month", 1, 0, 3000)
	want = apiIDs("/api/v1/reports/drill", map[string]any{"definition": wonJan, "cell": map[string]any{"closed_at_month": "2025-01-01"}})
	drillPage("the year-before point", "1", want, dash+"Выиграно по месяцам › январь 2025, год назад")
	if got := run(`document.getElementById('page-period').textContent`); got != "Период: 1 января – 28 февраля 2025" {
		t.Errorf("the year-before point: the period line %q, want the year-before run's", got)
	}
}
