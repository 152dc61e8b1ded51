package ingest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/olap"
)

// TestPostgresConnectionLossResumes: the replication connection is
// killed on the server (what a PostgreSQL restart looks like from the
// stream); ingest reconnects and resumes from the slot.
func TestPostgresConnectionLossResumes(t *testing.T) {
	e := newEnv(t)
	e.seed(10)
	s, _ := e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	for i := 0; i < 3; i++ {
		e.exec(`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active`, e.slot)
		e.exec(`UPDATE deals SET amount = amount + 1 WHERE id <= $1`, 3+i)
		e.exec(`INSERT INTO companies (name) VALUES ($1)`, "после обрыва "+strconv.Itoa(i))
		e.waitSynced(syncTimeout, "deals", "companies")
	}
	waitFor(t, 10*time.Second, "healthy again", func() bool { return s.Healthy() == nil })
	e.verifyClean()
}

// TestClickHouseOutage: ClickHouse unreachable while writes continue.
// Ingest reports itself unhealthy, confirms nothing it has not written,
// and catches up when ClickHouse returns. VORONKA_CH_OUTAGE sets the
// outage (default 3s; the scenario is 30s).
func TestClickHouseOutage(t *testing.T) {
	e := newEnv(t)
	e.seed(10)
	p, s := e.streamThroughProxy(e.config())
	e.waitSynced(syncTimeout, "deals")
	// The deals may be copied before the initial load has finished (and
	// recorded its checkpoint): the outage must begin once streaming has.
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })

	p.down()
	// The end of the outage's first commit (the insert position right
	// after it): the slot may move on while the stream idles — the shared
	// cluster's other databases write WAL, and keepalives confirm it — but
	// never to that commit or past it.
	var firstEnd string
	for i := 0; i < 20; i++ {
		e.exec(`UPDATE deals SET amount = $1 WHERE id = $2`, i, 1+i%10)
		if i == 0 {
			firstEnd = e.pgStrings(`SELECT pg_current_wal_insert_lsn()::text`)[0]
		}
		e.exec(`INSERT INTO companies (name) VALUES ($1)`, "во время простоя "+strconv.Itoa(i))
	}
	waitFor(t, 10*time.Second, "unhealthy during the outage", func() bool { return s.Healthy() != nil })
	time.Sleep(outage())
	if st := s.Status(); st.Healthy || st.LagSeconds < outage().Seconds() {
		t.Fatalf("status during the outage: %+v", st)
	}
	// Nothing written during the outage may be confirmed.
	if ok := e.pgStrings(`SELECT (confirmed_flush_lsn < '` + firstEnd + `')::text FROM pg_replication_slots WHERE slot_name = '` + e.slot + `'`); ok[0] != "true" {
		t.Fatalf("slot confirmed %s, the outage's first commit (ending by %s) or past it, while ClickHouse was down", e.confirmed(), firstEnd)
	}
	p.up()
	e.waitSynced(syncTimeout, "deals", "companies")
	waitFor(t, 10*time.Second, "healthy again", func() bool { return s.Healthy() == nil })
	e.verifyClean()
}

func outage() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("VORONKA_CH_OUTAGE")); err == nil {
		return d
	}
	return 3 * time.Second
}

// confirmed is the slot's confirmed_flush_lsn.
func (e *env) confirmed() string {
	return e.pgStrings(`SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '` + e.slot + `'`)[0]
}

func waitFor(t testing.TB, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s after %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// streamThroughProxy runs a Streamer with cfg that reaches ClickHouse
// through a proxy the test can cut or freeze, until the test ends.
func (e *env) streamThroughProxy(cfg Config) (*proxy, *Streamer) {
	t := e.t
	first, _, _ := strings.Cut(e.ch.Addr, ",") // on a cluster: its first node, which forwards to the others
	p := newProxy(t, first)
	db, err := olap.OpenCluster(context.Background(), p.addr, e.ch.Database, e.ch.DB.Cluster())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, db)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; db.Close() })
	return p, s
}
