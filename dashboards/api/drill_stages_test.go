package api_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestStagesDrill: POST /reports/drill into the stage percentages and
// the stage movement of January over funnelFixture (by current group:
// Обработка F4, Квалификация F1 and F3, Поражение F2; stays in new: F1
// and F3 advanced, F2 lost, F4 still there), under the caller's access;
// offset pages through /reports/drill and /funnels/drill; bad input a
// 422 on its field.
func TestStagesDrill(t *testing.T) {
	ts := newFunnelServer(t)
	const url, funnels = "/api/v1/reports/drill", "/api/v1/funnels/drill"
	const jan = `"period":{"from":"2025-01-01","to":"2025-01-31"}`
	const stages = `"definition":{"kind":"stage_percentages",` + jan + `,"params":{"pipeline":"sales"}}`
	const movement = `"definition":{"kind":"stage_movement",` + jan + `,"params":{"pipeline":"sales"}}`
	const qual = `"cell":{"stage_group":"Квалификация","stage_kind":"open","probability":20}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: `{` + stages + `,"cell":{},"column":"count"}`, Status: 401},
		{Name: "a group's deals", Method: "POST", URL: url, As: "director", Body: `{` + stages + `,` + qual + `,"column":"count"}`,
			Status: 200, Contains: []string{`"key":"id"`, `"F1"`, `"F3"`, `"total":2`, `"offset":0`}, NotContains: []string{`"F2"`, `"F4"`}},
		{Name: "a share's deals are its numerator's", Method: "POST", URL: url, As: "director", Body: `{` + stages + `,` + qual + `,"column":"count_share"}`,
			Status: 200, Contains: []string{`"F1"`, `"F3"`, `"total":2`}},
		{Name: "a manager's total holds only their deals", Method: "POST", URL: url, As: "manager", Body: `{` + stages + `,"cell":{},"column":"count"}`,
			Status: 200, Contains: []string{`"F1"`, `"F2"`, `"total":2`}, NotContains: []string{`"F3"`, `"F4"`}},
		{Name: "the movement's lost of new", Method: "POST", URL: url, As: "director", Body: `{` + movement + `,"cell":{"stage":"new"},"column":"lost"}`,
			Status: 200, Contains: []string{`"F2"`, `"total":1`}, NotContains: []string{`"F1"`, `"F3"`, `"F4"`}},
		{Name: "a manager's advanced of new", Method: "POST", URL: url, As: "manager2", Body: `{` + movement + `,"cell":{"stage":"new"},"column":"advanced"}`,
			Status: 200, Contains: []string{`"F3"`, `"total":1`}, NotContains: []string{`"F1"`}},
		{Name: "a page: offset 2 of the entries by deal title", Method: "POST", URL: url, As: "director",
			Body:   `{` + movement + `,"cell":{"stage":"new"},"column":"entries","sort":[{"by":"deal_title"}],"limit":2,"offset":2}`,
			Status: 200, Contains: []string{`"F3"`, `"F4"`, `"total":4`, `"limit":2`, `"offset":2`}, NotContains: []string{`"F1"`, `"F2"`}},
		{Name: "a funnel step's last deal by id", Method: "POST", URL: funnels, As: "director",
			Body:   `{"pipeline":"sales",` + jan + `,"step":"new","which":"reached","limit":1,"offset":3}`,
			Status: 200, Contains: []string{`"F4"`, `"total":4`, `"offset":3`}, NotContains: []string{`"F1"`, `"F2"`, `"F3"`}},
		{Name: "a negative offset", Method: "POST", URL: url, As: "director", Body: `{` + stages + `,"cell":{},"offset":-1}`, Status: 422, Field: "offset"},
		{Name: "a funnel's negative offset", Method: "POST", URL: funnels, As: "director",
			Body: `{"pipeline":"sales",` + jan + `,"step":"new","which":"reached","offset":-1}`, Status: 422, Field: "offset"},
		{Name: "the probability counts nothing", Method: "POST", URL: url, As: "director", Body: `{` + stages + `,"cell":{},"column":"probability"}`,
			Status: 422, Field: "column", Contains: []string{`"not_countable"`, `"count_share"`}},
		{Name: "a key the rows have not", Method: "POST", URL: url, As: "director", Body: `{` + stages + `,"cell":{"responsible":1},"column":"count"}`,
			Status: 422, Field: "cell.responsible", Contains: []string{`"not_a_row_key"`, `"stage_group"`}},
		{Name: "a group no row has", Method: "POST", URL: url, As: "director", Body: `{` + stages + `,"cell":{"stage_group":"Нет такой"},"column":"count"}`,
			Status: 422, Field: "cell.stage_group", Contains: []string{`"not_in_report"`, `"Квалификация"`}},
		{Name: "the movement needs its column", Method: "POST", URL: url, As: "director", Body: `{` + movement + `,"cell":{}}`,
			Status: 422, Field: "column", Contains: []string{`"still_there"`}},
		{Name: "a stage that is no step", Method: "POST", URL: url, As: "director", Body: `{` + movement + `,"cell":{"stage":"refused"},"column":"entries"}`,
			Status: 422, Field: "cell.stage", Contains: []string{`"not_a_step"`}},
	})
}
