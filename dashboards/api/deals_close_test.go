package api_test

import (
	"fmt"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestDealsExpectedCloseAPI: POST and PATCH /deals take an optional
// expected_close_at (issue 17), answered as "YYYY-MM-DD" or null; a
// patch without it keeps it, "" clears it; a date that is not a real
// YYYY-MM-DD is a 422 on the field and changes nothing.
func TestDealsExpectedCloseAPI(t *testing.T) {
	ts := dashtest.New(t)
	a := apiDeal(ts, "manager", "Поставка станков")
	u := fmt.Sprintf("/api/v1/deals/%d", a.ID)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "none by default", Method: "GET", URL: u, As: "manager", Status: 200, Contains: []string{`"expected_close_at":null`}},
		{Name: "create with a date", Method: "POST", URL: "/api/v1/deals", As: "manager", Status: 201,
			Body: `{"title":"С датой","pipeline":"sales","expected_close_at":"2026-09-30"}`, Contains: []string{`"expected_close_at":"2026-09-30"`}},
		{Name: "patch sets", Method: "PATCH", URL: u, As: "manager", Status: 200, Body: `{"expected_close_at":"2026-04-15"}`,
			Contains: []string{`"expected_close_at":"2026-04-15"`}},
		{Name: "patch without it keeps it", Method: "PATCH", URL: u, As: "manager", Status: 200, Body: `{"title":"Поставка станков ЧПУ"}`,
			Contains: []string{`"expected_close_at":"2026-04-15"`, "ЧПУ"}},
		{Name: "read back", Method: "GET", URL: u, As: "director", Status: 200, Contains: []string{`"expected_close_at":"2026-04-15"`}},
		{Name: "listed", Method: "GET", URL: "/api/v1/deals?q=" + "%D0%A7%D0%9F%D0%A3", As: "manager", Status: 200,
			Contains: []string{`"expected_close_at":"2026-04-15"`, `"total":1`}},
		{Name: "another manager may not set it (no access: 404)", Method: "PATCH", URL: u, As: "manager2", Status: 404, Body: `{"expected_close_at":"2026-05-01"}`},
	})
	runUnchanged(t, ts, []dashtest.Scenario{
		{Name: "create: not a real day", Method: "POST", URL: "/api/v1/deals", As: "manager", Status: 422, Field: "expected_close_at",
			Body: `{"title":"Плохая","pipeline":"sales","expected_close_at":"2025-02-30"}`, Contains: []string{"invalid_date"}},
		{Name: "create: Russian format", Method: "POST", URL: "/api/v1/deals", As: "manager", Status: 422, Field: "expected_close_at",
			Body: `{"title":"Плохая","pipeline":"sales","expected_close_at":"31.03.2025"}`},
		{Name: "create: a number", Method: "POST", URL: "/api/v1/deals", As: "manager", Status: 422, Field: "expected_close_at",
			Body: `{"title":"Плохая","pipeline":"sales","expected_close_at":20250331}`},
		{Name: "patch: no leading zeros", Method: "PATCH", URL: u, As: "manager", Status: 422, Field: "expected_close_at",
			Body: `{"expected_close_at":"2025-3-1","title":"Изменена"}`},
	}, "deals", "stage_changes")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "refused patches changed nothing", Method: "GET", URL: u, As: "manager", Status: 200,
			Contains: []string{`"expected_close_at":"2026-04-15"`, "Поставка станков ЧПУ"}},
		{Name: "patch clears", Method: "PATCH", URL: u, As: "manager", Status: 200, Body: `{"expected_close_at":""}`,
			Contains: []string{`"expected_close_at":null`}},
	})
}
