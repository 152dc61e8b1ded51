package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/internal/devenv"
)

// realOutage is how long the private ClickHouse stays stopped: the
// issue's scenario.
const realOutage = 30 * time.Second

// TestRealFaults stops and restarts real servers — a PostgreSQL and a
// ClickHouse started for this test alone (internal/devenv, free ports,
// removed afterwards) — while the real streamer runs and a writer keeps
// committing deals and stage moves through crmcore.Store. The shared dev
// servers are never touched. faults_test.go simulates the same faults on
// the shared servers (a TCP proxy, pg_terminate_backend); these are the
// real ones.
func TestRealFaults(t *testing.T) {
	testenv.SingleServer(t, "it stops and starts a private single server; the cluster's faults are TestCluster…'s")
	dev := startPrivate(t)
	t.Run("ClickHouseStopped", func(t *testing.T) { testClickHouseStopped(t, dev) })
	t.Run("PostgresRestarted", func(t *testing.T) { testPostgresRestarted(t, dev) })
}

// testClickHouseStopped: ClickHouse stopped for 30 s while writes
// continue. Ingest reports itself unhealthy the whole time, confirms
// nothing ClickHouse did not acknowledge, and catches up when ClickHouse
// returns; the reconcile check is clean and no acknowledged deal is lost.
//
// The stream reaches ClickHouse through a TCP proxy that stays closed
// for a moment after the server is back: long enough to read what
// ClickHouse held when it stopped, before the stream writes again. Rows
// whose versions are at or below the slot's confirmed position must all
// have been there already; had the stream confirmed a batch it never
// wrote, that batch would arrive now with such versions.
func testClickHouseStopped(t *testing.T, dev *devenv.Env) {
	e := newPrivateEnv(t, dev, "outage")
	gate := newProxy(t, dev.CHAddr())
	s, _ := e.startCounted(e.config(), gate.addr)
	w := e.startWriter(e.director(), 20*time.Millisecond)
	e.waitStreaming(s)
	w.waitWrites(t, 100)

	frozen, written := e.stopClickHouse(dev, s, w)
	gate.down()
	if err := dev.StartClickHouse(context.Background()); err != nil {
		t.Fatalf("start clickhouse again: %v", err)
	}
	back := time.Now()
	e.reopenCH()
	held := e.stageChangesUpTo(frozen)
	gate.up()
	waitFor(t, time.Minute, "healthy after ClickHouse returned", func() bool { return s.Healthy() == nil })
	waitFor(t, time.Minute, "slot advancing again", func() bool { return e.confirmedLSN() > frozen })
	w.waitWrites(t, 50)
	w.stop()
	e.waitSynced(syncTimeout, "deals", "stage_changes", "users")
	t.Logf("ClickHouse down %s; %d CRM changes committed meanwhile; caught up %s after its return",
		realOutage, written, time.Since(back).Round(100*time.Millisecond))
	e.verifyClean()
	e.checkDealsMirrored(w.createdDeals())
	if now := e.stageChangesUpTo(frozen); now != held {
		t.Fatalf("stage_changes with versions up to the confirmed %s: %s when ClickHouse returned, %s after catching up: the slot confirmed changes ClickHouse did not have",
			logrepl.LSN(frozen), held, now)
	}
}

// stopClickHouse stops the private ClickHouse for realOutage and checks
// the stream and the writer meanwhile: unhealthy throughout, the slot
// held back (watchOutage), the lag and retained WAL growing, and the
// writer's changes committing without error. It returns the slot's
// frozen position and the number of changes committed during the outage.
func (e *env) stopClickHouse(dev *devenv.Env, s *Streamer, w *crmWriter) (frozen uint64, written int) {
	e.t.Helper()
	e.t.Cleanup(func() { // a failed test leaves the server running for the next one
		if err := dev.StartClickHouse(context.Background()); err != nil {
			e.t.Errorf("start clickhouse after the test: %v", err)
		}
	})
	if err := dev.StopClickHouse(context.Background()); err != nil {
		e.t.Fatalf("stop clickhouse: %v", err)
	}
	down := time.Now()
	walAtStop := e.lsn(`SELECT pg_current_wal_lsn()`)
	okAtStop, _, _ := w.stats()
	waitFor(e.t, 10*time.Second, "unhealthy after ClickHouse stopped", func() bool { return s.Healthy() != nil })
	frozen = e.watchOutage(s, down, walAtStop)
	if st := s.Status(); st.Healthy || st.LagSeconds < realOutage.Seconds()/2 || st.RetainedWALBytes <= 0 {
		e.t.Fatalf("status at the end of the outage: %+v", st)
	}
	ok, failed, lastErr := w.stats()
	if ok-okAtStop < 300 || failed > 0 {
		e.t.Fatalf("writes during the outage: %d committed, %d failed (%v)", ok-okAtStop, failed, lastErr)
	}
	return frozen, ok - okAtStop
}

// watchOutage samples the stream for realOutage after down: it must
// stay unhealthy, and the slot's confirmed position must never pass the
// WAL position of the moment ClickHouse stopped (nothing after it can
// have been written), nor move at all once the last batch written before
// the stop was confirmed. It returns that frozen position.
func (e *env) watchOutage(s *Streamer, down time.Time, walAtStop uint64) uint64 {
	e.t.Helper()
	var frozen uint64
	for time.Since(down) < realOutage {
		if err := s.Healthy(); err == nil {
			e.t.Fatalf("healthy %s into the ClickHouse outage", time.Since(down).Round(time.Millisecond))
		}
		c := e.confirmedLSN()
		if c > walAtStop {
			e.t.Fatalf("slot confirmed %s, past %s where ClickHouse stopped", logrepl.LSN(c), logrepl.LSN(walAtStop))
		}
		if time.Since(down) > 5*time.Second {
			if frozen == 0 {
				frozen = c
			} else if c != frozen {
				e.t.Fatalf("slot advanced from %s to %s while ClickHouse was down", logrepl.LSN(frozen), logrepl.LSN(c))
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	return frozen
}

// testPostgresRestarted: PostgreSQL restarted (pg_ctl restart -m fast)
// under a running stream and a writer. The stream reconnects and resumes
// from its slot — the initial load is not redone — and the mirror equals
// PostgreSQL: nothing lost, nothing counted twice.
func testPostgresRestarted(t *testing.T, dev *devenv.Env) {
	e := newPrivateEnv(t, dev, "restart")
	s, copies := e.startCounted(e.config(), dev.CHAddr())
	w := e.startWriter(e.director(), 20*time.Millisecond)
	e.waitStreaming(s)
	loadChunks, pid, loadLSN := copies.Load(), e.walsenderPID(), e.loadLSN()

	w.waitWrites(t, 50)
	if err := dev.RestartPostgres(context.Background()); err != nil {
		t.Fatalf("restart postgres: %v", err)
	}
	e.pg.Pool.Reset() // the test's own queries: drop connections the restart killed
	waitFor(t, time.Minute, "a new walsender on the slot", func() bool {
		p := e.walsenderPID()
		return p != 0 && p != pid
	})
	waitFor(t, time.Minute, "healthy after the restart", func() bool { return s.Healthy() == nil })
	w.waitWrites(t, 100) // writes continue after the restart
	w.stop()
	ok, failed, lastErr := w.stats()
	t.Logf("%d CRM changes committed, %d failed during the restart (last: %v)", ok, failed, lastErr)
	e.waitSynced(syncTimeout, "deals", "stage_changes", "users")
	e.verifyClean()
	e.checkDealsMirrored(w.createdDeals())
	if n := copies.Load(); n != loadChunks {
		t.Fatalf("initial load ran again after the restart (%d chunks copied, %d before)", n, loadChunks)
	}
	if lsn := e.loadLSN(); lsn != loadLSN {
		t.Fatalf("initial-load checkpoint moved from %s to %s: the slot was created again", loadLSN, lsn)
	}
}

// loadLSN is the consistent point of the latest initial load recorded in
// ClickHouse (a new slot would have a new one).
func (e *env) loadLSN() string {
	return e.chStrings("SELECT toString(snapshot_lsn) FROM " + e.ch.Database + ".ingest_state ORDER BY _version DESC LIMIT 1")[0]
}
