package api_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportsDrillPeople: POST /reports/drill into manager activity,
// activities against outcomes and the heatmap over ReportFixture and
// ActivityFixture (manager's calls «Звонок 1–3» on 10 January and
// «Встреча» on the 11th, deals М-1 and М-2; manager2's calls «Звонок А»,
// «Звонок Б» and deal «Секрет»): a manager's number, a total under the
// caller's access, a heatmap cell, and bad input a 422 on its field.
func TestReportsDrillPeople(t *testing.T) {
	ts := dashtest.NewActivity(t)
	const url = "/api/v1/reports/drill"
	m := dashtest.Itoa(ts.Users["manager"].ID)
	const jan = `"period":{"from":"2025-01-01","to":"2025-01-31"}`
	const ma = `"definition":{"kind":"manager_activity",` + jan + `}`
	const ao = `"definition":{"kind":"activity_outcomes",` + jan + `}`
	const hm = `"definition":{"kind":"activity_heatmap",` + jan + `}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: `{` + ma + `,"cell":{},"column":"calls"}`, Status: 401},
		{Name: "director drills a manager's calls", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{"responsible":` + m + `},"column":"calls"}`,
			Status: 200, Contains: []string{`"key":"subject"`, `"key":"deal_id"`, "Звонок 1", "Звонок 2", "Звонок 3", `"total":3`},
			NotContains: []string{"Звонок А", "Встреча"}},
		{Name: "the row's id as text", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{"responsible":"` + m + `"},"column":"meetings"}`,
			Status: 200, Contains: []string{"Встреча", `"total":1`}},
		{Name: "a manager's team total holds only their calls", Method: "POST", URL: url, As: "manager", Body: `{` + ma + `,"cell":{},"column":"calls"}`,
			Status: 200, Contains: []string{"Звонок 1", `"total":3`}, NotContains: []string{"Звонок А"}},
		{Name: "another manager's calls are empty to a manager", Method: "POST", URL: url, As: "manager2", Body: `{` + ma + `,"cell":{"responsible":` + m + `},"column":"calls"}`,
			Status: 200, Contains: []string{`"rows":[]`, `"total":0`}},
		{Name: "deals created are deals", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{"responsible":` + m + `},"column":"deals_created"}`,
			Status: 200, Contains: []string{`"key":"stage_name"`, `"М-1"`, `"М-2"`, `"total":2`}, NotContains: []string{"Секрет"}},
		{Name: "forward moves are stage changes", Method: "POST", URL: url, As: "director", Body: `{` + ao + `,"cell":{},"column":"stages_advanced"}`,
			Status: 200, Contains: []string{`"key":"to_stage_name"`, `"total":0`}},
		{Name: "a heatmap cell", Method: "POST", URL: url, As: "analyst", Body: `{` + hm + `,"cell":{"owner":` + m + `,"created_at_day":"2025-01-10"}}`,
			Status: 200, Contains: []string{"Звонок 1", "Звонок 3", `"total":3`}, NotContains: []string{"Встреча", "Звонок А"}},
		{Name: "the heatmap's total", Method: "POST", URL: url, As: "director", Body: `{` + hm + `,"cell":{},"column":"count"}`,
			Status: 200, Contains: []string{`"total":6`}},
		{Name: "no column", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{}}`,
			Status: 422, Field: "column", Contains: []string{`"required"`, `"deals_won"`}},
		{Name: "a column not of the answer", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{},"column":"stages_advanced"}`,
			Status: 422, Field: "column", Contains: []string{`"unknown_column"`}},
		{Name: "a ratio counts nothing", Method: "POST", URL: url, As: "director", Body: `{` + ao + `,"cell":{},"column":"calls_per_won"}`,
			Status: 422, Field: "column", Contains: []string{`"not_countable"`}},
		{Name: "a key the rows do not have", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{"owner":` + m + `},"column":"calls"}`,
			Status: 422, Field: "cell.owner", Contains: []string{`"not_a_row_key"`, `"responsible"`}},
		{Name: "a user id of the wrong type", Method: "POST", URL: url, As: "director", Body: `{` + ma + `,"cell":{"responsible":"Иванов"},"column":"calls"}`,
			Status: 422, Field: "cell.responsible", Contains: []string{`"invalid_value"`}},
		{Name: "a bucket not a date", Method: "POST", URL: url, As: "director", Body: `{` + hm + `,"cell":{"created_at_day":"среда"}}`,
			Status: 422, Field: "cell.created_at_day"},
	})
}
