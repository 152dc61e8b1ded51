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

// februaryActivity adds to dashtest.ActivityFixture (January 2025: the
// manager 3 calls and a meeting, manager2 2 calls) the manager's call at
// 23:59:59 on 31 January (January's) and one at 00:00 on 1 February
// (February's), Moscow time.
const februaryActivity = `
INSERT INTO activities (type, subject, owner_id, direction, done_at, created_at, updated_at)
SELECT 'call', v.subject, %[1]d, 'out', v.at::timestamptz, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('Звонок поздно', '2025-01-31 23:59:59+03'), ('Звонок рано', '2025-02-01 00:00:00+03')) AS v (subject, at)`

// TestReportComparePeopleOverHTTP: manager activity for February 2025
// against January. The manager: February 1 call; January 4 calls
// (−75 %), 1 meeting (−100 %), 2 deals created (М-1, М-2: −100 %).
// manager2 has nothing in February: the row is there with the current
// cells null and January's 2 calls, 1 deal. The team: 1 call against 6.
// The manager sees their own row only; the heatmap is not compared.
func TestReportComparePeopleOverHTTP(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, dashtest.ActivityFixture, februaryActivity)
	const run = "/api/v1/reports/run"
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	def := `{"kind":"manager_activity","period":{"from":"2025-02-01","to":"2025-02-28"},"compare":"previous_period"}`
	mine := fmt.Sprintf(`["%d","Иванов Иван Иванович",1,0,0,0,0,0,0,0,0.00,null,null,4,-0.75,0,null,1,-1,0,null,2,-1,0,null,0,null,0.00,null,null,null,null,null]`, m)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "the team, February against January", Method: "POST", URL: run, As: "director", Status: 200, Body: def,
			Contains: []string{`"rows":[` + mine + `,` +
				fmt.Sprintf(`["%d","Петрова Анна Викторовна",null,null,null,null,null,null,null,null,null,null,null,2,null,0,null,0,null,0,null,1,null,0,null,0,null,0.00,null,null,null,null,null]]`, m2),
				`"totals":[null,null,1,0,0,0,0,0,0,0,0.00,null,null,6,-0.8333`, `"key":"calls_prev"`, `"key":"win_rate_change"`,
				`"compared":{"mode":"previous_period","from":"2024-12-31T21:00:00Z","to":"2025-01-31T21:00:00Z"}`},
			NotContains: []string{`"key":"tasks_overdue_prev"`}},
		{Name: "the manager's own row only", Method: "POST", URL: run, As: "manager", Status: 200, Body: def,
			Contains: []string{`"rows":[` + mine + `]`}, NotContains: []string{"Петрова"}},
		{Name: "the heatmap is not compared", Method: "POST", URL: run, As: "director", Status: 422, Field: "compare",
			Body: `{"kind":"activity_heatmap","period":{"from":"2025-02-01","to":"2025-02-28"},"compare":"previous_period"}`},
	})
}
