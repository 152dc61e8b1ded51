package ingest

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"
)

// The measurements behind the batching defaults (docs/ingest.md):
//
//	go test ./ingest/ -run '^$' -bench 'Stream' -benchtime 1x
//
// BenchmarkStreamThroughput lets 200,000 inserted deals (transactions of
// 1,000 rows) pile up in the slot, then reports rows/s while the stream
// drains the backlog, for several BatchRows. BenchmarkStreamLag commits single-
// row transactions at 1,000/s for 10 s and reports per-transaction lag.

func BenchmarkStreamThroughput(b *testing.B) {
	for _, rows := range []int{2000, 20000, 80000} {
		b.Run(fmt.Sprintf("BatchRows=%d", rows), func(b *testing.B) {
			e := newEnv(b)
			cfg := e.config()
			cfg.BatchRows = rows
			e.seed(1)
			_, stop := e.start(cfg)
			e.waitSynced(syncTimeout, "deals")
			stop() // build a backlog, then measure how fast the stream drains it
			for i := 0; i < 200; i++ {
				e.exec(`INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id)
SELECT 'load ' || g, pipeline_id, stage_id, g, 'RUB', responsible_id FROM deals, generate_series(1, 1000) g WHERE deals.id = 1`)
			}
			start := time.Now()
			_, stop = e.start(cfg)
			defer stop()
			waitFor(b, syncTimeout, "all rows", func() bool { return e.chCount("deals") >= 200001 })
			b.ReportMetric(200000/time.Since(start).Seconds(), "rows/s")
		})
	}
}

func BenchmarkStreamLag(b *testing.B) {
	for _, wait := range []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond} {
		b.Run(fmt.Sprintf("BatchWait=%s", wait), func(b *testing.B) {
			e := newEnv(b)
			cfg := e.config()
			cfg.BatchWait = wait
			s, stop := e.start(cfg)
			defer stop()
			var mu sync.Mutex
			var lags []float64
			s.metrics.mu.Lock()
			s.metrics.lagObserver = func(v float64) { mu.Lock(); lags = append(lags, v); mu.Unlock() }
			s.metrics.mu.Unlock()
			e.seed(1)
			e.waitSynced(syncTimeout, "deals")
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			end := time.Now().Add(10 * time.Second)
			n := 0
			for time.Now().Before(end) {
				<-tick.C
				e.exec(`UPDATE deals SET amount = $1 WHERE id = 1`, n%1000)
				n++
			}
			time.Sleep(2 * time.Second)
			mu.Lock()
			sort.Float64s(lags)
			b.ReportMetric(float64(n)/10, "commits/s")
			if len(lags) > 0 {
				b.ReportMetric(lags[len(lags)/2], "p50_s")
				b.ReportMetric(lags[len(lags)*99/100], "p99_s")
			}
			mu.Unlock()
		})
	}
}
