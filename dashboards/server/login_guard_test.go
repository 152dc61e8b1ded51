package server

import (
	"fmt"
	"testing"
	"time"
)

// TestLoginGuardSweep: a flood of made-up e-mails from many addresses
// does not grow the tables without bound — stale partial counts and
// ended address windows are dropped — while a locked account keeps its
// lock and its backoff.
func TestLoginGuardSweep(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	g := newLoginGuard(func() time.Time { return now })
	for i := 0; i < AccountFailures; i++ {
		g.failed("victim@test.local", "192.0.2.1")
	}
	for i := 0; i < guardSweepAt; i++ {
		g.failed(fmt.Sprintf("made-up-%d@test.local", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256))
	}
	now = now.Add(AddressWindow + time.Second)
	g.failed("last@test.local", "192.0.2.2")
	if len(g.accounts) != 2 || len(g.addresses) != 1 {
		t.Fatalf("after the sweep %d accounts and %d addresses, want 2 and 1 (the victim's lock and the last failure)", len(g.accounts), len(g.addresses))
	}
	if a := g.accounts["victim@test.local"]; a == nil || a.locks != 1 {
		t.Fatalf("the locked account lost its backoff: %+v", a)
	}
	if got := lockoutAfter(1); got != 2*FirstLockout {
		t.Errorf("the second lock lasts %s, want %s", got, 2*FirstLockout)
	}
	if got := lockoutAfter(40); got != MaxLockout {
		t.Errorf("a long run of locks lasts %s, want at most %s", got, MaxLockout)
	}
}
