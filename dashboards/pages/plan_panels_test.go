package pages_test

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// planPanelFixture adds to ReportFixture (clock 2025-03-01 03:00 Moscow)
// March plans of won roubles, manager 50 000 and manager2 20 000, a deal
// of manager's won at 01:00 on March 1 (7 000 ₽) and an open one of
// manager2 expected to close on April 15 (3 000 ₽ in stage needs, 20 %).
// March 2025 has 21 working days, none passed yet.
const planPanelFixture = `
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at) VALUES
    ('won_amount', '2025-03-01', NULL, %[1]d, 50000, now()), ('won_amount', '2025-03-01', NULL, %[2]d, 20000, now());
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at, expected_close_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', v.resp, '2025-02-20 10:00+03', '2025-03-01 01:00+03', v.closed::timestamptz, v.expected::date
FROM (VALUES ('М-3', 'won', 7000, %[1]d, '2025-03-01 01:00+03', NULL), ('П-1', 'needs', 3000, %[2]d, NULL, '2025-04-15'))
     AS v (title, stage, amount, resp, closed, expected)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage`

// accuracyPanelFixture adds deals with their stage and forecast history
// for the accuracy of December 2024 – February 2025 (Moscow):
//
//	Т-3 manager  2 000 proposal 40 % from 12-05, expected 01-20 from 12-05, won 01-22
//	    January: named, weighted 800, best case (by 40 %); won, of the forecast
//	Т-1 manager 10 000 decision 60 % from 01-10, expected 02-15 from 01-10, won 02-10
//	    February: named, weighted 6 000, commit (by 60 %); won, of the forecast
//	Т-2 manager2 5 000 needs 20 % from 01-12, expected 02-20 and commit by hand from 01-12, open
//	    February: named, weighted 1 000, commit (by hand); not won
//
// December: nothing. February: best case 15 000, weighted 7 000, commit
// 15 000, won 10 000, all of the forecast: 10 000 ÷ 7 000 = 142,9 %;
// manager2 alone 0 ÷ 1 000 = 0,0 %.
const accuracyPanelFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at, expected_close_at, forecast_category)
SELECT v.title, p.id, s.id, v.amount, 'RUB', v.resp, v.created::timestamptz, v.created::timestamptz, v.closed::timestamptz, v.expected::date, v.cat
FROM (VALUES ('Т-3', 'won', 2000, %[1]d, '2024-12-05 10:00+03', '2025-01-22 12:00+03', '2025-01-20', NULL),
             ('Т-1', 'won', 10000, %[1]d, '2025-01-10 10:00+03', '2025-02-10 12:00+03', '2025-02-15', NULL),
             ('Т-2', 'needs', 5000, %[2]d, '2025-01-12 10:00+03', NULL, '2025-02-20', 'commit'))
     AS v (title, stage, amount, resp, created, closed, expected, cat)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, f.id, t.id, v.at::timestamptz
FROM (VALUES ('Т-3', NULL, 'proposal', '2024-12-05 10:00+03'), ('Т-3', 'proposal', 'won', '2025-01-22 12:00+03'),
             ('Т-1', NULL, 'decision', '2025-01-10 10:00+03'), ('Т-1', 'decision', 'won', '2025-02-10 12:00+03'),
             ('Т-2', NULL, 'needs', '2025-01-12 10:00+03'))
     AS v (title, from_code, to_code, at)
JOIN deals d ON d.title = v.title
LEFT JOIN stages f ON f.pipeline_id = d.pipeline_id AND f.code = v.from_code
JOIN stages t ON t.pipeline_id = d.pipeline_id AND t.code = v.to_code;
INSERT INTO deal_forecast_changes (deal_id, changed_at, expected_close_at, forecast_category)
SELECT d.id, d.created_at, d.expected_close_at, d.forecast_category FROM deals d WHERE d.title IN ('Т-1', 'Т-2', 'Т-3')`

// The plan-fact, forecast and forecast accuracy panels show what the
// API answers for the same question (worked out by hand above), a
// manager only their own.
func TestPlanPanels(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, planPanelFixture, accuracyPanelFixture)
	var api struct {
		Rows   [][]any `json:"rows"`
		Totals []any   `json:"totals"`
	}
	if st := ts.DoJSON("POST", "/api/v1/reports/run", "director", map[string]any{"kind": "plan_fact", "params": map[string]string{"metric": "won_amount"}}, &api); st != 200 {
		t.Fatalf("plan_fact API: %d", st)
	}
	if len(api.Rows) != 2 || api.Rows[0][1] != "Иванов Иван Иванович" || api.Rows[0][2] != 50000.0 || api.Rows[0][3] != 7000.0 ||
		api.Rows[0][4] != 0.14 || api.Rows[0][5] != 21.0 || api.Rows[0][7] != nil || api.Rows[1][2] != 20000.0 || api.Rows[1][3] != 0.0 || api.Totals[2] != 70000.0 {
		t.Fatalf("the API answers %v, totals %v", api.Rows, api.Totals)
	}
	// the accuracy panel's definition: by month, the three months before
	// March, every pipeline; month|best case|weighted|commit|won|won of the forecast|accuracy
	for _, c := range []struct {
		manager string
		want    string
	}{
		{"", "[[2024-12-01 0 0 0 0 0 <nil>] [2025-01-01 2000 800 0 2000 2000 2.5] [2025-02-01 15000 7000 15000 10000 10000 1.4285714285714286]]"},
		{"manager2", "[[2024-12-01 0 0 0 0 0 <nil>] [2025-01-01 0 0 0 0 0 <nil>] [2025-02-01 5000 1000 5000 0 0 0]]"},
	} {
		params := map[string]any{"months": 3, "by": "month"}
		if c.manager != "" {
			params["responsible"] = ts.Users[c.manager].ID
		}
		api.Rows = nil
		if st := ts.DoJSON("POST", "/api/v1/reports/run", "director", map[string]any{"kind": "forecast_accuracy", "params": params}, &api); st != 200 {
			t.Fatalf("forecast_accuracy API: %d", st)
		}
		if got := fmt.Sprint(api.Rows); got != c.want {
			t.Fatalf("forecast_accuracy API (%q) answers %s, want %s", c.manager, got, c.want)
		}
	}
	// the forecast's chart: won, the open deals stacked by category (here
	// only П-1's pipeline: empty series are left out), the plan; the
	// accuracy's: the weighted forecast beside won
	_, body, _ := ts.PageBody("GET", "/dashboards/director", "director", nil)
	for id, want := range map[string]string{
		"forecast":          "Выиграно, ₽/won:7000,0,0 Возможно, ₽/open:0,3000,0 План, ₽/plan:70000,0,0",
		"forecast_accuracy": "Прогноз взвешенный, ₽/:0,800,7000 Выиграно, ₽/:0,2000,10000",
	} {
		if got := chartSeriesOf(t, body, id); got != want {
			t.Errorf("%s chart: %s, want %s", id, got, want)
		}
	}
	for _, sc := range []struct {
		name, url, as   string
		contains, lacks []string
	}{
		{"director", "/dashboards/director", "director", []string{
			`id="panel-plan_fact"`, `id="chart-plan_fact"`, "План-факт по выручке: март 2025",
			"|Иванов Иван Иванович||50\u00a0000,00\u00a0₽||7\u00a0000,00\u00a0₽||14,0\u00a0%||—|",
			"|Петрова Анна Викторовна||20\u00a0000,00\u00a0₽||0,00\u00a0₽||0,0\u00a0%||—|",
			"Выполнено 10,0\u00a0% плана (70\u00a0000,00\u00a0₽) · прогноз — после первого рабочего дня · прошло рабочих дней: 0 из 21. По всем воронкам.",
			`id="panel-forecast"`, `id="chart-forecast"`, "|март 2025||7\u00a0000,00\u00a0₽|",
			// П-1 (needs, 20 %) in April: best case 3 000 = pipeline category 3 000
			"|апрель 2025||0,00\u00a0₽||3\u00a0000,00\u00a0₽||600,00\u00a0₽||—||0,00\u00a0₽||0,00\u00a0₽||3\u00a0000,00\u00a0₽|",
			`id="panel-forecast_accuracy"`, `id="chart-forecast_accuracy"`, "Точность прогноза за три прошлых месяца",
			"|декабрь 2024||0,00\u00a0₽||0,00\u00a0₽||0,00\u00a0₽||0,00\u00a0₽||0,00\u00a0₽||—|",
			"|январь 2025||2\u00a0000,00\u00a0₽||800,00\u00a0₽||0,00\u00a0₽||2\u00a0000,00\u00a0₽||2\u00a0000,00\u00a0₽||250,0\u00a0%|",
			"|февраль 2025||15\u00a0000,00\u00a0₽||7\u00a0000,00\u00a0₽||15\u00a0000,00\u00a0₽||10\u00a0000,00\u00a0₽||10\u00a0000,00\u00a0₽||142,9\u00a0%|",
			"Точность за февраль 2025: 142,9\u00a0% (выиграно ÷ взвешенный прогноз, каким он был к началу месяца). По всем воронкам."},
			[]string{`class="error"`}},
		{"director, one manager", "/dashboards/director?manager=" + dashtest.Itoa(ts.Users["manager2"].ID), "director", []string{
			"|Петрова Анна Викторовна||20\u00a0000,00\u00a0₽||0,00\u00a0₽|", "Выполнено 0,0\u00a0% плана (20\u00a0000,00\u00a0₽)",
			"|апрель 2025||0,00\u00a0₽||3\u00a0000,00\u00a0₽||600,00\u00a0₽|",
			"|февраль 2025||5\u00a0000,00\u00a0₽||1\u00a0000,00\u00a0₽||5\u00a0000,00\u00a0₽||0,00\u00a0₽||0,00\u00a0₽||0,0\u00a0%|",
			"Точность за февраль 2025: 0,0\u00a0%"},
			[]string{"|Иванов Иван Иванович||50", "|март 2025||7\u00a0000,00", "|январь 2025||2\u00a0000"}},
		{"manager: their own plan", "/dashboards/manager", "manager", []string{
			"|Иванов Иван Иванович||50\u00a0000,00\u00a0₽||7\u00a0000,00\u00a0₽||14,0\u00a0%|", "Выполнено 14,0\u00a0% плана (50\u00a0000,00\u00a0₽)"},
			[]string{"Петрова Анна Викторовна||20", `id="panel-forecast"`, `id="panel-forecast_accuracy"`, `class="error"`}},
		{"English", "/dashboards/director?lang=en", "director", []string{"Revenue plan vs actual: March 2025", "10.0% of the plan (70,000.00\u00a0₽) done",
			"Forecast accuracy, the last three months", "Accuracy in February 2025: 142.9%"}, []string{"Точность"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, body, _ := ts.PageBody("GET", sc.url, sc.as, nil)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			// the figures' drill links (drill_plans_browser_test.go) aside
			text := tableText(regexp.MustCompile(`<a class="drill" href="[^"]*">([^<]*)</a>`).ReplaceAllString(body, "$1"))
			for _, want := range sc.contains {
				if !strings.Contains(text, want) && !strings.Contains(body, want) {
					t.Errorf("lacks %q", want)
				}
			}
			for _, not := range sc.lacks {
				if strings.Contains(text, not) || strings.Contains(body, not) {
					t.Errorf("has %q", not)
				}
			}
			if t.Failed() {
				i := strings.Index(text, "План")
				t.Logf("page text near the panel: %.1500s", text[max(0, i):])
			}
		})
	}
}

// chartSeriesOf is the chart of a panel on a page as its series'
// "name/stack:values" (the ECharts option in data-option).
func chartSeriesOf(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="chart-` + id + `"[^>]*data-option="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no chart-%s", id)
	}
	var o struct {
		Series []struct {
			Name  string
			Stack string
			Data  []struct{ Value float64 }
		}
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &o); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range o.Series {
		var vals []string
		for _, d := range s.Data {
			vals = append(vals, strconv.FormatFloat(d.Value, 'f', -1, 64))
		}
		out = append(out, s.Name+"/"+s.Stack+":"+strings.Join(vals, ","))
	}
	return strings.Join(out, " ")
}
