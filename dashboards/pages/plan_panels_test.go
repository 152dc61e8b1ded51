package pages_test

import (
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

// The plan-fact and forecast panels show what the API answers for the
// same question (worked out by hand above), a manager only their own.
func TestPlanPanels(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, planPanelFixture)
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
	for _, sc := range []struct {
		name, url, as   string
		contains, lacks []string
	}{
		{"director", "/dashboards/director", "director", []string{
			`id="panel-plan_fact"`, `id="chart-plan_fact"`, "План-факт по выручке: март 2025",
			"|Иванов Иван Иванович||50\u00a0000,00\u00a0₽||7\u00a0000,00\u00a0₽||14,0\u00a0%||—|",
			"|Петрова Анна Викторовна||20\u00a0000,00\u00a0₽||0,00\u00a0₽||0,0\u00a0%||—|",
			"Выполнено 10,0\u00a0% плана (70\u00a0000,00\u00a0₽) · прогноз — после первого рабочего дня · прошло рабочих дней: 0 из 21. По всем воронкам.",
			`id="panel-forecast"`, `id="chart-forecast"`, "|март 2025||7\u00a0000,00\u00a0₽|", "|апрель 2025||0,00\u00a0₽||3\u00a0000,00\u00a0₽||600,00\u00a0₽|"},
			[]string{`class="error"`}},
		{"director, one manager", "/dashboards/director?manager=" + dashtest.Itoa(ts.Users["manager2"].ID), "director", []string{
			"|Петрова Анна Викторовна||20\u00a0000,00\u00a0₽||0,00\u00a0₽|", "Выполнено 0,0\u00a0% плана (20\u00a0000,00\u00a0₽)",
			"|апрель 2025||0,00\u00a0₽||3\u00a0000,00\u00a0₽||600,00\u00a0₽|"},
			[]string{"|Иванов Иван Иванович||50", "|март 2025||7\u00a0000,00"}},
		{"manager: their own plan", "/dashboards/manager", "manager", []string{
			"|Иванов Иван Иванович||50\u00a0000,00\u00a0₽||7\u00a0000,00\u00a0₽||14,0\u00a0%|", "Выполнено 14,0\u00a0% плана (50\u00a0000,00\u00a0₽)"},
			[]string{"Петрова Анна Викторовна||20", `id="panel-forecast"`, `class="error"`}},
		{"English", "/dashboards/director?lang=en", "director", []string{"Revenue plan vs actual: March 2025", "10.0% of the plan (70,000.00\u00a0₽) done"}, nil},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, body, _ := ts.PageBody("GET", sc.url, sc.as, nil)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			text := tableText(body)
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
