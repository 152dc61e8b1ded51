// The data set the report benchmarks share: one seeded CRM database, its
// ClickHouse copy made by the real change stream, and a Voronka server
// with the report engine on loopback.

package bench

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// reportsFixture is built once per BenchmarkReports run.
type reportsFixture struct {
	pg       *testenv.PG
	ch       *testenv.CH
	base     string // http://127.0.0.1:port of the server
	token    string // the director's
	from, to time.Time
	year     reports.Period // the funnel's and reports' period, Moscow dates
}

// reportsYear is the year before benchNow in Moscow dates (both
// inclusive), and the same range as UTC instants [from, to).
var (
	reportsYear     = reports.Period{From: "2024-07-01", To: "2025-06-30"}
	reportsFrom     = time.Date(2024, 6, 30, 21, 0, 0, 0, time.UTC)
	reportsTo       = time.Date(2025, 6, 30, 21, 0, 0, 0, time.UTC)
	reportsBenchNow = benchNow.UTC()
)

// newReportsFixture seeds VORONKA_BENCH_DEALS deals (default 1,000,000)
// into a fresh database, vacuums it, copies it into a fresh ClickHouse
// database with an ingest.Streamer (until SnapshotDone), lets ClickHouse
// merge every table to one part (OPTIMIZE … FINAL; the state background
// merges reach on a quiet table) and starts the API on loopback with the
// report engine's clock at benchNow. None of it is timed.
func newReportsFixture(b *testing.B) *reportsFixture {
	if names := os.Getenv("VORONKA_BENCH_REPORTS_DB"); names != "" {
		return reuseReportsFixture(b, names)
	}
	ctx := context.Background()
	deals := envInt("VORONKA_BENCH_DEALS", 1_000_000)
	f := &reportsFixture{pg: testenv.NewPG(b), from: reportsFrom, to: reportsTo, year: reportsYear}
	start := time.Now()
	st, err := seed.Run(ctx, f.pg.Pool, seed.Options{Deals: deals, Seed: 7, Now: benchNow})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	if _, err := f.pg.Pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d deals, %d rows in %s", deals, st.Rows(), time.Since(start).Round(time.Second))
	start = time.Now()
	f.ch = streamCopy(b, f.pg)
	optimizeAll(b, f.ch)
	b.Logf("copied to ClickHouse %s and merged in %s (PostgreSQL %s)", f.ch.Database, time.Since(start).Round(time.Second), f.pg.Name)
	f.serve(b)
	return f
}

// reuseReportsFixture serves a fixture kept from an earlier run
// (VORONKA_KEEP_TEST_DB=1 keeps the databases; their names are logged):
// VORONKA_BENCH_REPORTS_DB="<postgres db> <clickhouse db>". With the
// PostgreSQL name alone the seeded database is copied into a fresh
// ClickHouse database by the stream (the benchmarks that write —
// DashboardUnderWrites, WriteToAnswer — leave an older copy behind the
// data, which the agreement checks refuse). For iterating on the
// benchmarks; the recorded figures use fresh fixtures.
func reuseReportsFixture(b *testing.B, names string) *reportsFixture {
	var pgName, chName string
	if n, _ := fmt.Sscan(names, &pgName, &chName); n == 0 {
		b.Fatalf("VORONKA_BENCH_REPORTS_DB=%q: want a PostgreSQL database name and maybe a ClickHouse one", names)
	}
	dev := testenv.Dev(b)
	pool, err := crmcore.OpenPool(context.Background(), dev.PGURL(pgName))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := crmcore.Migrate(context.Background(), dev.PGURL(pgName)); err != nil { // a fixture older than the code
		b.Fatal(err)
	}
	if chName == "" {
		f := &reportsFixture{pg: &testenv.PG{URL: dev.PGURL(pgName), Name: pgName, Pool: pool}, from: reportsFrom, to: reportsTo, year: reportsYear}
		start := time.Now()
		f.ch = streamCopy(b, f.pg)
		optimizeAll(b, f.ch)
		b.Logf("copied to ClickHouse %s and merged in %s (PostgreSQL %s)", f.ch.Database, time.Since(start).Round(time.Second), f.pg.Name)
		f.serve(b)
		return f
	}
	db, err := olap.Open(context.Background(), dev.CHAddr(), chName)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := olap.Migrate(context.Background(), db); err != nil { // a fixture older than the code
		b.Fatal(err)
	}
	f := &reportsFixture{pg: &testenv.PG{URL: dev.PGURL(pgName), Name: pgName, Pool: pool},
		ch: &testenv.CH{DB: db, Database: chName, Addr: dev.CHAddr()}, from: reportsFrom, to: reportsTo, year: reportsYear}
	f.serve(b)
	return f
}

// streamCopy runs a Streamer into a fresh ClickHouse database until its
// initial load is done, then stops it and drops its slot.
func streamCopy(b *testing.B, pg *testenv.PG) *testenv.CH {
	ch := testenv.NewCH(b)
	slot := pg.Name + "_reports"
	s, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: slot, Logger: quietLog()}, ch.DB)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
		ingest.DropSlot(context.Background(), pg.URL, slot)
	}()
	for start := time.Now(); !s.Status().SnapshotDone; time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Minute {
			b.Fatalf("initial load unfinished after 30 min: %+v", s.Status())
		}
	}
	checkDealCount(b, pg, ch)
	return ch
}

// optimizeAll merges every mirror table to one part.
func optimizeAll(b *testing.B, ch *testenv.CH) {
	for _, m := range olap.Mirrors() {
		if err := ch.DB.Exec(context.Background(), olap.SQL("OPTIMIZE TABLE "+ch.Database+"."+m.Table+" FINAL")); err != nil {
			b.Fatalf("optimize %s: %v", m.Table, err)
		}
	}
}

// serve starts the API (CRM store and report engine, as `voronka serve`
// wires them, without the stream) on loopback and logs the director in.
func (f *reportsFixture) serve(b *testing.B) {
	f.base = f.dashboardServer(b, nil)
	f.token = login(b, f.base, "director@voronka.local", "demo")
}
