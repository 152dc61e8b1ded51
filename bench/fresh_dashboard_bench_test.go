// The director dashboard on changing data (issue 15): twenty directors
// while a writer commits CRM calls through the core, with the change
// stream and the answer cache as `voronka serve` runs them, and then the
// same users over unchanged data. Figures and commands are in
// BENCHMARKS.md ("Fresh answers").

package bench

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/engine"
)

// BenchmarkDashboardUnderWrites loads /dashboards/director on the
// reports fixture (VORONKA_BENCH_DEALS, default 1,000,000) with
// VORONKA_BENCH_USERS concurrent users (default 20), each
// VORONKA_BENCH_PAGES times (default 10), while the streaming
// benchmark's generator commits VORONKA_BENCH_WRITE_RATE calls a second
// (default 1,000; each a created or moved deal) through crmcore.Store;
// then, once the stream has caught up and the writer is still, the same
// load over unchanged data. It reports p50/p95 page time, p95 of how far
// a page's oldest answer was behind (the page's Server-Timing `age`),
// the share of cached answers and the write rate reached:
//
//	go test ./bench -run XXX -bench DashboardUnderWrites -benchtime 1x -timeout 60m
func BenchmarkDashboardUnderWrites(b *testing.B) {
	f, st := newReportsFixture(b).live(b, "dash")
	base := f.dashboardServer(b, &engine.Cache{}) // the defaults of voronka serve
	page := []string{"/dashboards/director"}
	users, loads := envInt("VORONKA_BENCH_USERS", 20), envInt("VORONKA_BENCH_PAGES", 10)
	rate := envInt("VORONKA_BENCH_WRITE_RATE", 1000)
	writer := f.writer(b)
	f.loadPage(b, base, page, 1, 1) // the first look, untimed

	b.Run("writes", func(b *testing.B) {
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan loadResult, 1)
		go func() {
			res, err := writer.run(ctx, rate*3600, float64(rate))
			if err != nil && !errors.Is(err, context.Canceled) {
				b.Error(err)
			}
			done <- res
		}()
		time.Sleep(2 * time.Second) // the writer at its pace before the first look
		// The first look after the writes began meets the first change after
		// quiet data, which the cache computes while the caller waits (so a
		// change shows at once): timed apart, the steady state after it below.
		first := time.Now()
		f.loadPage(b, base, page, 1, 1)
		b.Logf("the first look after the writes began (the first change after quiet data, computed while it waits): %.1f s", time.Since(first).Seconds())
		started := time.Now()
		lags := sampleLag(st.s, 250*time.Millisecond)       // how far the copy itself is behind PostgreSQL meanwhile
		marks := sampleMarks(f.ch.DB, 250*time.Millisecond) // and what the watermarks the cache reads say
		pages := f.loadPage(b, base, page, users, loads)
		took := time.Since(started)
		copyLag, markLag := lags(), marks()
		stop()
		res := <-done
		calls := 0
		for _, c := range res.commits {
			calls += len(c)
		}
		reportDashboard(b, "under writes", pages)
		b.ReportMetric(ms(percentile(copyLag, 0.95)), "copy_lag_p95_ms")
		b.Logf("the copy behind PostgreSQL meanwhile (now − the stream's covered instant, every 250 ms): p50 %.1f s, p95 %.1f s, max %.1f s",
			percentile(copyLag, 0.5).Seconds(), percentile(copyLag, 0.95).Seconds(), percentile(copyLag, 1).Seconds())
		b.Logf("the watermarks' covered instant behind now meanwhile: p50 %.1f s, p95 %.1f s, max %.1f s",
			percentile(markLag, 0.5).Seconds(), percentile(markLag, 0.95).Seconds(), percentile(markLag, 1).Seconds())
		b.ReportMetric(float64(calls)/res.elapsed.Seconds(), "calls/s")
		b.Logf("the writer committed %d calls in %.1f s (%.0f a second; asked for %d) while %d users loaded %d pages in %.1f s",
			calls, res.elapsed.Seconds(), float64(calls)/res.elapsed.Seconds(), rate, users, pages.pages, took.Seconds())
	})
	b.Run("unchanged", func(b *testing.B) {
		caughtUp(b, st.s)
		f.loadPage(b, base, page, 1, 1) // the answers over the data as it now stands
		reportDashboard(b, "unchanged data", f.loadPage(b, base, page, users, loads))
	})
}

// writer is the streaming benchmark's load generator on the fixture, as
// a director of its own.
func (f *reportsFixture) writer(b *testing.B) *crmLoad {
	store := crmcore.NewStore(f.pg.Pool)
	u, err := store.CreateUser(context.Background(), crmcore.NewUser{Email: fmt.Sprintf("writer-%d@bench.local", time.Now().UnixNano()),
		Name: "Нагрузка", Role: "director", Password: "secret"})
	if err != nil {
		b.Fatal(err)
	}
	return &crmLoad{store: store, workers: envInt("VORONKA_BENCH_WORKERS", 8),
		who: domain.Principal{UserID: u.ID, Name: u.Name, Email: u.Email, Role: domain.RoleDirector}}
}

// caughtUp waits until the stream has applied everything committed
// before the call.
func caughtUp(b *testing.B, s *ingest.Streamer) {
	since := time.Now()
	for deadline := since.Add(5 * time.Minute); s.Status().CoveredAt.Before(since); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("the stream did not catch up in 5 minutes: %+v", s.Status())
		}
	}
}

// sampleLag samples how far s's copy is behind PostgreSQL (now − its
// covered instant) every interval until the returned function is called,
// which returns the samples, sorted.
func sampleLag(s *ingest.Streamer, interval time.Duration) func() []time.Duration {
	return sample(interval, func() (time.Duration, bool) { return time.Since(s.Status().CoveredAt), true })
}

// sampleMarks is sampleLag over the watermarks ingest writes to
// ClickHouse (what the answer cache reads).
func sampleMarks(db *olap.DB, interval time.Duration) func() []time.Duration {
	return sample(interval, func() (time.Duration, bool) {
		w, err := db.Watermarks(context.Background())
		return time.Since(w.Covered), err == nil && w.Known()
	})
}

// sample calls read every interval until the returned function is
// called, which returns the values read (those read says are valid),
// sorted.
func sample(interval time.Duration, read func() (time.Duration, bool)) func() []time.Duration {
	done := make(chan struct{})
	out := make(chan []time.Duration, 1)
	go func() {
		var vals []time.Duration
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
				out <- vals
				return
			case <-tick.C:
				if v, ok := read(); ok {
					vals = append(vals, v)
				}
			}
		}
	}()
	return func() []time.Duration { close(done); return <-out }
}

// reportDashboard reports a dashboard load's figures.
func reportDashboard(b *testing.B, what string, st *pageStats) {
	age := percentile(st.ages, 0.95)
	b.ReportMetric(ms(st.p50), "p50_ms")
	b.ReportMetric(ms(st.p95), "p95_ms")
	b.ReportMetric(ms(age), "age_p95_ms")
	b.ReportMetric(100*float64(st.cached)/float64(max(st.answers, 1)), "cached_%")
	slow := 0 // how many pages waited for a computation: their number says whether p95 is a steady state or a transition
	for _, l := range st.latencies {
		if l > 5*time.Second {
			slow++
		}
	}
	b.Logf("%-15s pages %3d  p50 %7.1f ms  p90 %7.1f ms  p95 %7.1f ms  over 5 s %d  oldest answer behind p95 %7.1f ms  cached answers %d of %d  ClickHouse %d ms",
		what, st.pages, ms(st.p50), ms(percentile(st.latencies, 0.90)), ms(st.p95), slow, ms(age), st.cached, st.answers, st.chMS)
}

// live is the fixture served from a ClickHouse copy the change stream
// keeps current: a fresh database, loaded by a stream of its own (slot
// <pg>_<name>) that runs until the benchmark ends, merged once loaded as
// the fixture's own copy is.
func (f *reportsFixture) live(b *testing.B, name string) (*reportsFixture, *stream) {
	slot := f.pg.Name + "_" + name
	ch := testenv.NewCH(b)
	st := runStream(b, f.pg, ch, slot)
	b.Cleanup(func() { ingest.DropSlot(context.Background(), f.pg.URL, slot) })
	optimizeAll(b, ch)
	live := *f
	live.ch = ch
	return &live, st
}
