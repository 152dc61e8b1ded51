package api_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportsDrill: POST /reports/drill over ReportFixture (manager's
// М-1 and М-2, manager2's «Секрет»): a cell, a total under the caller's
// access, a pivot cell, the limit, and every bad input a 422 on its field.
func TestReportsDrill(t *testing.T) {
	ts := dashtest.NewReport(t)
	const url = "/api/v1/reports/drill"
	m := dashtest.Itoa(ts.Users["manager"].ID)
	const byResp = `"definition":{"dataset":"deals","dimensions":[{"field":"responsible"}],"measures":[{"agg":"count"}]}`
	const pivot = `"definition":{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"}],"pivot":{"columns":["stage_kind"]}}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: `{` + byResp + `,"cell":{}}`, Status: 401},
		{Name: "director drills a manager's cell", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"cell":{"responsible":` + m + `}}`,
			Status: 200, Contains: []string{`"key":"id"`, `"key":"stage_name"`, `"М-1"`, `"М-2"`, `"total":2`, `"limit":10000`},
			NotContains: []string{"Секрет"}},
		{Name: "director's grand total", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"cell":{}}`,
			Status: 200, Contains: []string{`"М-1"`, `"М-2"`, "Секрет", `"total":3`}},
		{Name: "no cell is the grand total", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `}`,
			Status: 200, Contains: []string{`"total":3`}},
		{Name: "a manager's total holds only their records", Method: "POST", URL: url, As: "manager", Body: `{` + byResp + `,"cell":{}}`,
			Status: 200, Contains: []string{`"М-1"`, `"М-2"`, `"total":2`}, NotContains: []string{"Секрет"}},
		{Name: "another manager's cell is empty to a manager", Method: "POST", URL: url, As: "manager2", Body: `{` + byResp + `,"cell":{"responsible":` + m + `}}`,
			Status: 200, Contains: []string{`"rows":[]`, `"total":0`}},
		{Name: "pivot cell", Method: "POST", URL: url, As: "analyst", Body: `{` + pivot + `,"cell":{"responsible_name":"Иванов Иван Иванович","stage_kind":"won"}}`,
			Status: 200, Contains: []string{`"М-2"`, `"total":1`}, NotContains: []string{`"М-1"`}},
		{Name: "limit and sort", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"cell":{},"sort":[{"by":"amount","desc":true}],"limit":1}`,
			Status: 200, Contains: []string{`"М-2"`, `"total":3`, `"truncated":true`, `"limit":1`}, NotContains: []string{`"М-1"`}},
		{Name: "a key that is not a dimension", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"cell":{"amount":1000}}`,
			Status: 422, Field: "cell.amount", Contains: []string{`"not_a_dimension"`}},
		{Name: "a value of the wrong type", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"cell":{"responsible":"Иванов"}}`,
			Status: 422, Field: "cell.responsible", Contains: []string{`"invalid_value"`}},
		{Name: "sort by no column", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"sort":[{"by":"count"}]}`, Status: 422, Field: "sort[0].by"},
		{Name: "limit out of range", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"limit":-1}`, Status: 422, Field: "limit"},
		{Name: "no definition", Method: "POST", URL: url, As: "director", Body: `{"cell":{}}`, Status: 422, Field: "definition"},
		{Name: "a bad definition", Method: "POST", URL: url, As: "director", Body: `{"definition":{"dataset":"nope"}}`, Status: 422, Field: "definition.dataset"},
		{Name: "unknown field", Method: "POST", URL: url, As: "director", Body: `{` + byResp + `,"colour":"red"}`, Status: 422, Field: "colour"},
		{Name: "malformed JSON", Method: "POST", URL: url, As: "director", Body: `{"definition":`, Status: 400},
	})
}

// TestFunnelsDrill: POST /funnels/drill over the funnel fixture (F1
// new → first_contact → needs and F2 new → refused of manager; F3 new →
// first_contact and F4 new of manager2).
func TestFunnelsDrill(t *testing.T) {
	ts := newFunnelServer(t)
	const url = "/api/v1/funnels/drill"
	const jan = `"pipeline":"sales","period":{"from":"2025-01-01","to":"2025-01-31"}`
	m := dashtest.Itoa(ts.Users["manager"].ID)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: `{` + jan + `,"step":"new","which":"reached"}`, Status: 401},
		{Name: "reached the first step", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"step":"new","which":"reached"}`,
			Status: 200, Contains: []string{`"key":"id"`, `"F1"`, `"F2"`, `"F3"`, `"F4"`, `"total":4`}},
		{Name: "reached a later step", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"step":"first_contact","which":"reached"}`,
			Status: 200, Contains: []string{`"F1"`, `"F3"`, `"total":2`}, NotContains: []string{`"F2"`, `"F4"`}},
		{Name: "lost at the first step", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"step":"new","which":"lost"}`,
			Status: 200, Contains: []string{`"F2"`, `"total":1`}, NotContains: []string{`"F1"`}},
		{Name: "in a stage at as_of (mode from which)", Method: "POST", URL: url, As: "analyst",
			Body:   `{"pipeline":"sales","as_of":"2025-01-12T11:00:00Z","step":"needs","which":"current"}`,
			Status: 200, Contains: []string{`"F1"`, `"total":1`}, NotContains: []string{`"F3"`}},
		{Name: "a manager drills only their deals", Method: "POST", URL: url, As: "manager", Body: `{` + jan + `,"step":"new","which":"reached"}`,
			Status: 200, Contains: []string{`"F1"`, `"F2"`, `"total":2`}, NotContains: []string{`"F3"`, `"F4"`}},
		{Name: "one breakdown group", Method: "POST", URL: url, As: "director",
			Body:   `{` + jan + `,"breakdown":"responsible","breakdown_key":"` + m + `","step":"new","which":"reached"}`,
			Status: 200, Contains: []string{`"F1"`, `"F2"`, `"total":2`}, NotContains: []string{`"F3"`}},
		{Name: "a step not of the pipeline", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"step":"nope","which":"reached"}`,
			Status: 422, Field: "step", Contains: []string{`"not_a_step"`}},
		{Name: "unknown which", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"step":"new","which":"won"}`,
			Status: 422, Field: "which", Contains: []string{`"reached"`, `"lost"`, `"current"`}},
		{Name: "current of a reached funnel", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"mode":"reached","step":"new","which":"current"}`,
			Status: 422, Field: "which"},
		{Name: "the funnel's own checks", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"nope","period":{"preset":"this_month"},"step":"new","which":"reached"}`,
			Status: 422, Field: "pipeline"},
		{Name: "unknown field", Method: "POST", URL: url, As: "director", Body: `{` + jan + `,"step":"new","which":"reached","colour":"red"}`, Status: 422, Field: "colour"},
	})
}
