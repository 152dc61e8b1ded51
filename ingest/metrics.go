package ingest

import (
	"sort"
	"sync"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// rateWindow is the span rows_per_second averages over.
const rateWindow = 10 * time.Second

// Status is the stream's state as /api/v1/ingest/status shows it.
type Status struct {
	Healthy bool   `json:"healthy"`
	Error   string `json:"error,omitempty"`
	Slot    string `json:"slot"`
	// LagSeconds is the time from a transaction's commit in PostgreSQL to
	// ClickHouse's acknowledgement of it: for the last written batch, or
	// longer while a batch waits for ClickHouse.
	LagSeconds       float64 `json:"lag_seconds"`
	LastCommitLSN    string  `json:"last_commit_lsn"`
	RowsPerSecond    float64 `json:"rows_per_second"`
	RetainedWALBytes int64   `json:"retained_wal_bytes"`
	SnapshotDone     bool    `json:"snapshot_done"`
	// CoveredAt is the instant up to which every committed transaction is
	// in ClickHouse (the last written commit, or the server's clock while
	// idle); omitted until the stream has covered one.
	CoveredAt time.Time `json:"covered_at,omitzero"`
	// TablesInTrouble lists the tables whose changes wait for a rebuild
	// from a snapshot (a schema change ClickHouse cannot follow in place);
	// the other tables stream on meanwhile.
	TablesInTrouble []TableTrouble `json:"tables_in_trouble"`
	// SnapshotProgress lists the initial load per table (rows copied of
	// the table's row count in the snapshot).
	SnapshotProgress []TableProgress `json:"snapshot_progress"`
}

// TableProgress is the initial-load progress of one table.
type TableProgress struct {
	Table  string `json:"table"`
	Copied int64  `json:"copied"`
	Total  int64  `json:"total"`
}

// metrics is the mutable state behind Status and the Prometheus
// collectors; every method is safe for concurrent use.
type metrics struct {
	mu           sync.Mutex
	now          func() time.Time
	rows         int64 // rows written to ClickHouse by the stream
	acks         []ackSample
	lastLag      time.Duration
	writingSince time.Time // oldest commit of the batch being written
	writeStart   time.Time // when the writer took the batch being written
	lastLSN      logrepl.LSN
	coveredAt    time.Time
	walBytes     int64
	snapDone     bool
	progress     map[string]TableProgress
	lagObserver  func(seconds float64)
}

type ackSample struct {
	at   time.Time
	rows int64
}

func newMetrics(now func() time.Time) *metrics {
	return &metrics{now: now, progress: map[string]TableProgress{}, lagObserver: func(float64) {}}
}

func (m *metrics) snapshotTable(table string, copied, total int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if total < copied {
		total = copied
	}
	m.progress[table] = TableProgress{Table: table, Copied: copied, Total: total}
}

func (m *metrics) setSnapshotDone(done bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.snapDone = done
}

func (m *metrics) setWAL(bytes int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.walBytes = bytes
}

// writing notes that a batch whose oldest transaction committed at t is
// on its way to ClickHouse.
func (m *metrics) writing(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writingSince = t
	m.writeStart = m.now()
}

// writerStopped notes that no batch is being written (the session's
// writer ended; its batch will be streamed again, and until then the lag
// keeps counting from its oldest commit).
func (m *metrics) writerStopped() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.writeStart = time.Time{}
}

// stalled is how long the batch being written has waited for ClickHouse
// (zero when none is).
func (m *metrics) stalled() time.Duration {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.writeStart.IsZero() {
		return 0
	}
	return now.Sub(m.writeStart)
}

// acked records a batch ClickHouse accepted: rows written, the lag of
// each of its transactions, its end LSN.
func (m *metrics) acked(b *batch, rows int) {
	now := m.now()
	m.mu.Lock()
	m.rows += int64(rows)
	m.acks = append(m.acks, ackSample{at: now, rows: int64(rows)})
	m.writingSince, m.writeStart = time.Time{}, time.Time{}
	if len(b.commits) > 0 {
		m.lastLag = now.Sub(b.commits[len(b.commits)-1])
		m.lastLSN = b.endLSN
		m.coveredAt = b.commits[len(b.commits)-1]
	}
	observe := m.lagObserver
	m.mu.Unlock()
	for _, c := range b.commits {
		observe(now.Sub(c).Seconds())
	}
}

// covered records the reach of an idle stream.
func (m *metrics) covered(at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if at.After(m.coveredAt) {
		m.coveredAt = at
	}
}

// status fills the metric fields of a Status.
func (m *metrics) status() Status {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	lag := m.lastLag
	if !m.writingSince.IsZero() && now.Sub(m.writingSince) > lag {
		lag = now.Sub(m.writingSince)
	}
	st := Status{LagSeconds: lag.Seconds(), RetainedWALBytes: m.walBytes, SnapshotDone: m.snapDone,
		RowsPerSecond: m.rate(now), SnapshotProgress: []TableProgress{}, CoveredAt: m.coveredAt.UTC()}
	if m.lastLSN != 0 {
		st.LastCommitLSN = m.lastLSN.String()
	}
	for _, p := range m.progress {
		st.SnapshotProgress = append(st.SnapshotProgress, p)
	}
	sort.Slice(st.SnapshotProgress, func(i, j int) bool { return st.SnapshotProgress[i].Table < st.SnapshotProgress[j].Table })
	return st
}

// rate is rows per second over the last rateWindow (callers hold mu).
func (m *metrics) rate(now time.Time) float64 {
	cut := 0
	for cut < len(m.acks) && now.Sub(m.acks[cut].at) > rateWindow {
		cut++
	}
	m.acks = m.acks[cut:]
	var n int64
	for _, a := range m.acks {
		n += a.rows
	}
	return float64(n) / rateWindow.Seconds()
}
