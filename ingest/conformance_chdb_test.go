//go:build chdb

package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/chdb"
)

// The change stream writes the same mirror into 18.16 and into chDB's
// 26.x from one PostgreSQL database (two slots): the snapshot copy, then
// inserts, updates, deletes and a truncate, each engine's current rows
// equal to PostgreSQL's (the fill-in reads of partial updates included),
// and the reconcile (Verify) clean on both with equal counts and
// checksums.
func TestConformanceIngest(t *testing.T) {
	old := newEnv(t)
	cur := &env{t: t, pg: old.pg, ch: chdb.NewTestDB(t), slot: old.slot + "_cur"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for i := 0; i < 50 && DropSlot(ctx, old.pg.URL, cur.slot) != nil; i++ {
			time.Sleep(200 * time.Millisecond)
		}
	})
	old.seed(40)
	old.exec(`INSERT INTO deal_observers (deal_id, user_id) SELECT d.id, u.id FROM deals d, users u WHERE d.id % 3 = 0`)
	for _, e := range []*env{old, cur} {
		e.start(e.config())
		t.Logf("snapshot: waiting for %s", e.ch.Addr)
		e.waitSynced(syncTimeout, mirrored()...)
	}
	old.exec(`INSERT INTO companies (name, phone) VALUES ('ИП Лютик', NULL)`)
	old.exec(`UPDATE deals SET amount = 99.99, lost_reason = 'дорого', closed_at = now() WHERE id % 5 = 0`)
	old.exec(`UPDATE deals SET title = title || ' ✓' WHERE id % 4 = 1`)
	old.exec(`DELETE FROM deals WHERE id % 7 = 0`)
	old.exec(`TRUNCATE deal_observers`)
	old.exec(`INSERT INTO deal_observers (deal_id, user_id) SELECT d.id, u.id FROM deals d, users u WHERE d.id % 4 = 0`)
	for _, e := range []*env{old, cur} {
		t.Logf("changes: waiting for %s", e.ch.Addr)
		e.waitSynced(syncTimeout, "companies", "deals", "deal_observers", "users")
	}
	ctx := context.Background()
	repOld, err := Verify(ctx, old.pg.Pool, old.ch.DB)
	if err != nil {
		t.Fatalf("verify 18.16: %v", err)
	}
	repCur, err := Verify(ctx, cur.pg.Pool, cur.ch.DB)
	if err != nil {
		t.Fatalf("verify 26.x: %v", err)
	}
	if !repOld.OK() || !repCur.OK() || len(repOld.Tables) != len(repCur.Tables) {
		t.Fatalf("verify: 18.16 failed %v, 26.x failed %v", repOld.Failed(), repCur.Failed())
	}
	for i, a := range repOld.Tables {
		b := repCur.Tables[i]
		if a.Table != b.Table || a.CHCount != b.CHCount || a.CHSum != b.CHSum {
			t.Errorf("%s: 18.16 %d rows sum %d, 26.x %s %d rows sum %d", a.Table, a.CHCount, a.CHSum, b.Table, b.CHCount, b.CHSum)
		}
	}
}
