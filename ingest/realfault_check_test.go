package ingest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/voronka/voronka/olap"
)

// startCounted runs a Streamer on a ClickHouse connection of its own to
// chAddr, so the test's queries (e.ch.DB, reopened after a ClickHouse
// restart) and the stream's retries do not share connections. The
// counter counts initial-load chunks.
func (e *env) startCounted(cfg Config, chAddr string) (*Streamer, *atomic.Int64) {
	e.t.Helper()
	db, err := olap.Open(context.Background(), chAddr, e.ch.Database)
	if err != nil {
		e.t.Fatal(err)
	}
	s, err := New(cfg, db)
	if err != nil {
		e.t.Fatal(err)
	}
	var chunks atomic.Int64
	s.copied = func(string, int64) { chunks.Add(1) }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	e.t.Cleanup(func() { cancel(); <-done; db.Close() })
	return s, &chunks
}

// waitStreaming waits until the initial load is done and streamed CRM
// changes have reached ClickHouse.
func (e *env) waitStreaming(s *Streamer) {
	e.t.Helper()
	waitFor(e.t, syncTimeout, "streaming", func() bool {
		return s.Status().SnapshotDone && e.chCount("stage_changes") > 0
	})
}

// reopenCH replaces the test's ClickHouse connection after a restart of
// the server (the old pool's connections are dead).
func (e *env) reopenCH() {
	e.t.Helper()
	db, err := olap.Open(context.Background(), e.ch.Addr, e.ch.Database)
	if err != nil {
		e.t.Fatal(err)
	}
	old := e.ch.DB
	e.ch.DB = db
	e.t.Cleanup(func() { db.Close() })
	old.Close()
}

// lsn runs a query returning one pg_lsn and gives it as a number.
func (e *env) lsn(q string) uint64 {
	e.t.Helper()
	v := e.pgStrings("SELECT coalesce((" + q + ") - '0/0', 0)::text")
	if len(v) != 1 {
		e.t.Fatalf("%s: %d rows", q, len(v))
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(v[0], ".0"), 10, 64)
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// confirmedLSN is the slot's confirmed_flush_lsn as a number.
func (e *env) confirmedLSN() uint64 {
	return e.lsn(`SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '` + e.slot + `'`)
}

// stageChangesUpTo counts the distinct stage_changes rows in ClickHouse
// whose version (commit LSN) is at most lsn. Inserted once each, they
// are not merged away, so the count only grows when rows of such
// versions are written.
func (e *env) stageChangesUpTo(lsn uint64) string {
	return e.chStrings(fmt.Sprintf("SELECT toString(uniqExact(id)) FROM %s.stage_changes WHERE _version <= %d", e.ch.Database, lsn))[0]
}

// walsenderPID is the pid of the process streaming the slot, 0 if none.
func (e *env) walsenderPID() int {
	v := e.pgStrings(`SELECT coalesce(active_pid, 0)::text FROM pg_replication_slots WHERE slot_name = '` + e.slot + `'`)
	if len(v) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(v[0])
	return n
}

// checkDealsMirrored: every deal whose creation the core acknowledged is
// in ClickHouse, once, not deleted.
func (e *env) checkDealsMirrored(ids []int64) {
	e.t.Helper()
	if len(ids) == 0 {
		e.t.Fatal("the writer created no deals")
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	q := fmt.Sprintf("SELECT toString(count()) FROM %s.deals FINAL WHERE _deleted = 0 AND id IN (%s)",
		e.ch.Database, strings.Join(list, ", "))
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := e.chStrings(q)[0]
		if n == strconv.Itoa(len(ids)) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("ClickHouse holds %s of the %d deals the core created", n, len(ids))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
