package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/voronka/voronka/olap"
)

// measureLag: the paced phase. It reports the calls/s achieved, the lag
// percentiles of the calls (seconds), and, as a cross-check, the share
// of transactions the stream's own histogram (commit → ClickHouse
// acknowledgement) puts within 1 s.
func (f *streamFixture) measureLag(b *testing.B) {
	ctx := context.Background()
	st := f.startStream(b)
	defer st.stop()
	rate := float64(envInt("VORONKA_BENCH_RATE", 1000))
	ops := int(rate) * envInt("VORONKA_BENCH_SECONDS", 30)
	vis := newVisibility(f.ch.DB, f.minDeal)
	pctx, cancel := context.WithCancel(ctx)
	polled := make(chan error, 1)
	go func() { polled <- vis.run(pctx) }()
	res, err := f.load.run(ctx, ops, rate)
	if err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for vis.count() < res.ops && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-polled; err != nil {
		b.Fatalf("poll clickhouse: %v", err)
	}
	lags, err := vis.lags(res)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(res.ops)/res.elapsed.Seconds(), "calls/s")
	b.ReportMetric(pct(lags, 0.50).Seconds(), "p50_lag_s")
	b.ReportMetric(pct(lags, 0.99).Seconds(), "p99_lag_s")
	b.ReportMetric(lags[len(lags)-1].Seconds(), "max_lag_s")
	b.ReportMetric(histShare(b, st.reg, 1), "acked_1s_frac")
	b.Logf("lag phase: %d calls in %s, mean poll %s", res.ops, res.elapsed.Round(time.Millisecond), vis.meanPoll().Round(time.Millisecond))
}

// measureDrain: the stream stopped, a backlog committed through the
// core, then the time the restarted stream takes to put it all into
// ClickHouse.
func (f *streamFixture) measureDrain(b *testing.B) {
	ctx := context.Background()
	backlog, err := f.load.run(ctx, envInt("VORONKA_BENCH_BACKLOG", 300_000), 0)
	if err != nil {
		b.Fatal(err)
	}
	var want uint64
	if err := f.pg.Pool.QueryRow(ctx, "SELECT count(*) FROM stage_changes").Scan(&want); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	st := f.startStream(b)
	defer st.stop()
	q := fmt.Sprintf("SELECT uniqExact(id) FROM %s.stage_changes", f.ch.Database)
	for {
		var got uint64
		if err := f.ch.DB.QueryRow(ctx, olap.SQL(q)).Scan(&got); err != nil {
			b.Fatal(err)
		}
		if got >= want {
			break
		}
		if time.Since(start) > 10*time.Minute {
			b.Fatalf("ClickHouse holds %d of %d stage_changes rows after 10 min", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	drain := time.Since(start)
	b.ReportMetric(float64(backlog.ops)/backlog.elapsed.Seconds(), "core_calls/s")
	b.ReportMetric(float64(backlog.rowChanges())/drain.Seconds(), "rows/s")
	b.ReportMetric(counter(b, st.reg, "voronka_ingest_rows_total")/drain.Seconds(), "ch_rows/s")
	b.Logf("drain phase: %d row changes (%d calls committed in %s) streamed in %s", backlog.rowChanges(),
		backlog.ops, backlog.elapsed.Round(time.Millisecond), drain.Round(time.Millisecond))
}

func pct(sorted []time.Duration, p float64) time.Duration {
	return sorted[int(float64(len(sorted)-1)*p)]
}

// histShare is the fraction of the stream's lag histogram at or below le
// seconds.
func histShare(b *testing.B, reg *prometheus.Registry, le float64) float64 {
	mfs, err := reg.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "voronka_ingest_commit_lag_seconds" {
			continue
		}
		h := mf.GetMetric()[0].GetHistogram()
		for _, bk := range h.GetBucket() {
			if bk.GetUpperBound() == le && h.GetSampleCount() > 0 {
				return float64(bk.GetCumulativeCount()) / float64(h.GetSampleCount())
			}
		}
	}
	return 0
}

// counter reads a counter of the stream's metrics.
func counter(b *testing.B, reg *prometheus.Registry, name string) float64 {
	mfs, err := reg.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}
