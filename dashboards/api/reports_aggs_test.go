package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestReportAggregationsMeaningful: each field allows only aggregations
// that mean something — no sum of probabilities or positions, no median
// of a won flag — and a flag's sum and average say what they are: the
// number of deals won and their share. Fixture (dashtest.ReportFixture):
// three deals, one of them (М-2) won, so 1 won and a share of 1/3.
func TestReportAggregationsMeaningful(t *testing.T) {
	ts := dashtest.NewReport(t)
	var sets struct {
		Items []struct {
			Key    string
			Fields []struct {
				Key  string
				Aggs []string
			}
		}
	}
	if ts.DoJSON("GET", "/api/v1/datasets", "analyst", nil, &sets) != 200 {
		t.Fatal("datasets")
	}
	want := map[string][]string{"deals.won": {"sum", "avg"}, "deals.lost": {"sum", "avg"}, "deals.probability": {"avg", "min", "max", "median"},
		"deals.stage_position": {"min", "max"}, "leads.converted": {"sum", "avg"}, "activities.done": {"sum", "avg"},
		"stage_changes.to_stage_position": {"min", "max"}, "deals.amount": {"count", "sum", "avg", "min", "max", "median"}}
	for _, ds := range sets.Items {
		for _, f := range ds.Fields {
			if w, ok := want[ds.Key+"."+f.Key]; ok {
				if !slices.Equal(f.Aggs, w) {
					t.Errorf("%s.%s allows %v, want %v", ds.Key, f.Key, f.Aggs, w)
				}
				delete(want, ds.Key+"."+f.Key)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("fields not listed: %v", want)
	}
	const url = "/api/v1/reports/run"
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "a sum of probabilities is refused", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "measures[0].agg",
			Body: `{"dataset":"deals","measures":[{"field":"probability","agg":"sum"}]}`, Contains: []string{`"code":"agg_not_allowed"`}},
		{Name: "a median of the won flag is refused", Method: "POST", URL: url, As: "analyst", Status: 422, Field: "measures[0].agg",
			Body: `{"dataset":"deals","measures":[{"field":"won","agg":"median"}]}`},
		{Name: "deals won and their share", Method: "POST", URL: url, As: "analyst", Status: 200,
			Body:     `{"dataset":"deals","measures":[{"field":"won","agg":"sum"},{"field":"won","agg":"avg"}]}`,
			Contains: []string{`"label":"Выиграно сделок"`, `"label_en":"Deals won"`, `"label":"Доля выигранных"`, `"type":"percent"`}},
	})
	var res struct{ Rows [][]json.Number }
	body := `{"dataset":"deals","measures":[{"field":"won","agg":"sum"},{"field":"won","agg":"avg"}]}`
	if ts.DoJSON("POST", url, "analyst", json.RawMessage(body), &res) != 200 || len(res.Rows) != 1 ||
		res.Rows[0][0].String() != "1" || !strings.HasPrefix(res.Rows[0][1].String(), "0.333") {
		t.Errorf("won sum and share: %v, want 1 and 1/3", res.Rows)
	}
}
