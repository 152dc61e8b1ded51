package bench

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
)

// BenchmarkIngestStream measures the change stream in one run, under a
// load generator writing through the CRM core (crmLoad), on a database
// seeded with VORONKA_BENCH_STREAM_DEALS deals (default 10,000) and a
// Streamer with the production defaults (BatchRows 20,000, BatchWait
// 200 ms):
//
//  1. lag: VORONKA_BENCH_RATE calls/s (default 1,000; each a committed
//     transaction of two row changes) from VORONKA_BENCH_WORKERS
//     goroutines (default 8) for VORONKA_BENCH_SECONDS (default 30 s);
//     per call, lag = first sight of its row in ClickHouse − the call's
//     return;
//  2. throughput: the stream stopped, the generator commits
//     VORONKA_BENCH_BACKLOG calls (default 300,000) as fast as it can;
//     the stream started again, rows/s = row changes / time until
//     ClickHouse holds them all.
//
// Run it with
//
//	go test ./bench -run XXX -bench IngestStream -benchtime 1x -timeout 30m
func BenchmarkIngestStream(b *testing.B) {
	f := newStreamFixture(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.measureLag(b)
		f.measureDrain(b)
	}
}

// streamFixture is a seeded database, its ClickHouse mirror and the load
// generator; the stream is started and stopped by the phases.
type streamFixture struct {
	pg      *testenv.PG
	ch      *testenv.CH
	load    *crmLoad
	minDeal int64 // the highest seeded deal id: the generator's are above
}

func newStreamFixture(b *testing.B) *streamFixture {
	ctx := context.Background()
	pg := testenv.NewPG(b)
	deals := envInt("VORONKA_BENCH_STREAM_DEALS", 10_000)
	if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: deals, Seed: 7, Now: benchNow}); err != nil {
		b.Fatalf("seed: %v", err)
	}
	store := crmcore.NewStore(pg.Pool)
	u, err := store.CreateUser(ctx, crmcore.NewUser{Email: "load@bench.local", Name: "Нагрузка", Role: "director", Password: "secret"})
	if err != nil {
		b.Fatal(err)
	}
	f := &streamFixture{pg: pg, ch: testenv.NewCH(b), load: &crmLoad{store: store, workers: envInt("VORONKA_BENCH_WORKERS", 8),
		who: domain.Principal{UserID: u.ID, Name: u.Name, Email: u.Email, Role: domain.RoleDirector}}}
	if err := pg.Pool.QueryRow(ctx, "SELECT coalesce(max(id), 0) FROM deals").Scan(&f.minDeal); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ingest.DropSlot(context.Background(), pg.URL, pg.Name) })
	return f
}

// stream is a running Streamer with its own Prometheus registry.
type stream struct {
	s    *ingest.Streamer
	reg  *prometheus.Registry
	stop func()
}

// startStream runs a Streamer on the fixture's slot and waits until its
// initial load (first start) is done.
func (f *streamFixture) startStream(b *testing.B) *stream { return runStream(b, f.pg, f.ch, f.pg.Name) }

// runStream runs a Streamer from pg into ch on slot until the benchmark
// ends, and waits until its initial load (first start) is done.
func runStream(b *testing.B, pg *testenv.PG, ch *testenv.CH, slot string) *stream {
	s, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: slot, Logger: quietLog()}, ch.DB)
	if err != nil {
		b.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	if err := s.Register(reg); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	st := &stream{s: s, reg: reg, stop: func() { cancel(); <-done }}
	b.Cleanup(st.stop)
	deadline := time.Now().Add(10 * time.Minute)
	for !s.Status().SnapshotDone {
		if time.Now().After(deadline) {
			b.Fatalf("initial load unfinished: %+v", s.Status())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return st
}
