package api_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// drillPlansFixture adds to ReportFixture (clock 2025-03-01 03:00
// Moscow) won deals on the edge of March in Moscow: manager's П-М at
// 00:00:00 on March 1 (March's) and П-Ф at 23:59:59 on February 28
// (February's), manager2's П-2 at 01:00 on March 1; and manager's
// March plan of won roubles.
const drillPlansFixture = `
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at) VALUES ('won_amount', '2025-03-01', NULL, %[1]d, 50000, now());
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', v.resp, '2025-02-01 10:00+03', v.closed::timestamptz, v.closed::timestamptz
FROM (VALUES ('П-М', 1000, %[1]d, '2025-03-01 00:00:00+03'), ('П-Ф', 2000, %[1]d, '2025-02-28 23:59:59+03'),
             ('П-2', 4000, %[2]d, '2025-03-01 01:00:00+03')) AS v (title, amount, resp, closed)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'won'`

// TestReportsDrillPlans: POST /reports/drill into the plan reports: the
// plan-fact's fact of a manager and of the team (a manager's total is
// their own deals), the forecast's won of a month and the accuracy's,
// split at Moscow's midnight; a plan, a worked-out figure, a month not
// in the report and no column are 422s on their field.
func TestReportsDrillPlans(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, drillPlansFixture)
	const url = "/api/v1/reports/drill"
	m := dashtest.Itoa(ts.Users["manager"].ID)
	const pf = `"definition":{"kind":"plan_fact","params":{"metric":"won_amount"}}`
	const fc = `"definition":{"kind":"forecast","params":{"from":"2025-02","months":2,"by":"month"}}`
	const fa = `"definition":{"kind":"forecast_accuracy","params":{"from":"2025-02","months":1}}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: `{` + pf + `,"cell":{},"column":"fact"}`, Status: 401},
		{Name: "a manager's fact", Method: "POST", URL: url, As: "director", Body: `{` + pf + `,"cell":{"responsible":` + m + `},"column":"fact"}`,
			Status: 200, Contains: []string{`"key":"id"`, `"П-М"`, `"total":1`}, NotContains: []string{`"П-Ф"`, `"П-2"`}},
		{Name: "the team's fact", Method: "POST", URL: url, As: "director", Body: `{` + pf + `,"cell":{},"column":"fact"}`,
			Status: 200, Contains: []string{`"П-М"`, `"П-2"`, `"total":2`}, NotContains: []string{`"П-Ф"`}},
		{Name: "a manager's total is their own", Method: "POST", URL: url, As: "manager", Body: `{` + pf + `,"cell":{}}`,
			Status: 200, Contains: []string{`"П-М"`, `"total":1`}, NotContains: []string{`"П-2"`}},
		{Name: "the forecast's March won", Method: "POST", URL: url, As: "director", Body: `{` + fc + `,"cell":{"month":"2025-03-01"},"column":"won"}`,
			Status: 200, Contains: []string{`"П-М"`, `"П-2"`, `"total":2`}, NotContains: []string{`"П-Ф"`}},
		{Name: "the forecast's February won", Method: "POST", URL: url, As: "director", Body: `{` + fc + `,"cell":{"month":"2025-02-01"},"column":"won"}`,
			Status: 200, Contains: []string{`"П-Ф"`, `"total":1`}, NotContains: []string{`"П-М"`}},
		{Name: "the accuracy's February won", Method: "POST", URL: url, As: "director", Body: `{` + fa + `,"cell":{"month":"2025-02-01","responsible":` + m + `},"column":"won"}`,
			Status: 200, Contains: []string{`"П-Ф"`, `"total":1`}, NotContains: []string{`"П-М"`}},
		{Name: "a plan is no records", Method: "POST", URL: url, As: "director", Body: `{` + pf + `,"cell":{},"column":"plan"}`,
			Status: 422, Field: "column", Contains: []string{`"plan_not_records"`, `"allowed":["fact"]`}},
		{Name: "the accuracy ratio", Method: "POST", URL: url, As: "director", Body: `{` + fa + `,"cell":{},"column":"accuracy"}`,
			Status: 422, Field: "column", Contains: []string{`"not_countable"`}},
		{Name: "the forecast needs a column", Method: "POST", URL: url, As: "director", Body: `{` + fc + `,"cell":{}}`,
			Status: 422, Field: "column", Contains: []string{`"required"`, `"cat_pipeline"`}},
		{Name: "a month not in the report", Method: "POST", URL: url, As: "director", Body: `{` + fc + `,"cell":{"month":"2025-07-01"},"column":"won"}`,
			Status: 422, Field: "cell.month", Contains: []string{`"2025-02-01"`}},
		{Name: "by month has no responsible", Method: "POST", URL: url, As: "director", Body: `{` + fc + `,"cell":{"responsible":` + m + `},"column":"won"}`,
			Status: 422, Field: "cell.responsible", Contains: []string{`"not_a_row_key"`}},
	})
}
