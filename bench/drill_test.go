// Drill-down (issue 18): the records behind a number, timed beside the
// number itself, over HTTP on the reports fixture.

package bench

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/voronka/voronka/reports"
)

// BenchmarkDrill builds the reports fixture (VORONKA_BENCH_DEALS seeded
// deals, default 1,000,000) and times, in VORONKA_BENCH_RUNS rounds, the
// number and the drill into it: a reached funnel of the year (sales) and
// the deals that reached its third step, and the grouped report by
// responsible × Moscow month and the deals of its largest cell. Each pair
// is checked once, untimed, to agree: the drill's meta.total is the
// number. Drills list their first 10,000 records (the default limit).
//
//	VORONKA_BENCH_DEALS=20000 go test ./bench -run XXX -bench Drill -benchtime 1x -timeout 60m
func BenchmarkDrill(b *testing.B) {
	f := newReportsFixture(b)
	b.Run("funnel_step", f.benchDrillFunnel)
	b.Run("grouped_cell", f.benchDrillGrouped)
}

// drillAnswer is what a drill answers, as far as the benchmark reads it.
type drillAnswer struct {
	Rows [][]any `json:"rows"`
	Meta struct {
		Total int64 `json:"total"`
	} `json:"meta"`
}

func (f *reportsFixture) benchDrillFunnel(b *testing.B) {
	req := reports.FunnelRequest{Pipeline: "sales", Period: &f.year, Mode: reports.ModeReached}
	number, _ := json.Marshal(req)
	var fun reports.Funnel
	if err := f.post("/api/v1/funnels/run", number, &fun); err != nil {
		b.Fatal(err)
	}
	if len(fun.Steps) < 3 {
		b.Fatalf("the sales funnel has %d steps", len(fun.Steps))
	}
	step := fun.Steps[2]
	drill, _ := json.Marshal(struct {
		reports.FunnelRequest
		Step  string `json:"step"`
		Which string `json:"which"`
	}{req, step.Stage, "reached"})
	f.raceDrill(b, "funnel "+step.Stage, step.Count, number, drill, "/api/v1/funnels/run", "/api/v1/funnels/drill")
}

func (f *reportsFixture) benchDrillGrouped(b *testing.B) {
	const def = `{"dataset":"deals","dimensions":[{"field":"responsible"},{"field":"created_at","grain":"month"}],
 "measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],"period":{"from":"2024-07-01","to":"2025-06-30"},
 "sort":[{"by":"count","desc":true}],"limit":1000}`
	var res reports.Result
	if err := f.post("/api/v1/reports/run", []byte(def), &res); err != nil {
		b.Fatal(err)
	}
	if len(res.Rows) == 0 {
		b.Fatal("the grouped report has no rows")
	}
	top := res.Rows[0]
	var count int64
	fmt.Sscan(fmt.Sprint(top[2]), &count)
	body, _ := json.Marshal(map[string]any{"definition": json.RawMessage(def),
		"cell": map[string]any{"responsible": top[0], "created_at_month": top[1]}})
	f.raceDrill(b, fmt.Sprintf("cell %v %v", top[0], top[1]), count, []byte(def), body, "/api/v1/reports/run", "/api/v1/reports/drill")
}

// raceDrill checks once that the drill lists as many records as the
// number counts (up to the limit), then times both.
func (f *reportsFixture) raceDrill(b *testing.B, what string, want int64, number, drill []byte, numberPath, drillPath string) {
	var d drillAnswer
	if err := f.post(drillPath, drill, &d); err != nil {
		b.Fatal(err)
	}
	if d.Meta.Total != want || int64(len(d.Rows)) != min(want, 10_000) {
		b.Fatalf("%s: the number is %d, the drill lists %d of %d", what, want, len(d.Rows), d.Meta.Total)
	}
	b.Logf("%s: %d records", what, want)
	runs := envInt("VORONKA_BENCH_RUNS", 7)
	compete(b,
		contestant{"number", runs, func() error { var out json.RawMessage; return f.post(numberPath, number, &out) }},
		contestant{"drill", runs, func() error { var out drillAnswer; return f.post(drillPath, drill, &out) }},
	)
}
