// Seeding benchmarks: the real seed into a fresh database on the dev
// servers (started on demand, like the tests).

package bench

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/internal/testenv"
)

// benchNow fixes the clock so that every run seeds the same data.
var benchNow = time.Date(2025, 6, 30, 18, 0, 0, 0, time.FixedZone("MSK", 3*60*60))

// BenchmarkSeed100k seeds 100,000 deals with all their rows into a fresh
// database per iteration and reports deals/s and rows/s.
func BenchmarkSeed100k(b *testing.B) { benchSeed(b, 100_000) }

// BenchmarkSeed1M is the full-size run; it takes about a minute and a few
// GB of disk, so it runs only with VORONKA_BENCH_1M=1.
func BenchmarkSeed1M(b *testing.B) {
	if os.Getenv("VORONKA_BENCH_1M") != "1" {
		b.Skip("set VORONKA_BENCH_1M=1 to seed a million deals")
	}
	benchSeed(b, 1_000_000)
}

func benchSeed(b *testing.B, deals int) {
	var elapsed time.Duration
	var rows int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pg := testenv.NewPG(b)
		b.StartTimer()
		st, err := seed.Run(context.Background(), pg.Pool, seed.Options{Deals: deals, Seed: 1, Now: benchNow})
		if err != nil {
			b.Fatal(err)
		}
		elapsed += st.Elapsed
		rows += st.Rows()
		if !st.FastLoad {
			b.Log("foreign-key triggers were on (the role may not set session_replication_role)")
		}
	}
	b.ReportMetric(float64(deals*b.N)/elapsed.Seconds(), "deals/s")
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
}
