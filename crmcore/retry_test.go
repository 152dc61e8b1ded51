package crmcore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
)

// TestDeadlockedWriteIsRetried forces a real deadlock in PostgreSQL
// between a store transaction and another connection, and proves the
// store runs its transaction again: both succeed.
//
// ConvertLead locks the lead, then inserts the deal, whose foreign keys
// wait first for the company (held FOR UPDATE by a blocker) and then for
// the contact (held by the other connection). While the store waits for
// the company, the other connection updates the lead and waits for the
// store; the blocker then lets go, so the store's wait for the contact
// closes the cycle. The other connection's deadlock_timeout is long, so
// the store's own check finds the deadlock and PostgreSQL aborts the
// store's attempt (40P01); the other connection commits and the store's
// next attempt converts the lead. The order is forced by locks, not by
// timing.
func TestDeadlockedWriteIsRetried(t *testing.T) {
	f := newDealFx(t)
	var companyID, contactID int64
	if err := f.pg.Pool.QueryRow(f.ctx, `INSERT INTO companies (name) VALUES ('ООО «Тупик»') RETURNING id`).Scan(&companyID); err != nil {
		t.Fatal(err)
	}
	if err := f.pg.Pool.QueryRow(f.ctx, `INSERT INTO contacts (first_name) VALUES ('Олег') RETURNING id`).Scan(&contactID); err != nil {
		t.Fatal(err)
	}
	l, err := f.s.CreateLead(f.ctx, f.mgr, crmcore.NewLead{Title: "Тупик", Source: "exhibition",
		Contact: crmcore.LeadContact{ID: &contactID, Name: "Олег"}, Company: crmcore.LeadCompany{ID: &companyID, Name: "ООО «Тупик»"}})
	if err != nil {
		t.Fatal(err)
	}
	blocker := f.lockRow(t, `SELECT id FROM companies WHERE id = $1 FOR UPDATE`, companyID)
	other := f.lockRow(t, `SELECT id FROM contacts WHERE id = $1 FOR UPDATE`, contactID)
	if _, err := other.Exec(f.ctx, `SET LOCAL deadlock_timeout = '60s'`); err != nil {
		t.Fatal(err)
	}
	converted := make(chan error, 1)
	go func() {
		_, err := f.s.ConvertLead(f.ctx, f.mgr, l.ID, crmcore.LeadConvert{})
		converted <- err
	}()
	f.waitForLockWaits(t, 1) // the store, for the company
	updated := make(chan error, 1)
	go func() {
		_, err := other.Exec(f.ctx, `UPDATE leads SET title = title || ' (правка)' WHERE id = $1`, l.ID)
		updated <- err
	}()
	f.waitForLockWaits(t, 2) // and the other connection, for the store's lead
	if err := blocker.Commit(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-updated; err != nil {
		t.Fatalf("the other connection was the deadlock's victim: %v", err)
	}
	if err := other.Commit(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-converted; err != nil {
		t.Fatalf("ConvertLead after a deadlock: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM leads l JOIN deals d ON d.id = l.deal_id AND d.lead_id = l.id
		WHERE l.id = $1 AND l.title = 'Тупик (правка)'`, l.ID); n != 1 {
		t.Error("the lead is not converted with the other connection's change kept")
	}
	if n := f.count(`SELECT count(*) FROM deals`); n != 1 {
		t.Errorf("%d deals after the retried conversion, want 1", n)
	}
}

// lockRow begins a transaction on its own connection that runs q (a
// SELECT … FOR UPDATE); it is rolled back at the end unless committed.
func (f *dealFx) lockRow(t *testing.T, q string, args ...any) pgx.Tx {
	t.Helper()
	tx, err := f.pg.Pool.Begin(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(context.Background()) })
	if _, err := tx.Exec(f.ctx, q, args...); err != nil {
		t.Fatal(err)
	}
	return tx
}

// waitForLockWaits returns once n connections to the test database wait
// for a lock.
func (f *dealFx) waitForLockWaits(t *testing.T, n int) {
	t.Helper()
	const q = `SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'`
	for i := 0; i < 1000; i++ {
		if f.count(q) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d connections ever waited for a lock", n)
}

// TestTerminatedConnectionIs503 ends the store's connection from the
// server side in the middle of a transaction, as a restart does
// (pg_terminate_backend: 57P01 admin shutdown): the call answers 503
// unavailable, not an internal error, and nothing is written.
func TestTerminatedConnectionIs503(t *testing.T) {
	f := newDealFx(t)
	var companyID int64
	if err := f.pg.Pool.QueryRow(f.ctx, `INSERT INTO companies (name) VALUES ('ООО «Рестарт»') RETURNING id`).Scan(&companyID); err != nil {
		t.Fatal(err)
	}
	l, err := f.s.CreateLead(f.ctx, f.mgr, crmcore.NewLead{Title: "Рестарт", Source: "exhibition",
		Company: crmcore.LeadCompany{ID: &companyID, Name: "ООО «Рестарт»"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.pg.Pool.Begin(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback(context.Background())
	if _, err := other.Exec(f.ctx, `SELECT id FROM companies WHERE id = $1 FOR UPDATE`, companyID); err != nil {
		t.Fatal(err)
	}
	converted := make(chan error, 1)
	go func() {
		_, err := f.s.ConvertLead(f.ctx, f.mgr, l.ID, crmcore.LeadConvert{})
		converted <- err
	}()
	f.waitForLockWaits(t, 1)
	if _, err := other.Exec(f.ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
		t.Fatal(err)
	}
	wantAppErr(t, <-converted, apperr.Unavailable, "unavailable", "")
	other.Rollback(f.ctx)
	if n := f.count(`SELECT count(*) FROM deals`); n != 0 {
		t.Errorf("%d deals after a conversion cut off, want 0", n)
	}
}
