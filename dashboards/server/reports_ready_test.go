package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportsReady: without a report engine every handler that runs
// reports, API or page, answers the one guard's 503 reports_unavailable.
func TestReportsReady(t *testing.T) {
	ts := dashtest.New(t) // no engine
	def := `{"dataset":"deals","measures":[{"agg":"count"}]}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "run", Method: "POST", URL: "/api/v1/reports/run", As: "analyst", Body: def, Status: 503, Contains: []string{`"code":"reports_unavailable"`}},
		{Name: "list", Method: "GET", URL: "/api/v1/reports", As: "analyst", Status: 503, Contains: []string{`"code":"reports_unavailable"`}},
		{Name: "export", Method: "POST", URL: "/api/v1/reports/run.xlsx", As: "analyst", Body: def, Status: 503, Contains: []string{`"code":"reports_unavailable"`}},
		{Name: "funnel", Method: "POST", URL: "/api/v1/funnels/run", As: "analyst", Body: `{"pipeline":"sales"}`, Status: 503,
			Contains: []string{`"code":"reports_unavailable"`}},
	})
	for _, url := range []string{"/reports", "/reports/deals_by_stage", "/reports/deals_by_stage/xlsx", "/reports/new/xlsx",
		"/dashboards/director/xlsx?panel=funnel"} {
		status, body, _ := ts.PageBody("GET", url, "director", nil)
		// a page says it in the reader's words (the code's text), not the API's English
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "Аналитика сейчас недоступна.") {
			t.Errorf("%s: %d %s, want 503 with the guard's message in Russian", url, status, body)
		}
	}
}
