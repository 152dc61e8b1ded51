// Report benchmarks (issue 4): Voronka's funnel, grouped report and pivot
// over HTTP, side by side with the best hand-written ClickHouse SQL for
// the same answer and the same answer computed on PostgreSQL; and the
// ClickHouse design choices behind them. Figures and commands are in
// BENCHMARKS.md ("Reports").

package bench

import (
	"fmt"
	"sort"
	"testing"
	"time"
)

// BenchmarkReports builds one fixture (VORONKA_BENCH_DEALS seeded deals,
// default 1,000,000, copied to ClickHouse) and runs each comparison on
// it. Each sub-benchmark checks once, untimed, that the contestants agree,
// then runs VORONKA_BENCH_RUNS rounds (default 7; PostgreSQL
// VORONKA_BENCH_PG_RUNS, default 3), the contestants in turn within a
// round, and reports each one's p50 and the ratios.
//
//	go test ./bench -run XXX -bench Reports -benchtime 1x -timeout 60m
func BenchmarkReports(b *testing.B) {
	f := newReportsFixture(b)
	b.Run("funnel", f.benchFunnel)
	b.Run("grouped", f.benchGrouped)
	b.Run("pivot", f.benchPivot)
	b.Run("design", f.benchDesign)
}

// contestant is one way of computing an answer; run returns an error on
// any failure.
type contestant struct {
	name string
	runs int
	run  func() error
}

// compete runs every contestant in rounds (round r runs those with
// runs > r, in order), then reports each p50 in ms as "<name>_ms" and
// the ratio of every later contestant's p50 to the first one's as
// "<name>/<first>". It returns the p50s by name.
func compete(b *testing.B, cs ...contestant) map[string]time.Duration {
	b.Helper()
	times := make([][]time.Duration, len(cs))
	rounds := 0
	for _, c := range cs {
		rounds = max(rounds, c.runs)
	}
	b.ResetTimer()
	for r := 0; r < rounds; r++ {
		for i, c := range cs {
			if r >= c.runs {
				continue
			}
			t0 := time.Now()
			if err := c.run(); err != nil {
				b.Fatalf("%s: %v", c.name, err)
			}
			times[i] = append(times[i], time.Since(t0))
		}
	}
	b.StopTimer()
	p50 := map[string]time.Duration{}
	for i, c := range cs {
		sort.Slice(times[i], func(x, y int) bool { return times[i][x] < times[i][y] })
		p50[c.name] = median(times[i])
		b.ReportMetric(ms(p50[c.name]), c.name+"_ms")
		b.Logf("%-28s p50 %9.1f ms  runs %v", c.name, ms(p50[c.name]), roundAll(times[i]))
	}
	for _, c := range cs[1:] {
		b.ReportMetric(float64(p50[c.name])/float64(p50[cs[0].name]), c.name+"/"+cs[0].name)
	}
	return p50
}

// median of sorted durations (the mean of the middle two for an even count).
func median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	return (sorted[(n-1)/2] + sorted[n/2]) / 2
}

func roundAll(ds []time.Duration) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%.0f", ms(d))
	}
	return out
}
