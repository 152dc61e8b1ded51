// Change-streaming benchmarks (issue 3): the initial load of a seeded
// database into ClickHouse, and the stream under a load generator that
// writes through the CRM core. Figures and commands are in BENCHMARKS.md.

package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// envInt reads a positive integer setting, else def.
func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkIngestInitialLoad seeds VORONKA_BENCH_DEALS deals (default
// 1,000,000) with their whole history into a fresh database, vacuums it
// (as autovacuum would have), then starts a Streamer on an empty
// ClickHouse database and times it from Run to Status().SnapshotDone.
// rows/s is every copied row of every table over that time.
//
//	go test ./bench -run XXX -bench IngestInitialLoad -benchtime 1x -timeout 30m
func BenchmarkIngestInitialLoad(b *testing.B) {
	pg, _ := seededPG(b, 1_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, elapsed := initialLoad(b, pg, fmt.Sprintf("%s_%d", pg.Name, i))
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(elapsed.Seconds(), "s")
		b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	}
}

// seededPG seeds VORONKA_BENCH_DEALS deals (default def) with their
// whole history into a fresh database and vacuums it (as autovacuum
// would have); it returns the database and the number of deals.
func seededPG(b *testing.B, def int) (*testenv.PG, int) {
	ctx := context.Background()
	deals := envInt("VORONKA_BENCH_DEALS", def)
	pg := testenv.NewPG(b)
	st, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: deals, Seed: 7, Now: benchNow})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	if _, err := pg.Pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d deals, %d rows in %s", deals, st.Rows(), st.Elapsed.Round(time.Second))
	return pg, deals
}

// initialLoad runs one load into a fresh ClickHouse database and returns
// the rows copied and the time from Run to SnapshotDone.
func initialLoad(b *testing.B, pg *testenv.PG, slot string) (int64, time.Duration) {
	ch := testenv.NewCH(b)
	s, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: slot, Logger: quietLog()}, ch.DB)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	start := time.Now()
	go func() { defer close(done); s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
		ingest.DropSlot(context.Background(), pg.URL, slot)
	}()
	for !s.Status().SnapshotDone {
		if time.Since(start) > 20*time.Minute {
			b.Fatalf("initial load unfinished after 20 min: %+v", s.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	var rows int64
	for _, p := range s.Status().SnapshotProgress {
		if p.Copied != p.Total {
			b.Fatalf("%s: copied %d of %d rows", p.Table, p.Copied, p.Total)
		}
		rows += p.Copied
	}
	checkDealCount(b, pg, ch)
	return rows, elapsed
}

// checkDealCount compares count(*) of deals on both sides, computed by
// each server.
func checkDealCount(b *testing.B, pg *testenv.PG, ch *testenv.CH) {
	ctx := context.Background()
	var inPG, inCH uint64
	if err := pg.Pool.QueryRow(ctx, "SELECT count(*) FROM deals").Scan(&inPG); err != nil {
		b.Fatal(err)
	}
	if err := ch.DB.QueryRow(ctx, olap.SQL("SELECT count() FROM "+ch.Database+".deals FINAL WHERE _deleted = 0")).Scan(&inCH); err != nil {
		b.Fatal(err)
	}
	if inPG != inCH {
		b.Fatalf("deals: %d in PostgreSQL, %d in ClickHouse", inPG, inCH)
	}
}

// quietLog keeps the stream's log out of benchmark output unless
// VORONKA_BENCH_LOG is set.
func quietLog() *slog.Logger {
	if os.Getenv("VORONKA_BENCH_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
