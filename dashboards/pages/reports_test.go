package pages_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportPages: the report list, a standard report with a period,
// the builder's preview and saving; fixture at TestDashboardPages.
func TestReportPages(t *testing.T) {
	ts := dashtest.NewReport(t)
	const preview = "/reports/new?dataset=deals&dim1=responsible_name&measure1=count&measure2=amount%3Asum&chart=bar"
	saved := ts.RowCount("saved_reports")
	save := url.Values{"csrf": {dashtest.CSRF}, "dataset": {"deals"}, "dim1": {"responsible_name"}, "measure1": {"count"}, "name": {"Мой отчёт"}, "do": {"save"}}
	noCSRF := url.Values{"dataset": {"deals"}, "measure1": {"count"}, "name": {"x"}, "do": {"save"}}
	empty := url.Values{"csrf": {dashtest.CSRF}, "dataset": {"deals"}, "measure1": {"count"}, "name": {""}, "do": {"save"}}
	runPageScenarios(t, ts, []pageScenario{
		{name: "list", method: "GET", url: "/reports", as: "manager", status: 200, contains: []string{"Сделки по стадиям", "Выигранные сделки по месяцам"}, lacks: []string{`href="/reports/new"`}},
		{name: "list, analyst may build", method: "GET", url: "/reports", as: "analyst", status: 200, contains: []string{`href="/reports/new"`}},
		// deals_by_stage in January 2025 for manager: М-1 1000 (weighted 0) and М-2 9000 (weighted 9000).
		{name: "standard report, manager's rows only", method: "GET", url: "/reports/deals_by_stage?from=2025-01-01&to=2025-01-31", as: "manager", status: 200,
			contains: []string{"|2||10\u00a0000,00\u00a0₽||9\u00a0000,00\u00a0₽|", `class="xlsx"`, `value="2025-01-01"`}, lacks: []string{"Секрет", "15000"}},
		{name: "unknown report → 404", method: "GET", url: "/reports/nope", as: "manager", status: 404},
		{name: "builder is for builders", method: "GET", url: "/reports/new", as: "manager", status: 303, location: "/reports"},
		{name: "builder form: labels, not column names", method: "GET", url: "/reports/new", as: "analyst", status: 200,
			contains: []string{">Ответственный<", "Сумма, ₽: сумма", `value="amount:sum"`}, lacks: []string{`id="panel-preview"`}},
		{name: "builder preview", method: "GET", url: preview, as: "analyst", status: 200,
			contains: []string{`id="chart-preview"`, "|Иванов Иван Иванович||2||10\u00a0000,00\u00a0₽|", "|Петрова Анна Викторовна||1||5\u00a0000,00\u00a0₽|", `name="csrf"`}},
		{name: "builder preview with an unknown field shows the error", method: "GET", url: "/reports/new?dataset=deals&dim1=nope&measure1=count", as: "analyst", status: 200,
			contains: []string{`class="error"`}},
		{name: "save without CSRF", method: "POST", url: "/reports/new", as: "analyst", form: noCSRF, status: 403},
		{name: "save with an empty name", method: "POST", url: "/reports/new", as: "analyst", form: empty, status: 422},
		{name: "a manager may not save", method: "POST", url: "/reports/new", as: "manager", form: save, status: 303, location: "/reports"},
	})
	if n := ts.RowCount("saved_reports"); n != saved {
		t.Fatalf("saved_reports %d after rejected saves, want %d", n, saved)
	}
	status, _, h := ts.PageBody("POST", "/reports/new", "analyst", save)
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "/reports/") || ts.RowCount("saved_reports") != saved+1 {
		t.Fatalf("save: %d %q", status, h.Get("Location"))
	}
	if status, body, _ := ts.PageBody("GET", h.Get("Location"), "analyst", nil); status != 200 || !strings.Contains(body, "Мой отчёт") || !strings.Contains(tableText(body), "|Петрова Анна Викторовна||1|") {
		t.Fatalf("saved report: %d %s", status, tableText(body))
	}
	if status, _, _ := ts.PageBody("GET", h.Get("Location"), "manager", nil); status != 404 {
		t.Fatalf("another's unshared report: %d, want 404", status)
	}
}

// pageScenario is one row of a page test table: a browser-like request
// (session and CSRF cookies, form body when not nil) and what the answer
// must be; contains and lacks look at the HTML and its text (tableText).
type pageScenario struct {
	name, method, url, as string
	form                  url.Values
	status                int
	location              string
	contains, lacks       []string
}

func runPageScenarios(t *testing.T, ts *dashtest.Server, rows []pageScenario) {
	t.Helper()
	for _, sc := range rows {
		t.Run(sc.name, func(t *testing.T) {
			status, body, h := ts.PageBody(sc.method, sc.url, sc.as, sc.form)
			if status != sc.status || h.Get("Location") != sc.location {
				t.Fatalf("status %d location %q, want %d %q: %s", status, h.Get("Location"), sc.status, sc.location, body)
			}
			text := body + tableText(body)
			for _, s := range sc.contains {
				if !strings.Contains(text, s) {
					t.Errorf("page lacks %q: %s", s, tableText(body))
				}
			}
			for _, s := range sc.lacks {
				if strings.Contains(text, s) {
					t.Errorf("page holds %q", s)
				}
			}
		})
	}
}
