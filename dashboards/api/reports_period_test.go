package api_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportPeriodsOutsideStoredDays: a period or an as_of beyond the
// days the stores hold (1970-01-01 – 2105-12-31) is a 422 naming the
// field and the days, on every kind and both ways of giving a period;
// before, each answered 200 with zero deals or zero roubles. The edges
// count every deal of the fixture (three, 15000 ₽: dashtest.ReportFixture).
func TestReportPeriodsOutsideStoredDays(t *testing.T) {
	ts := dashtest.NewReport(t)
	const run, funnels = "/api/v1/reports/run", "/api/v1/funnels/run"
	count := func(period string) string {
		return `{"dataset":"deals","measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],"period":` + period + `}`
	}
	days := []string{`"code":"outside_stored_days"`, "1970-01-01", "2105-12-31"}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "1900 to 2999", Method: "POST", URL: run, As: "director", Status: 422, Field: "period", Contains: days,
			Body: count(`{"from":"1900-01-01","to":"2999-12-31"}`)},
		{Name: "to on 2106-02-06", Method: "POST", URL: run, As: "director", Status: 422, Field: "period",
			Body: count(`{"from":"2025-01-01","to":"2106-02-06"}`)},
		{Name: "to on 2106-01-01", Method: "POST", URL: run, As: "director", Status: 422, Field: "period",
			Body: count(`{"from":"2025-01-01","to":"2106-01-01"}`)},
		{Name: "the stored days whole", Method: "POST", URL: run, As: "director", Status: 200,
			Body: count(`{"from":"1970-01-01","to":"2105-12-31"}`), Contains: []string{`"rows":[[3,15000.00]]`}},
		{Name: "a saved report's period override", Method: "GET", URL: "/api/v1/reports/deals_by_stage/run?from=1900-01-01&to=2999-12-31",
			As: "director", Status: 422, Field: "from", Contains: days},
		{Name: "a reached funnel 1971–2999", Method: "POST", URL: funnels, As: "director", Status: 422, Field: "period", Contains: days,
			Body: `{"pipeline":"sales","period":{"from":"1971-01-01","to":"2999-12-31"}}`},
		{Name: "a current funnel as of 1900", Method: "POST", URL: funnels, As: "director", Status: 422, Field: "as_of", Contains: days,
			Body: `{"pipeline":"sales","mode":"current","as_of":"1900-01-01"}`},
		{Name: "the funnel kind as of 2200", Method: "POST", URL: run, As: "director", Status: 422, Field: "params.as_of",
			Body: `{"kind":"funnel","params":{"pipeline":"sales","mode":"current","as_of":"2200-01-01"}}`},
		{Name: "a current funnel as of the last stored day", Method: "POST", URL: funnels, As: "director", Status: 200,
			Body: `{"pipeline":"sales","mode":"current","as_of":"2105-12-31"}`, Contains: []string{`"as_of":"2105-12-31T20:59:59Z"`}},
		{Name: "stage percentages 1900–2999", Method: "POST", URL: run, As: "director", Status: 422, Field: "period",
			Body: `{"kind":"stage_percentages","params":{"pipeline":"sales"},"period":{"from":"1900-01-01","to":"2999-12-31"}}`},
		{Name: "manager activity into 2106", Method: "POST", URL: run, As: "director", Status: 422, Field: "period",
			Body: `{"kind":"manager_activity","period":{"from":"2025-01-01","to":"2106-02-06"}}`},
		{Name: "a reversed period stays refused on its end", Method: "POST", URL: run, As: "director", Status: 422, Field: "period.to",
			Body: count(`{"from":"2025-02-01","to":"2025-01-01"}`)},
	})
}
