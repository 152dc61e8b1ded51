// The cluster benchmarks (issue 16): the same data loaded, streamed and
// reported on one ClickHouse server and on the local cluster of
// `voronka dev up --cluster` (two shards × two replicas and ZooKeeper, on
// the same machine), side by side in one run. Figures and commands are in
// BENCHMARKS.md ("A ClickHouse cluster").

package bench

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
)

// BenchmarkCluster seeds VORONKA_BENCH_DEALS deals (default 200,000)
// into a fresh database and, for each of one server and the cluster in
// turn, on the same PostgreSQL data:
//
//   - load: the initial load into a fresh migrated database, from Run to
//     SnapshotDone (rows/s = the rows copied / that time);
//   - drain: with both streams stopped, a backlog is committed (every
//     deal's amount changed once, in transactions of 10,000 deals, and a
//     call on every tenth deal); each stream is started again
//     alone and timed until it covers the backlog's last commit (rows/s =
//     the backlog's rows / that time), then `ingest verify` must be
//     clean on both;
//   - funnel, grouped: the report benchmarks' funnel and grouped report
//     over HTTP (no answer cache) on each copy; the two answers and
//     PostgreSQL's must agree cell for cell, then VORONKA_BENCH_RUNS
//     rounds (default 7) time them in turn.
//
// The sub-benchmarks share the state of the ones before: run them
// together, once.
//
//	go test ./bench -run XXX -bench Cluster -benchtime 1x -timeout 60m
func BenchmarkCluster(b *testing.B) {
	pg, deals := seededPG(b, 200_000)
	copies := []*clusterCopy{
		{name: "single", ch: testenv.NewSingleCH(b), slot: pg.Name + "_single"},
		{name: "cluster", ch: testenv.NewClusterCH(b), slot: pg.Name + "_cluster"},
	}
	b.Cleanup(func() {
		for _, c := range copies {
			ingest.DropSlot(context.Background(), pg.URL, c.slot)
		}
	})
	b.Run("load", func(b *testing.B) {
		for _, c := range copies {
			s, stop := c.stream(b, pg)
			start := time.Now()
			waitStream(b, s, 30*time.Minute, "initial load", func(st ingest.Status) bool { return st.SnapshotDone })
			elapsed := time.Since(start)
			stop()
			var rows int64
			for _, p := range s.Status().SnapshotProgress {
				rows += p.Copied
			}
			checkDealCount(b, pg, c.ch)
			c.report(b, "load", rows, elapsed)
		}
		reportRatio(b, copies, "load")
	})
	b.Run("drain", func(b *testing.B) {
		rows, committed := commitBacklog(b, pg, deals)
		for _, c := range copies {
			s, stop := c.stream(b, pg)
			start := time.Now()
			waitStream(b, s, 30*time.Minute, "backlog drained", func(st ingest.Status) bool { return !st.CoveredAt.Before(committed) })
			elapsed := time.Since(start)
			stop()
			c.report(b, "drain", rows, elapsed)
			rep, err := ingest.Verify(context.Background(), pg.Pool, c.ch.DB)
			if err != nil {
				b.Fatalf("%s: verify: %v", c.name, err)
			}
			if !rep.OK() {
				var out bytes.Buffer
				rep.WriteText(&out)
				b.Fatalf("%s: verify after the drain:\n%s", c.name, out.String())
			}
		}
		reportRatio(b, copies, "drain")
	})
	fixtures := make([]*reportsFixture, len(copies))
	for i, c := range copies {
		fixtures[i] = &reportsFixture{pg: pg, ch: c.ch, from: reportsFrom, to: reportsTo, year: reportsYear}
		fixtures[i].serve(b)
	}
	single, cluster := fixtures[0], fixtures[1]
	b.Run("funnel", func(b *testing.B) {
		m, pool := loadFunnelStages(b, single), single.pgConn(b)
		raceCopies(b, "funnel", single.voronkaFunnel, cluster.voronkaFunnel,
			func() (figures, error) { return single.postgresFunnel(context.Background(), pool, m) })
	})
	b.Run("grouped", func(b *testing.B) {
		pool := single.pgConn(b)
		raceCopies(b, "grouped",
			func() (figures, error) { return single.voronkaReport(groupedDefinition, 2) },
			func() (figures, error) { return cluster.voronkaReport(groupedDefinition, 2) },
			func() (figures, error) { return single.postgresGrouped(context.Background(), pool) })
	})
}

// clusterCopy is one ClickHouse copy of the benchmark's data with the
// slot its stream keeps between the phases.
type clusterCopy struct {
	name string
	ch   *testenv.CH
	slot string
	rate map[string]float64 // rows/s by phase
}

// stream runs a Streamer (production defaults) on the copy's slot until
// stop is called.
func (c *clusterCopy) stream(b *testing.B, pg *testenv.PG) (*ingest.Streamer, func()) {
	s, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: c.slot, Logger: quietLog()}, c.ch.DB)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	return s, func() { cancel(); <-done }
}

// report records and logs a phase's rows/s.
func (c *clusterCopy) report(b *testing.B, phase string, rows int64, elapsed time.Duration) {
	if c.rate == nil {
		c.rate = map[string]float64{}
	}
	c.rate[phase] = float64(rows) / elapsed.Seconds()
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(elapsed.Seconds(), c.name+"_s")
	b.ReportMetric(c.rate[phase], c.name+"_rows/s")
	b.Logf("%-7s %s: %d rows in %s, %.0f rows/s", c.name, phase, rows, elapsed.Round(10*time.Millisecond), c.rate[phase])
}

// reportRatio reports the cluster's rows/s over the single server's.
func reportRatio(b *testing.B, copies []*clusterCopy, phase string) {
	b.ReportMetric(copies[1].rate[phase]/copies[0].rate[phase], "cluster/single")
}

// waitStream polls the stream's status until done says so.
func waitStream(b *testing.B, s *ingest.Streamer, limit time.Duration, what string, done func(ingest.Status) bool) {
	for start := time.Now(); !done(s.Status()); time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > limit {
			b.Fatalf("%s: not done after %s: %+v", what, limit, s.Status())
		}
	}
}

// commitBacklog commits the drain's changes while no stream runs and
// returns their row count and an instant after the last commit.
func commitBacklog(b *testing.B, pg *testenv.PG, deals int) (int64, time.Time) {
	ctx := context.Background()
	var rows int64
	for lo := 0; lo < deals; lo += 10_000 {
		tag, err := pg.Pool.Exec(ctx, `UPDATE deals SET amount = amount + 1 WHERE id > $1 AND id <= $2`, lo, lo+10_000)
		if err != nil {
			b.Fatal(err)
		}
		rows += tag.RowsAffected()
	}
	tag, err := pg.Pool.Exec(ctx, `INSERT INTO activities (type, subject, owner_id, deal_id, direction, duration_s, done_at)
SELECT 'call', 'Звонок по сделке ' || id, responsible_id, id, 'out', 120, now() FROM deals WHERE id % 10 = 0`)
	if err != nil {
		b.Fatal(err)
	}
	rows += tag.RowsAffected()
	var committed time.Time
	if err := pg.Pool.QueryRow(ctx, `SELECT clock_timestamp()`).Scan(&committed); err != nil {
		b.Fatal(err)
	}
	b.Logf("backlog: %d rows committed", rows)
	return rows, committed
}

// raceCopies checks once that the single server's, the cluster's and
// PostgreSQL's answers agree, then times the two copies in turn.
func raceCopies(b *testing.B, what string, single, cluster, postgres func() (figures, error)) {
	var answers [3]figures
	for i, run := range []func() (figures, error){single, cluster, postgres} {
		var err error
		if answers[i], err = run(); err != nil {
			b.Fatal(fmt.Errorf("%s: %w", what, err))
		}
	}
	agreeNamed(b, what, answer{"postgres", answers[2]}, answer{"single server", answers[0]}, answer{"cluster", answers[1]})
	runs := envInt("VORONKA_BENCH_RUNS", 7)
	compete(b,
		contestant{"single", runs, func() error { _, err := single(); return err }},
		contestant{"cluster", runs, func() error { _, err := cluster(); return err }},
	)
}
