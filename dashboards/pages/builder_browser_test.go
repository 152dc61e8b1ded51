package pages_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports"
)

// manyDealsFixture adds 1,100 sales deals created on 15 January 2025:
// deal g (1…1100) is «Д-g», g×100 ₽, at the stage of position 1 + g mod
// 11 (every one of the eleven sales stages: 100 deals each), manager's
// when g is even and manager2's when odd — so each manager has 50 deals
// at each stage (g mod 22 runs through every pair once per 22 deals).
const manyDealsFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT 'Д-' || g, p.id, s.id, 100 * g, 'RUB', CASE WHEN g %% 2 = 0 THEN %[1]d ELSE %[2]d END,
       '2025-01-15 10:00+03', '2025-01-15 10:00+03'
FROM generate_series(1, 1100) AS g
JOIN pipelines p ON p.code = 'sales'
JOIN stages s ON s.pipeline_id = p.id AND s.position = 1 + g %% 11`

// salesStages are the sales pipeline's stage names in position order
// (crmcore/migrations/00003_seed_pipelines.sql).
var salesStages = []string{"Не обработана", "Первичный контакт", "Сбор потребностей", "Презентация", "Подготовка КП",
	"Прототип", "Принятие решения", "Завершена", "Пауза", "Отказ", "Отсев"}

// seriesNames are the names of the series ECharts drew in a chart.
const seriesNames = `echarts.getInstanceByDom(document.querySelector('#chart-preview')).getOption().series.map(s => s.name)`

// TestBrowserBuilder drives the builder in Chromium over a real server:
// the pivot chart draws every series, stages in pipeline order; a saved
// report's change is saved without a preview; a decimal comma is read
// whatever the browser's locale (en-US here).
func TestBrowserBuilder(t *testing.T) {
	ts := dashtest.NewEngine(t, manyDealsFixture)
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	step("sign in", dashtest.SignIn(base, "analyst@test.local")...)

	// Responsible × stage as columns, count and amount: 11 stages × 2
	// measures = 22 series, none dropped, the stages in position order.
	step("a pivot preview", chromedp.Navigate(base+"/reports/new"), chromedp.WaitVisible(`#builder`),
		chromedp.SetValue(`select[name=dim1]`, "responsible_name"), chromedp.SetValue(`select[name=dim2]`, "stage_name"),
		chromedp.Click(`input[name=pivot]`), chromedp.SetValue(`select[name=measure1]`, "count"),
		chromedp.SetValue(`select[name=measure2]`, "amount:sum"), chromedp.SetValue(`select[name=chart]`, "stacked_bar"),
		chromedp.Click(`#preview`), chromedp.WaitVisible(`#chart-preview canvas`))
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](seriesNames))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, st := range salesStages {
		want = append(want, st+" · Количество", st+" · Сумма, ₽: сумма")
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("pivot series %q,\nwant %q", names, want)
	}

	// A saved report opened for editing: the filter changed to «below
	// 5000,5» (typed with a decimal comma) and the second measure to the
	// largest amount, saved without a preview.
	var rep struct{ ID int64 }
	def := `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],` +
		`"filters":[{"field":"amount","op":"gt","value":2000}]}`
	if ts.DoJSON("POST", "/api/v1/reports", "analyst", json.RawMessage(`{"name":"Крупные","definition":`+def+`}`), &rep) != 201 {
		t.Fatal("create the report")
	}
	id := dashtest.Itoa(rep.ID)
	step("edit without a preview", chromedp.Navigate(base+"/reports/"+id+"/edit"), chromedp.WaitVisible(`#editing`),
		chromedp.SetValue(`select[name=f0_op]`, "lt"), chromedp.WaitReady(`option[value=lt][selected]`),
		chromedp.Clear(`input[name=f0_v]`), chromedp.SendKeys(`input[name=f0_v]`, "5000,5"),
		chromedp.SetValue(`select[name=measure2]`, "amount:max"), chromedp.Click(`#save`), chromedp.WaitVisible(`#panel-report`))
	var got struct{ Definition reports.Definition }
	if ts.DoJSON("GET", "/api/v1/reports/"+id, "analyst", nil, &got) != 200 || len(got.Definition.Measures) != 2 || got.Definition.Measures[1].Agg != "max" ||
		len(got.Definition.Filters) != 1 || got.Definition.Filters[0].Op != "lt" || string(got.Definition.Filters[0].Value) != "5000.5" {
		t.Fatalf("saved without a preview: %+v", got.Definition)
	}
	// Deals below 5000.5 ₽: Д-1 … Д-50 (100 … 5000 ₽), the even ones
	// manager's (25, the largest 5000 ₽), the odd ones manager2's (25, 4900 ₽).
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('#panel-report tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent).join('|')).sort()`))
	if err != nil || strings.Join(rows, ";") != "Иванов Иван Иванович|25|5\u00a0000,00\u00a0₽;Петрова Анна Викторовна|25|4\u00a0900,00\u00a0₽" {
		t.Errorf("the saved report's rows %q %v", rows, err)
	}
}
