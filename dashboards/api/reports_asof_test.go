package api_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestPipelineSnapshotAsOf: the standard "Срез воронки" (a current-mode
// funnel) is the pipeline as of ?as_of= (by hand from funnelFixture, a
// date meaning the end of that day in Moscow): at the end of 11 January
// F1 sits in needs (since 01-10 12:00) and F2 in refused, F3 and F4 are
// not created yet; now (2025-03-01) F3 is in first_contact and F4 in
// new. A report that is no snapshot refuses as_of, as does a non-date.
func TestPipelineSnapshotAsOf(t *testing.T) {
	ts := newFunnelServer(t)
	const url = "/api/v1/reports/pipeline_snapshot/run"
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "now", Method: "GET", URL: url, As: "director", Status: 200,
			Contains: []string{`["new","Не обработана",1,3600.00,`, `["first_contact","Первичный контакт",1,3000.00,`,
				`["needs","Сбор потребностей",1,1000.00,`, `["refused","Отказ",1,2000.00,`}},
		{Name: "as of 11 January", Method: "GET", URL: url + "?as_of=2025-01-11", As: "director", Status: 200,
			Contains: []string{`["new","Не обработана",0,0.00,`, `["first_contact","Первичный контакт",0,0.00,`,
				`["needs","Сбор потребностей",1,1000.00,`, `["refused","Отказ",1,2000.00,`}},
		{Name: "as of an instant", Method: "GET", URL: url + "?as_of=2025-01-12T11:00:00Z", As: "analyst", Status: 200,
			Contains: []string{`["new","Не обработана",0,0.00,`, `["first_contact","Первичный контакт",1,3000.00,`}},
		{Name: "a manager's snapshot holds their deals", Method: "GET", URL: url + "?as_of=2025-01-11", As: "manager2", Status: 200,
			Contains: []string{`["needs","Сбор потребностей",0,0.00,`, `["refused","Отказ",0,0.00,`}},
		{Name: "as_of is a date", Method: "GET", URL: url + "?as_of=yesterday", As: "director", Status: 422, Field: "as_of"},
		{Name: "another report takes no as_of", Method: "GET", URL: "/api/v1/reports/deals_by_stage/run?as_of=2025-01-11", As: "director",
			Status: 422, Field: "as_of"},
		{Name: "the XLSX takes it too", Method: "GET", URL: "/api/v1/reports/deals_by_stage/export.xlsx?as_of=2025-01-11", As: "director",
			Status: 422, Field: "as_of"},
		{Name: "the OpenAPI lists it", Method: "GET", URL: "/api/v1/openapi.json", Status: 200,
			Contains: []string{`{"in":"query","name":"to","schema":{"type":"string"}},{"in":"query","name":"as_of","schema":{"type":"string"}}]`}},
	})
}
