package ingest

import (
	"testing"
	"time"
)

// TestTroublesParkUntilTheSnapshot: a table in trouble has every change
// parked until its rebuild's snapshot, then only those the snapshot
// holds; trouble arriving during the rebuild makes it run again, and its
// record is never cleared meanwhile.
func TestTroublesParkUntilTheSnapshot(t *testing.T) {
	ts := newTroubles()
	since := time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)
	ts.add("deals", "column priority changed type", since)
	if !ts.skip("deals", 1<<40) || ts.skip("companies", 1) {
		t.Fatal("before the snapshot: every deals change parked, no other table's")
	}
	ts.begin("deals")
	if !ts.snapshotTaken("deals", 100) {
		t.Fatal("snapshot refused")
	}
	if !ts.skip("deals", 100) || ts.skip("deals", 101) {
		t.Fatal("after the snapshot at 100: changes up to 100 parked, later ones written")
	}
	ts.add("deals", "column note changed type", since.Add(time.Minute)) // again, mid-rebuild
	if !ts.skip("deals", 101) {
		t.Fatal("new trouble: every change parked again")
	}
	cleared := false
	done, err := ts.finish("deals", func() error { cleared = true; return nil })
	if done || err != nil || cleared {
		t.Fatalf("finish during new trouble: done %v, err %v, record cleared %v", done, err, cleared)
	}
	list := ts.list()
	if len(list) != 1 || list[0].Reason != "column note changed type" || !list[0].Since.Equal(since) {
		t.Fatalf("list %+v", list)
	}
	ts.begin("deals")
	if !ts.snapshotTaken("deals", 200) {
		t.Fatal("second snapshot refused")
	}
	if done, err := ts.finish("deals", func() error { cleared = true; return nil }); !done || err != nil || !cleared {
		t.Fatalf("second finish: done %v, err %v, cleared %v", done, err, cleared)
	}
	if ts.skip("deals", 1) || len(ts.list()) != 0 {
		t.Fatal("out of trouble: nothing parked, nothing listed")
	}
}
