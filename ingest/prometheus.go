package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Register adds the stream's Prometheus metrics to reg: gauges read from
// Status at scrape time, the rows counter, and a histogram of per-
// transaction lag (commit in PostgreSQL → ClickHouse acknowledgement).
func (s *Streamer) Register(reg prometheus.Registerer) error {
	hist := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "voronka_ingest_commit_lag_seconds",
		Help:    "Seconds from a transaction's commit in PostgreSQL to ClickHouse's acknowledgement.",
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
	})
	if err := reg.Register(hist); err != nil {
		return err
	}
	s.metrics.mu.Lock()
	s.metrics.lagObserver = hist.Observe
	s.metrics.mu.Unlock()
	return reg.Register(collector{s})
}

var (
	descLag      = desc("lag_seconds", "Seconds from commit in PostgreSQL to ClickHouse acknowledgement (last batch, or the batch being written).")
	descRows     = desc("rows_total", "Rows the stream wrote to ClickHouse.")
	descRate     = desc("rows_per_second", "Rows written per second over the last 10 seconds.")
	descLSN      = desc("last_commit_lsn", "End LSN of the last transaction ClickHouse acknowledged.")
	descWAL      = desc("retained_wal_bytes", "pg_current_wal_lsn() - confirmed_flush_lsn of the slot.")
	descHealthy  = desc("healthy", "1 while ClickHouse and PostgreSQL answer, 0 while ingest retries.")
	descSnapDone = desc("snapshot_done", "1 once the initial load finished.")
	descClamped  = desc("clamped_values_total", "Dates and times outside what ClickHouse holds (1970–2106 for DateTime, to 2149 for Date), clamped to the nearest end.")
	descTrouble  = desc("tables_in_trouble", "Tables whose changes wait for a rebuild from a snapshot after a schema change.")
	descCopied   = prometheus.NewDesc("voronka_ingest_snapshot_rows_copied", "Rows of a table copied by the initial load.", []string{"table"}, nil)
	descTotal    = prometheus.NewDesc("voronka_ingest_snapshot_rows_total", "Rows of a table in the initial-load snapshot.", []string{"table"}, nil)
)

func desc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc("voronka_ingest_"+name, help, nil, nil)
}

type collector struct{ s *Streamer }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descLag, descRows, descRate, descLSN, descWAL, descHealthy, descSnapDone, descClamped, descTrouble, descCopied, descTotal} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	st := c.s.Status()
	c.s.metrics.mu.Lock()
	rows, lsn := c.s.metrics.rows, c.s.metrics.lastLSN
	c.s.metrics.mu.Unlock()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	gauge(descLag, st.LagSeconds)
	ch <- prometheus.MustNewConstMetric(descRows, prometheus.CounterValue, float64(rows))
	gauge(descRate, st.RowsPerSecond)
	gauge(descLSN, float64(lsn))
	gauge(descWAL, float64(st.RetainedWALBytes))
	gauge(descHealthy, b2f(st.Healthy))
	gauge(descSnapDone, b2f(st.SnapshotDone))
	gauge(descTrouble, float64(len(st.TablesInTrouble)))
	ch <- prometheus.MustNewConstMetric(descClamped, prometheus.CounterValue, float64(clampedValues.Load()))
	for _, p := range st.SnapshotProgress {
		ch <- prometheus.MustNewConstMetric(descCopied, prometheus.GaugeValue, float64(p.Copied), p.Table)
		ch <- prometheus.MustNewConstMetric(descTotal, prometheus.GaugeValue, float64(p.Total), p.Table)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
