package pages_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// compareFixture adds two sources and six sales deals of manager's: in
// January 2025 two of «Выставка» (one won, 3000 ₽, closed on the 25th),
// in February three of «Выставка» (one won, 4000 ₽) and one of
// «Партнёры» (won, 1000 ₽), so February compared with January has
// «Выставка» 3 against 2 deals (+50 %) and «Партнёры» 1 against none.
const compareFixture = `
INSERT INTO sources (code, name) VALUES ('cmpa', 'Выставка'), ('cmpb', 'Партнёры');
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, source, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', %[1]d, v.src, v.at::timestamptz, v.at::timestamptz, v.closed::timestamptz
FROM (VALUES ('С-1', 'new', 1000, 'cmpa', '2025-01-12 10:00+03', NULL), ('С-2', 'won', 3000, 'cmpa', '2025-01-13 10:00+03', '2025-01-25 10:00+03'),
             ('С-3', 'new', 1000, 'cmpa', '2025-02-03 10:00+03', NULL), ('С-4', 'new', 1000, 'cmpa', '2025-02-04 10:00+03', NULL),
             ('С-5', 'won', 4000, 'cmpa', '2025-02-05 10:00+03', '2025-02-10 10:00+03'),
             ('С-6', 'won', 1000, 'cmpb', '2025-02-06 10:00+03', '2025-02-11 10:00+03'))
     AS v (title, stage, amount, src, at, closed)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage`

// compareOption is what a compared chart's series hold in ECharts.
type compareOption struct {
	Series []struct {
		Name      string         `json:"name"`
		Type      string         `json:"type"`
		Data      []any          `json:"data"`
		ItemStyle map[string]any `json:"itemStyle"`
		LineStyle map[string]any `json:"lineStyle"`
	} `json:"series"`
}

// ruChange is a change as the pages write it in Russian: «▲ +50,0 %».
func ruChange(v any) string {
	f, ok := v.(float64)
	switch {
	case !ok:
		return "—"
	case f > 0:
		return "▲ +" + i18n.Percent("ru", f, 1)
	case f < 0:
		return "▼ " + i18n.Percent("ru", f, 1)
	}
	return i18n.Percent("ru", 0, 1)
}

// TestBrowserDashboardCompare opens the director's dashboard for
// February 2025 compared with the previous period (January) over
// compareFixture in Chromium: the sources table's previous count and
// change are the API's for the same definition, in Russian digits with
// the arrow and its colour; the funnel table's previous counts are the
// funnel API's; the won-by-month and the sources charts draw the
// previous period as a lighter series of the same colour; the page's
// period line names January; the panels that cannot compare say so.
// Then the builder's comparison choice is saved into a report's
// definition and comes back when the report is edited.
func TestBrowserDashboardCompare(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, compareFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 1000))...)
	step("director compared", chromedp.Navigate(base+"/dashboards/director?period=previous_month&compare=previous_period"),
		chromedp.WaitVisible(`body[data-charts=ready]`))

	// The API's answer for the panel's definition.
	sr, _ := reports.Standard("deals_by_source")
	def := sr.Definition
	def.Filters = append(def.Filters, reports.Filter{Field: "pipeline", Op: "eq", Value: json.RawMessage(`"sales"`)})
	def.Period, def.Compare, def.Lang = &reports.Period{Preset: "previous_month"}, reports.ComparePreviousPeriod, "ru"
	var api struct {
		Columns []reports.Column
		Rows    [][]any
		Meta    struct{ Compared *reports.ComparedMeta }
	}
	if st := ts.DoJSON("POST", "/api/v1/reports/run", "director", def, &api); st != 200 || api.Meta.Compared == nil {
		t.Fatalf("the API's compared sources: %d %+v", st, api.Meta)
	}
	col := func(key string) int {
		for i, c := range api.Columns {
			if c.Key == key {
				return i
			}
		}
		t.Fatalf("the API has no column %s: %+v", key, api.Columns)
		return -1
	}
	var apiRow []any
	for _, r := range api.Rows {
		if r[col("source_name")] == "Выставка" {
			apiRow = r
		}
	}
	if apiRow == nil || fmt.Sprint(apiRow[col("count_prev")]) != "2" || fmt.Sprint(apiRow[col("count")]) != "3" {
		t.Fatalf("the API's «Выставка» row %v: want 3 deals against 2", apiRow)
	}
	var heads []string
	if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#panel-by_source thead th')).map(th => th.textContent))`)), &heads); err != nil {
		t.Fatal(err)
	}
	var cells [][]string
	if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#panel-by_source tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent + '|' + c.className)))`)), &cells); err != nil {
		t.Fatal(err)
	}
	page := map[string]string{} // header → «Выставка»'s cell|class
	for _, r := range cells {
		if strings.HasPrefix(r[0], "Выставка|") {
			for i, h := range heads {
				page[h] = r[i]
			}
		}
	}
	prevLabel, changeLabel := api.Columns[col("count_prev")].Label, api.Columns[col("count_change")].Label
	if want := fmt.Sprint(apiRow[col("count_prev")]) + "|"; page[prevLabel] != want {
		t.Errorf("«Выставка» %s on the page %q, the API's %q (headers %q)", prevLabel, page[prevLabel], want, heads)
	}
	if want := ruChange(apiRow[col("count_change")]) + "|up"; page[changeLabel] != want || want != "▲ +50,0\u00a0%|up" {
		t.Errorf("«Выставка» %s on the page %q, the API's %q", changeLabel, page[changeLabel], want)
	}
	if i, j := slices.Index(heads, api.Columns[col("count")].Label), slices.Index(heads, prevLabel); i < 0 || j != i+1 || heads[j+1] != changeLabel {
		t.Errorf("the previous count and its change do not follow the count: %q", heads)
	}

	// The funnel's previous counts are the funnel API's.
	var fun reports.Funnel
	if ts.DoJSON("POST", "/api/v1/funnels/run", "director", reports.FunnelRequest{Pipeline: "sales", Period: &reports.Period{Preset: "previous_month"},
		Compare: reports.ComparePreviousPeriod}, &fun) != 200 || len(fun.Steps) == 0 || fun.Steps[0].CountPrev == nil {
		t.Fatalf("the funnel API compared: %+v", fun.Steps)
	}
	var funnelPrev []string
	if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#panel-funnel tbody tr')).map(r => r.cells[2].textContent))`)), &funnelPrev); err != nil {
		t.Fatal(err)
	}
	for i, st := range fun.Steps {
		if i >= len(funnelPrev) || funnelPrev[i] != i18n.Integer("ru", *st.CountPrev) {
			t.Errorf("funnel step %s: page's previous %q, the API's %d", st.Name, funnelPrev, *st.CountPrev)
		}
	}

	// Charts: the previous period a lighter series of its current
	// series' colour, named so.
	for _, id := range []string{"won_month", "by_source"} {
		var o compareOption
		if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-`+id+`')).getOption())`)), &o); err != nil {
			t.Fatal(err)
		}
		if len(o.Series) != 2 || !strings.HasSuffix(o.Series[1].Name, "(пред. период)") || o.Series[1].Name != o.Series[0].Name+" (пред. период)" {
			t.Fatalf("%s: series %+v, want the current and «… (пред. период)»", id, o.Series)
		}
		cur, prev := o.Series[0].ItemStyle, o.Series[1].ItemStyle
		if cur["color"] != prev["color"] || fmt.Sprint(cur["opacity"]) != "1" || num(prev["opacity"]) >= 1 || num(prev["opacity"]) <= 0 {
			t.Errorf("%s: current %v, previous %v: want one colour, the previous lighter", id, cur, prev)
		}
	}
	var won compareOption
	if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-won_month')).getOption())`)), &won); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(num(won.Series[0].Data[0]), num(won.Series[1].Data[0])); got != "5000 3000" {
		t.Errorf("won in February against January: %s, want 5000 3000", got)
	}

	// The period line names the compared period; the panels that
	// cannot compare say so.
	if got := run(`document.getElementById('page-compared').textContent`); got != "сравнение с прошлым периодом: 1 января – 31 января 2025" {
		t.Errorf("the period line's comparison %q", got)
	}
	for _, id := range []string{"plan_fact", "forecast", "forecast_accuracy", "stages", "heatmap"} {
		if note := run(`(document.querySelector('#panel-` + id + ` .panel-note') || {}).textContent || ''`); !strings.Contains(note, "Без сравнения: ") {
			t.Errorf("%s: note %q does not say it is not compared", id, note)
		}
	}

	// The builder: the comparison choice goes into the saved definition
	// and comes back in the editor; a pivot turns it off.
	step("builder", chromedp.Navigate(base+"/reports/new?dataset=deals&dim1=source_name&measure1=count&period=previous_month&chart=bar"),
		chromedp.WaitVisible(`#chart-preview canvas`), chromedp.SetValue(`select[name=compare]`, "previous_year"),
		chromedp.SetValue(`select[name=compare]`, "previous_period"), chromedp.Click(`#preview`),
		// the compared table has four columns, the plain one two: waiting for the
		// chart alone found the old preview's on a loaded machine
		chromedp.WaitVisible(`#panel-preview thead th:nth-child(4)`), chromedp.WaitVisible(`#chart-preview canvas`))
	if got := run(`Array.from(document.querySelectorAll('#panel-preview thead th')).map(th => th.textContent).join('|')`); got != "Источник|Количество|Количество (пред. период)|Количество: изменение" {
		t.Errorf("the builder's compared columns %q", got)
	}
	step("save", chromedp.SendKeys(`input[name=name]`, "Источники со сравнением"), chromedp.Click(`#save`), chromedp.WaitVisible(`#panel-report`))
	id := strings.TrimPrefix(run(`location.pathname`), "/reports/")
	var got struct{ Definition reports.Definition }
	if ts.DoJSON("GET", "/api/v1/reports/"+id, "director", nil, &got) != 200 || got.Definition.Compare != reports.ComparePreviousPeriod {
		t.Errorf("the saved report %s: definition %+v, want compare previous_period", id, got.Definition)
	}
	step("edit", chromedp.Navigate(base+"/reports/"+id+"/edit"), chromedp.WaitVisible(`#editing`))
	if got := run(`document.querySelector('select[name=compare]').value`); got != reports.ComparePreviousPeriod {
		t.Errorf("the editor's comparison %q", got)
	}
	step("pivot", chromedp.SetValue(`select[name=dim2]`, "stage_name"), chromedp.Click(`input[name=pivot]`))
	if got := run(`String(document.querySelector('select[name=compare]').disabled) + '|' + document.getElementById('compare-off').hidden`); got != "true|false" {
		t.Errorf("with a pivot the comparison is disabled|its reason hidden: %s", got)
	}
}
