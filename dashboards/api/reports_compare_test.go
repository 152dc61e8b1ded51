package api_test

import (
	"fmt"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportCompareOverHTTP: compare on the run calls. The fixture's
// three deals (15 000 ₽, two of them the manager's: 10 000 ₽) are all
// January 2025's: February compared with the month before has nothing
// now and them before (a count change of −100 %; a sum of nothing is null, and so its change), under each caller's access;
// a bad compare is a 422 on it.
func TestReportCompareOverHTTP(t *testing.T) {
	ts := dashtest.NewReport(t)
	const run, funnels = "/api/v1/reports/run", "/api/v1/funnels/run"
	feb := `{"dataset":"deals","measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],"period":{"from":"2025-02-01","to":"2025-02-28"},"compare":%q}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "February against January", Method: "POST", URL: run, As: "director", Status: 200, Body: fmt.Sprintf(feb, "previous_period"),
			Contains: []string{`"rows":[[0,null,3,-1,15000.00,null]]`, `"key":"count_prev"`, `"key":"amount_sum_change"`, `"compared":{"mode":"previous_period","from":"2024-12-31T21:00:00Z","to":"2025-01-31T21:00:00Z"}`}},
		{Name: "the manager's own only", Method: "POST", URL: run, As: "manager", Status: 200, Body: fmt.Sprintf(feb, "previous_period"),
			Contains: []string{`"rows":[[0,null,2,-1,10000.00,null]]`}},
		{Name: "an unknown compare", Method: "POST", URL: run, As: "director", Status: 422, Field: "compare", Body: fmt.Sprintf(feb, "last_month"),
			Contains: []string{"previous_period", "previous_year"}},
		{Name: "a funnel compared with the month before", Method: "POST", URL: funnels, As: "director", Status: 200,
			Body:     `{"pipeline":"sales","period":{"from":"2025-02-01","to":"2025-02-28"},"compare":"previous_period"}`,
			Contains: []string{`"count_prev":`, `"compared":{"mode":"previous_period"`}},
		{Name: "a funnel's unknown compare", Method: "POST", URL: funnels, As: "director", Status: 422, Field: "compare",
			Body: `{"pipeline":"sales","period":{"from":"2025-02-01","to":"2025-02-28"},"compare":"yesterday"}`},
	})
}
