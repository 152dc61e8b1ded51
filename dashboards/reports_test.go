package dashboards

import (
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/reports"
)

// reportFixture: manager's deals М-1 (1000 RUB) and М-2 (100 USD at 90 =
// 9000 ₽), manager2's «Секрет» (5000 RUB), all created in January 2025.
const reportFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, v.cur, v.resp, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('М-1', 'new', 1000, 'RUB', %[1]d, '2025-01-10 10:00+03'), ('М-2', 'won', 100, 'USD', %[1]d, '2025-01-20 10:00+03'),
             ('Секрет', 'needs', 5000, 'RUB', %[2]d, '2025-01-15 10:00+03')) AS v (title, stage, amount, cur, resp, at)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage`

// newReportServer is the harness with the fixture copied to ClickHouse
// and the server given a report engine over it.
func newReportServer(t *testing.T) *testServer {
	t.Helper()
	return newEngineServer(t, reportFixture)
}

func TestReportsRun(t *testing.T) {
	ts := newReportServer(t)
	const url = "/api/v1/reports/run"
	const titles = `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}]}`
	deals := ts.rowCount("deals")
	runScenarios(t, ts, []scenario{
		{name: "anonymous", method: "POST", url: url, body: titles, status: 401},
		{name: "director sees every deal", method: "POST", url: url, as: "director", status: 200,
			body:     `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}]}`,
			contains: []string{`["Иванов Иван Иванович",2,10000.00]`, `["Петрова Анна Викторовна",1,5000.00]`, `"totals":[null,3,15000.00]`, `"key":"amount_sum"`}},
		{name: "manager never sees another manager's deal", method: "POST", url: url, as: "manager", body: titles, status: 200,
			contains: []string{`["М-1",1,1000.00]`, `["М-2",1,9000.00]`, `"row_count":2`}, notContains: []string{"Секрет", "Петрова"}},
		{name: "nor in a pivot", method: "POST", url: url, as: "manager", status: 200,
			body:        `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"title"}],"measures":[{"agg":"count"}],"pivot":{"columns":["title"]}}`,
			contains:    []string{`"key":"count|М-1"`},
			notContains: []string{"Секрет"}},
		{name: "manager2 sees own", method: "POST", url: url, as: "manager2", body: titles, status: 200,
			contains: []string{`["Секрет",1,5000.00]`}, notContains: []string{"М-1"}},
		{name: "SQL in a value runs, bound", method: "POST", url: url, as: "analyst", status: 200,
			body:     `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"title","op":"eq","value":"'; DROP TABLE deals; --"}]}`,
			contains: []string{`"rows":[[0]]`}},
		{name: "SQL in a field name", method: "POST", url: url, as: "analyst", status: 422, field: "dimensions[0].field",
			body: `{"dataset":"deals","dimensions":[{"field":"title; DROP TABLE deals"}]}`, contains: []string{`"code":"unknown_field"`}},
		{name: "unknown dataset", method: "POST", url: url, as: "analyst", status: 422, field: "dataset",
			body: `{"dataset":"auth_tokens","measures":[{"agg":"count"}]}`, contains: []string{`"allowed":[`}},
		{name: "bad grain", method: "POST", url: url, as: "analyst", status: 422, field: "dimensions[1].grain",
			body: `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"created_at","grain":"decade"}]}`, contains: []string{`"quarter"`}},
		{name: "bad filter value", method: "POST", url: url, as: "analyst", status: 422, field: "filters[0].value",
			body: `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"amount","op":"gt","value":"lots"}]}`},
		{name: "unknown field", method: "POST", url: url, as: "analyst", status: 422, field: "colour", body: `{"dataset":"deals","colour":"red"}`},
		{name: "wrong type", method: "POST", url: url, as: "analyst", status: 422, field: "limit", body: `{"dataset":"deals","limit":"ten"}`},
		{name: "malformed JSON", method: "POST", url: url, as: "analyst", status: 400, body: `{"dataset":`},
		{name: "non-UTF-8", method: "POST", url: url, as: "analyst", status: 422, field: "dataset", body: "{\"dataset\":\"de\xffals\"}"},
		{name: "datasets", method: "GET", url: "/api/v1/datasets", as: "manager", status: 200,
			contains: []string{`"key":"deals"`, `"key":"weighted_amount"`, `"label_ru":"Взвешенная сумма, ₽"`, `"key":"stage_changes"`, `"ops":[`}},
	})
	if n := ts.rowCount("deals"); n != deals {
		t.Errorf("deals %d after running reports, want %d", n, deals)
	}
}

func TestSavedReportsAPI(t *testing.T) {
	ts := newReportServer(t)
	const def = `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"}]}`
	mine := createdID(ts, "/api/v1/reports", "analyst", `{"name":"Аналитика","definition":`+def+`}`)
	shared := createdID(ts, "/api/v1/reports", "director", `{"name":"Для всех","definition":`+def+`,"shared":true}`)
	u := func(id int64, suffix string) string { return "/api/v1/reports/" + strconv.FormatInt(id, 10) + suffix }
	runRejects(t, ts, []string{"saved_reports"}, []scenario{
		{name: "manager may not save", method: "POST", url: "/api/v1/reports", as: "manager", body: `{"name":"x","definition":` + def + `}`, status: 403},
		{name: "invalid definition", method: "POST", url: "/api/v1/reports", as: "analyst", status: 422, field: "definition.dimensions[0].field",
			body: `{"name":"x","definition":{"dataset":"deals","dimensions":[{"field":"nope"}]}}`},
		{name: "unknown field in the definition", method: "POST", url: "/api/v1/reports", as: "analyst", status: 422, field: "colour",
			body: `{"name":"x","definition":{"dataset":"deals","colour":1}}`},
		{name: "empty name", method: "POST", url: "/api/v1/reports", as: "analyst", status: 422, field: "name", body: `{"name":"","definition":` + def + `}`},
		{name: "over-long name", method: "POST", url: "/api/v1/reports", as: "analyst", status: 422, field: "name",
			body: `{"name":"` + strings.Repeat("я", 256) + `","definition":` + def + `}`},
		{name: "shared of the wrong type", method: "POST", url: "/api/v1/reports", as: "analyst", status: 422, field: "shared",
			body: `{"name":"x","definition":` + def + `,"shared":"yes"}`},
		{name: "malformed", method: "POST", url: "/api/v1/reports", as: "analyst", status: 400, body: `{"name":`},
		{name: "non-UTF-8 name", method: "POST", url: "/api/v1/reports", as: "analyst", status: 422, field: "name", body: "{\"name\":\"\xff\",\"definition\":" + def + "}"},
		{name: "manager may not change a shared report", method: "PATCH", url: u(shared, ""), as: "manager", body: `{"name":"x"}`, status: 403},
		{name: "no access → 404", method: "PATCH", url: u(mine, ""), as: "director", body: `{"name":"x"}`, status: 404},
		{name: "invalid definition on change", method: "PATCH", url: u(mine, ""), as: "analyst", status: 422, field: "definition.measures[0].agg",
			body: `{"definition":{"dataset":"deals","measures":[{"agg":"stddev"}]}}`},
		{name: "delete: no access → 404", method: "DELETE", url: u(mine, ""), as: "director", status: 404},
		{name: "another's report is not deleted", method: "DELETE", url: u(shared, ""), as: "analyst", status: 403},
		{name: "unknown id", method: "DELETE", url: "/api/v1/reports/999999", as: "admin", status: 404},
		{name: "not an id", method: "PATCH", url: "/api/v1/reports/abc", as: "admin", body: `{"name":"x"}`, status: 404},
	})
	runScenarios(t, ts, []scenario{
		{name: "list: own and shared", method: "GET", url: "/api/v1/reports", as: "analyst", status: 200, contains: []string{"Аналитика", "Для всех"}},
		{name: "list: manager sees only shared", method: "GET", url: "/api/v1/reports", as: "manager", status: 200,
			contains: []string{"Для всех"}, notContains: []string{"Аналитика"}},
		{name: "no access → 404", method: "GET", url: u(mine, ""), as: "manager", status: 404, notContains: []string{"Аналитика"}},
		{name: "one", method: "GET", url: u(mine, ""), as: "analyst", status: 200, contains: []string{`"source":"saved"`, `"name":"Аналитика"`}},
		{name: "run a shared report as a manager: own rows only", method: "GET", url: u(shared, "/run"), as: "manager", status: 200,
			contains: []string{`["М-1",1]`}, notContains: []string{"Секрет"}},
		{name: "run with a period that holds nothing", method: "GET", url: u(shared, "/run?from=2024-01-01&to=2024-01-31"), as: "director", status: 200,
			contains: []string{`"rows":[]`, `"from":"2023-12-31T21:00:00Z"`}},
		{name: "run with January", method: "GET", url: u(shared, "/run?from=2025-01-01&to=2025-01-31"), as: "director", status: 200,
			contains: []string{`["Секрет",1]`, `["М-1",1]`}},
		{name: "bad period override", method: "GET", url: u(shared, "/run?from=01.01.2025&to=2025-01-31"), as: "director", status: 422, field: "from"},
		{name: "backwards period", method: "GET", url: u(shared, "/run?from=2025-02-01&to=2025-01-31"), as: "director", status: 422, field: "to"},
		{name: "run: no access → 404", method: "GET", url: u(mine, "/run"), as: "manager", status: 404},
		{name: "owner renames", method: "PATCH", url: u(shared, ""), as: "director", body: `{"name":"Новое имя","shared":true}`, status: 200,
			contains: []string{`"name":"Новое имя"`}},
		{name: "admin changes any", method: "PATCH", url: u(mine, ""), as: "admin", body: `{"shared":false}`, status: 200},
		{name: "owner deletes", method: "DELETE", url: u(mine, ""), as: "analyst", status: 204},
		{name: "gone", method: "GET", url: u(mine, ""), as: "analyst", status: 404},
	})
	if std := reports.StandardReports(); len(std) > 0 {
		runScenarios(t, ts, []scenario{
			{name: "the catalog is listed", method: "GET", url: "/api/v1/reports", as: "manager", status: 200, contains: []string{`"id":"` + std[0].ID + `"`}},
			{name: "the catalog is read-only", method: "DELETE", url: "/api/v1/reports/" + std[0].ID, as: "admin", status: 403},
		})
	}
	if _, ok := reports.Standard("deals_by_stage"); ok {
		runScenarios(t, ts, []scenario{
			{name: "a standard report with a period, as a manager", method: "GET", as: "manager", status: 200,
				url:      "/api/v1/reports/deals_by_stage/run?from=2025-01-01&to=2025-01-31",
				contains: []string{`"totals":[null,null,2,10000.00,9000.00]`}},
		})
	}
}
