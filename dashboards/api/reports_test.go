package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports"
)

func TestReportsRun(t *testing.T) {
	ts := dashtest.NewReport(t)
	const url = "/api/v1/reports/run"
	const titles = `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}]}`
	deals := ts.RowCount("deals")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: titles, Status: 401},
		{Name: "director sees every deal", Method: "POST", URL: url, As: "director", Status: 200,
			Body:     `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}]}`,
			Contains: []string{`["Иванов Иван Иванович",2,10000.00]`, `["Петрова Анна Викторовна",1,5000.00]`, `"totals":[null,3,15000.00]`, `"key":"amount_sum"`}},
		{Name: "manager never sees another manager's deal", Method: "POST", URL: url, As: "manager", Body: titles, Status: 200,
			Contains: []string{`["М-1",1,1000.00]`, `["М-2",1,9000.00]`, `"row_count":2`}, NotContains: []string{"Секрет", "Петрова"}},
		{Name: "nor in a pivot", Method: "POST", URL: url, As: "manager", Status: 200,
			Body:        `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"title"}],"measures":[{"agg":"count"}],"pivot":{"columns":["title"]}}`,
			Contains:    []string{`"key":"count|М-1"`},
			NotContains: []string{"Секрет"}},
		{Name: "manager2 sees own", Method: "POST", URL: url, As: "manager2", Body: titles, Status: 200,
			Contains: []string{`["Секрет",1,5000.00]`}, NotContains: []string{"М-1"}},
		{Name: "SQL in a value runs, bound", Method: "POST", URL: url, As: "analyst", Status: 200,
			Body:     `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"title","op":"eq","value":"'; DROP TABLE deals; --"}]}`,
			Contains: []string{`"rows":[[0]]`}},
		{Name: "SQL in a field name", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "dimensions[0].field",
			Body: `{"dataset":"deals","dimensions":[{"field":"title; DROP TABLE deals"}]}`, Contains: []string{`"code":"unknown_field"`}},
		{Name: "unknown dataset", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "dataset",
			Body: `{"dataset":"auth_tokens","measures":[{"agg":"count"}]}`, Contains: []string{`"allowed":[`}},
		{Name: "bad grain", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "dimensions[1].grain",
			Body: `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"created_at","grain":"decade"}]}`, Contains: []string{`"quarter"`}},
		{Name: "bad filter value", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "filters[0].value",
			Body: `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"amount","op":"gt","value":"lots"}]}`},
		{Name: "unknown field", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "colour", Body: `{"dataset":"deals","colour":"red"}`},
		{Name: "wrong type", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "limit", Body: `{"dataset":"deals","limit":"ten"}`},
		{Name: "malformed JSON", Method: "POST", URL: url, As: "analyst", Status: 400, Body: `{"dataset":`},
		{Name: "non-UTF-8", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "dataset", Body: "{\"dataset\":\"de\xffals\"}"},
		{Name: "datasets", Method: "GET", URL: "/api/v1/datasets", As: "manager", Status: 200,
			Contains: []string{`"key":"deals"`, `"key":"weighted_amount"`, `"label_ru":"Взвешенная сумма, ₽"`, `"key":"stage_changes"`, `"ops":[`}},
	})
	if n := ts.RowCount("deals"); n != deals {
		t.Errorf("deals %d after running reports, want %d", n, deals)
	}
}

func TestSavedReportsAPI(t *testing.T) {
	ts := dashtest.NewReport(t)
	const def = `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"}]}`
	mine := createdID(ts, "/api/v1/reports", "analyst", `{"name":"Аналитика","definition":`+def+`}`)
	shared := createdID(ts, "/api/v1/reports", "director", `{"name":"Для всех","definition":`+def+`,"shared":true}`)
	u := func(id int64, suffix string) string { return "/api/v1/reports/" + strconv.FormatInt(id, 10) + suffix }
	runRejects(t, ts, []string{"saved_reports"}, []dashtest.Scenario{
		{Name: "manager may not save", Method: "POST", URL: "/api/v1/reports", As: "manager", Body: `{"name":"x","definition":` + def + `}`, Status: 403},
		{Name: "invalid definition", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422, Field: "definition.dimensions[0].field",
			Body: `{"name":"x","definition":{"dataset":"deals","dimensions":[{"field":"nope"}]}}`},
		{Name: "unknown field in the definition", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422, Field: "colour",
			Body: `{"name":"x","definition":{"dataset":"deals","colour":1}}`},
		{Name: "empty name", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422, Field: "name", Body: `{"name":"","definition":` + def + `}`},
		{Name: "over-long name", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422, Field: "name",
			Body: `{"name":"` + strings.Repeat("я", 256) + `","definition":` + def + `}`},
		{Name: "shared of the wrong type", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422, Field: "shared",
			Body: `{"name":"x","definition":` + def + `,"shared":"yes"}`},
		{Name: "malformed", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 400, Body: `{"name":`},
		{Name: "non-UTF-8 name", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422, Field: "name", Body: "{\"name\":\"\xff\",\"definition\":" + def + "}"},
		{Name: "manager may not change a shared report", Method: "PATCH", URL: u(shared, ""), As: "manager", Body: `{"name":"x"}`, Status: 403},
		{Name: "no access → 404", Method: "PATCH", URL: u(mine, ""), As: "director", Body: `{"name":"x"}`, Status: 404},
		{Name: "invalid definition on change", Method: "PATCH", URL: u(mine, ""), As: "analyst", Status: 422, Field: "definition.measures[0].agg",
			Body: `{"definition":{"dataset":"deals","measures":[{"agg":"stddev"}]}}`},
		{Name: "delete: no access → 404", Method: "DELETE", URL: u(mine, ""), As: "director", Status: 404},
		{Name: "another's report is not deleted", Method: "DELETE", URL: u(shared, ""), As: "analyst", Status: 403},
		{Name: "unknown id", Method: "DELETE", URL: "/api/v1/reports/999999", As: "admin", Status: 404},
		{Name: "not an id", Method: "PATCH", URL: "/api/v1/reports/abc", As: "admin", Body: `{"name":"x"}`, Status: 404},
	})
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "list: own and shared", Method: "GET", URL: "/api/v1/reports", As: "analyst", Status: 200, Contains: []string{"Аналитика", "Для всех"}},
		{Name: "list: manager sees only shared", Method: "GET", URL: "/api/v1/reports", As: "manager", Status: 200,
			Contains: []string{"Для всех"}, NotContains: []string{"Аналитика"}},
		{Name: "no access → 404", Method: "GET", URL: u(mine, ""), As: "manager", Status: 404, NotContains: []string{"Аналитика"}},
		{Name: "one", Method: "GET", URL: u(mine, ""), As: "analyst", Status: 200, Contains: []string{`"source":"saved"`, `"name":"Аналитика"`}},
		{Name: "run a shared report as a manager: own rows only", Method: "GET", URL: u(shared, "/run"), As: "manager", Status: 200,
			Contains: []string{`["М-1",1]`}, NotContains: []string{"Секрет"}},
		{Name: "run with a period that holds nothing", Method: "GET", URL: u(shared, "/run?from=2024-01-01&to=2024-01-31"), As: "director", Status: 200,
			Contains: []string{`"rows":[]`, `"from":"2023-12-31T21:00:00Z"`}},
		{Name: "run with January", Method: "GET", URL: u(shared, "/run?from=2025-01-01&to=2025-01-31"), As: "director", Status: 200,
			Contains: []string{`["Секрет",1]`, `["М-1",1]`}},
		{Name: "bad period override", Method: "GET", URL: u(shared, "/run?from=01.01.2025&to=2025-01-31"), As: "director", Status: 422, Field: "from"},
		{Name: "backwards period", Method: "GET", URL: u(shared, "/run?from=2025-02-01&to=2025-01-31"), As: "director", Status: 422, Field: "to"},
		{Name: "run: no access → 404", Method: "GET", URL: u(mine, "/run"), As: "manager", Status: 404},
		{Name: "owner renames", Method: "PATCH", URL: u(shared, ""), As: "director", Body: `{"name":"Новое имя","shared":true}`, Status: 200,
			Contains: []string{`"name":"Новое имя"`}},
		{Name: "admin changes any", Method: "PATCH", URL: u(mine, ""), As: "admin", Body: `{"shared":false}`, Status: 200},
		{Name: "owner deletes", Method: "DELETE", URL: u(mine, ""), As: "analyst", Status: 204},
		{Name: "gone", Method: "GET", URL: u(mine, ""), As: "analyst", Status: 404},
	})
	if std := reports.StandardReports(); len(std) > 0 {
		dashtest.RunScenarios(t, ts, []dashtest.Scenario{
			{Name: "the catalog is listed", Method: "GET", URL: "/api/v1/reports", As: "manager", Status: 200, Contains: []string{`"id":"` + std[0].ID + `"`}},
			{Name: "the catalog is read-only", Method: "DELETE", URL: "/api/v1/reports/" + std[0].ID, As: "admin", Status: 403},
		})
	}
	if _, ok := reports.Standard("deals_by_stage"); ok {
		dashtest.RunScenarios(t, ts, []dashtest.Scenario{
			{Name: "a standard report with a period, as a manager", Method: "GET", As: "manager", Status: 200,
				URL:      "/api/v1/reports/deals_by_stage/run?from=2025-01-01&to=2025-01-31",
				Contains: []string{`"totals":[null,null,2,10000.00,9000.00]`}},
		})
	}
}
