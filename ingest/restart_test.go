package ingest

import (
	"context"
	"strconv"
	"testing"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// TestRestartResumesFromSlot: a stopped stream resumes from the slot's
// confirmed position: changes made while it was down arrive, and what
// was confirmed before is not written again.
func TestRestartResumesFromSlot(t *testing.T) {
	e := newEnv(t)
	e.seed(10)
	s, stop := e.start(e.config())
	e.waitSynced(syncTimeout, "deals") // initial load done: streaming
	e.exec(`INSERT INTO companies (name) SELECT 'Компания ' || i FROM generate_series(1, 100) i`)
	e.waitSynced(syncTimeout, "companies", "deals")
	version := e.chStrings("SELECT toString(max(_version)) FROM " + e.ch.Database + ".companies")[0]
	v, _ := strconv.ParseUint(version, 10, 64)
	// Rows become visible a moment before the insert's acknowledgement
	// reaches the writer; stop only once the stream counts them written.
	waitFor(t, syncTimeout, "acknowledged", func() bool { return s.Status().LastCommitLSN == logrepl.LSN(v).String() })
	stop()

	// The final standby status update is sent on stop; the walsender
	// applies it asynchronously, so give it a moment to show.
	waitFor(t, syncTimeout, "slot confirmed up to the last written version", func() bool {
		confirmed := e.pgStrings(`SELECT (confirmed_flush_lsn - '0/0')::text FROM pg_replication_slots WHERE slot_name = '` + e.slot + `'`)
		c, _ := strconv.ParseUint(confirmed[0], 10, 64)
		return c >= v
	})
	e.exec(`UPDATE deals SET amount = 1 WHERE id <= 5`)
	e.exec(`DELETE FROM deals WHERE id > 8`)
	e.exec(`INSERT INTO companies (name) VALUES ('после перезапуска')`)
	e.start(e.config())
	e.waitSynced(syncTimeout, "companies", "deals")
	n := e.chStrings("SELECT toString(count()) FROM " + e.ch.Database + ".companies WHERE _version = " + version)
	// The 100 companies of that one transaction carry its version, once.
	if n[0] != "100" {
		t.Fatalf("rows written with version %s: %s, want 100 (written once)", version, n[0])
	}
}

// TestInterruptedInitialLoadRedone: a load stopped half-way is redone from
// a new slot on restart, and rows deleted in between do not linger.
func TestInterruptedInitialLoadRedone(t *testing.T) {
	e := newEnv(t)
	e.seed(2000)
	cfg := e.config()
	cfg.CopyBatch, cfg.CopyWorkers = 100, 1
	s, err := New(cfg, e.ch.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.copied = func(table string, rows int64) {
		if table == "deals" && rows >= 500 {
			cancel()
		}
	}
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	<-done
	if s.Status().SnapshotDone {
		t.Fatal("load finished before the interruption")
	}
	partial := e.chStrings("SELECT toString(count()) FROM " + e.ch.Database + ".deals")[0]
	if partial == "0" || partial == "2000" {
		t.Fatalf("ClickHouse holds %s deals after the interruption, want a part", partial)
	}
	e.exec(`DELETE FROM deals WHERE id <= 100`)
	e.exec(`UPDATE deals SET title = 'изменена' WHERE id BETWEEN 101 AND 200`)
	s2, _ := e.start(e.config())
	e.waitSynced(syncTimeout, mirrored()...)
	// the rows are in before the load is done: the derived tables follow them
	waitFor(t, syncTimeout, "snapshot marked done", func() bool { return s2.Status().SnapshotDone })
}
