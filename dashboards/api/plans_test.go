package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// The plans API (issue 17, ../shared/API.md "Plans and forecasts"):
// PUT as a director answers the month's targets, again the same; a
// manager reads their own and may not set; every bad field is a 422 on
// that field and stores nothing.
func TestPlansAPI(t *testing.T) {
	ts := dashtest.New(t)
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	body := fmt.Sprintf(`{"metric":"won_amount","month":"2025-03","targets":[{"responsible_id":%d,"value":1500000},{"responsible_id":%d,"value":"750000.50"}]}`, m, m2)
	mine := fmt.Sprintf(`{"metric":"won_amount","month":"2025-03","pipeline":null,"responsible_id":%d,"value":1500000.00}`, m)
	theirs := fmt.Sprintf(`"responsible_id":%d,"value":750000.50`, m2)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "director sets the month", Method: "PUT", URL: "/api/v1/plans", As: "director", Body: body, Status: 200,
			Contains: []string{`"total":2`, mine, theirs}},
		{Name: "the same again", Method: "PUT", URL: "/api/v1/plans", As: "admin", Body: body, Status: 200,
			Contains: []string{`"total":2`, mine, theirs}},
		{Name: "analyst reads all", Method: "GET", URL: "/api/v1/plans?month=2025-03&metric=won_amount", As: "analyst", Status: 200,
			Contains: []string{`"total":2`, mine, theirs}},
		{Name: "manager reads their own", Method: "GET", URL: "/api/v1/plans?month=2025-03", As: "manager", Status: 200,
			Contains: []string{`"total":1`, mine}, NotContains: []string{theirs}},
		{Name: "other month: none", Method: "GET", URL: "/api/v1/plans?month=2025-04", As: "director", Status: 200,
			Contains: []string{`"total":0`, `"items":[]`}},
		{Name: "sales pipeline: none yet", Method: "GET", URL: "/api/v1/plans?pipeline=sales", As: "director", Status: 200,
			Contains: []string{`"total":0`}},
		{Name: "bad month filter", Method: "GET", URL: "/api/v1/plans?month=03.2025", As: "director", Status: 422, Field: "month"},
		{Name: "unknown pipeline filter", Method: "GET", URL: "/api/v1/plans?pipeline=nope", As: "director", Status: 422, Field: "pipeline"},
	})
	one := func(metric, month, target string) string {
		return fmt.Sprintf(`{"metric":%q,"month":%q,"targets":[{"responsible_id":%d,"value":1},%s]}`, metric, month, m, target)
	}
	bad := func(name, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "PUT", URL: "/api/v1/plans", As: as, Body: body, Status: status, Field: field}
	}
	okTarget := fmt.Sprintf(`{"responsible_id":%d,"value":2}`, m2)
	runRejects(t, ts, []string{"plans"}, []dashtest.Scenario{
		bad("manager sets a plan", "manager", one("calls", "2025-05", okTarget), 403, ""),
		bad("analyst sets a plan", "analyst", one("calls", "2025-05", okTarget), 403, ""),
		bad("unknown metric", "director", one("revenue", "2025-05", okTarget), 422, "metric"),
		bad("month not YYYY-MM", "director", one("calls", "2025-5", okTarget), 422, "month"),
		bad("month 13", "director", one("calls", "2025-13", okTarget), 422, "month"),
		bad("negative target", "director", one("calls", "2025-05", fmt.Sprintf(`{"responsible_id":%d,"value":-3}`, m2)), 422, "targets[1].value"),
		bad("non-numeric target", "director", one("calls", "2025-05", fmt.Sprintf(`{"responsible_id":%d,"value":"много"}`, m2)), 422, "targets.value"),
		bad("fractional calls", "director", one("calls", "2025-05", fmt.Sprintf(`{"responsible_id":%d,"value":2.5}`, m2)), 422, "targets[1].value"),
		bad("responsible not a manager", "director", one("calls", "2025-05", fmt.Sprintf(`{"responsible_id":%d,"value":2}`, ts.Users["analyst"].ID)), 422, "targets[1].responsible_id"),
		bad("unknown responsible", "director", one("calls", "2025-05", `{"responsible_id":987654,"value":2}`), 422, "targets[1].responsible_id"),
		bad("unknown pipeline", "director", strings.Replace(one("calls", "2025-05", okTarget), `"targets"`, `"pipeline":"nope","targets"`, 1), 422, "pipeline"),
		bad("unknown field", "director", strings.Replace(one("calls", "2025-05", okTarget), `"targets"`, `"team":1,"targets"`, 1), 422, "team"),
		bad("malformed JSON", "director", `{"metric":`, 400, ""),
	})
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "null removes a target", Method: "PUT", URL: "/api/v1/plans", As: "director", Status: 200,
			Body:     fmt.Sprintf(`{"metric":"won_amount","month":"2025-03","targets":[{"responsible_id":%d,"value":null}]}`, m2),
			Contains: []string{`"total":1`, mine}, NotContains: []string{theirs}},
	})
}
