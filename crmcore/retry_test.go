package crmcore_test

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
)

// TestDeadlockedWriteIsRetried forces a real deadlock in PostgreSQL
// between a store transaction and another connection, and proves the
// store runs its transaction again: both succeed.
//
// The store's ConvertLead locks the lead, then inserts the deal, whose
// foreign key waits for the company the other connection holds FOR
// UPDATE; the other connection then updates the lead. The store waited
// first, so its deadlock check fires first and PostgreSQL aborts it
// (40P01); the other connection commits, and the store's second attempt
// converts the lead.
func TestDeadlockedWriteIsRetried(t *testing.T) {
	f := newDealFx(t)
	var companyID int64
	if err := f.pg.Pool.QueryRow(f.ctx, `INSERT INTO companies (name) VALUES ('ООО «Тупик»') RETURNING id`).Scan(&companyID); err != nil {
		t.Fatal(err)
	}
	l, err := f.s.CreateLead(f.ctx, f.mgr, crmcore.NewLead{Title: "Тупик", Source: "exhibition",
		Company: crmcore.LeadCompany{ID: &companyID, Name: "ООО «Тупик»"}})
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
	f.waitForLockWait(t)
	if _, err := other.Exec(f.ctx, `UPDATE leads SET title = title || ' (правка)' WHERE id = $1`, l.ID); err != nil {
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

// waitForLockWait returns once a connection to the test database waits
// for a lock (the store's transaction, blocked on the company row).
func (f *dealFx) waitForLockWait(t *testing.T) {
	t.Helper()
	const q = `SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock'`
	for i := 0; i < 500; i++ {
		if f.count(q) > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the store's transaction never waited for the locked company")
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
	f.waitForLockWait(t)
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
