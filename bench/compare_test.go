// A compared grouped report (issue 18) against the plain one and against
// the two plain runs it stands for.

package bench

import (
	"fmt"
	"testing"
)

// BenchmarkCompare builds the reports fixture and times, over HTTP, the
// first quarter of 2025 by manager and month (count, roubles): the plain
// report, the plain report of each quarter one after the other, and the
// report compared with the quarter before (compare: previous_period,
// whose two runs the engine sends side by side). First it checks that
// the compared answer's totals are the two plain answers' totals.
//
//	go test ./bench -run XXX -bench Compare -benchtime 1x -timeout 60m
func BenchmarkCompare(b *testing.B) {
	f := newReportsFixture(b)
	def := func(from, to, compare string) string {
		return fmt.Sprintf(`{"dataset":"deals","dimensions":[{"field":"responsible"},{"field":"created_at","grain":"month"}],
"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],"period":{"from":%q,"to":%q},"compare":%q}`, from, to, compare)
	}
	cur, prev, compared := def("2025-01-01", "2025-03-31", ""), def("2024-10-01", "2024-12-31", ""), def("2025-01-01", "2025-03-31", "previous_period")
	total := func(d string) figures {
		fig, err := f.voronkaReport(d, 2)
		if err != nil {
			b.Fatal(err)
		}
		return fig
	}
	c, q1, q4 := total(compared)[""]["TOTAL"], total(cur)[""]["TOTAL"], total(prev)[""]["TOTAL"]
	if q1["count"] == "" || q4["amount_sum"] == "" || c["count"] != q1["count"] || c["amount_sum"] != q1["amount_sum"] || c["count_prev"] != q4["count"] || c["amount_sum_prev"] != q4["amount_sum"] {
		b.Fatalf("compared totals %v, want the quarter's %v and the quarter before's %v", c, q1, q4)
	}
	b.Logf("compared totals agree with the two plain runs: %v", c)
	runs := envInt("VORONKA_BENCH_RUNS", 7)
	run := func(defs ...string) func() error {
		return func() error {
			for _, d := range defs {
				if _, err := f.voronkaReport(d, 2); err != nil {
					return err
				}
			}
			return nil
		}
	}
	compete(b,
		contestant{"one_run", runs, run(cur)},
		contestant{"two_runs", runs, run(cur, prev)},
		contestant{"compared", runs, run(compared)})
}
