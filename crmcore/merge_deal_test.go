package crmcore_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// dealMergeFx is a kept deal (mgr's, observed by the analyst) and a
// duplicate (mgr2's, observed by the analyst and mgr) with, by plain
// SQL: 2 stage changes and 1 forecast change, 2 activities, 1 item, 2
// invoices with 3 payments, a converted lead and a company; the kept
// deal has 1 stage change, 1 activity, 1 invoice with 1 payment.
type dealMergeFx struct {
	*bizFixture
	keep, gone, lead, company int64
}

func newDealMergeFx(t *testing.T) *dealMergeFx {
	f := &dealMergeFx{bizFixture: newBizFixture(t)}
	f.keep = f.rawDeal("Основная", f.mgr, f.analyst)
	f.gone = f.rawDeal("Дубль", f.mgr2, f.analyst, f.mgr)
	f.lead = f.rawLead("Заявка", f.mgr2)
	f.pg.Pool.QueryRow(f.ctx, `INSERT INTO companies (name) VALUES ('Ромашка') RETURNING id`).Scan(&f.company)
	f.exec(`UPDATE deals SET stage_id = s.id, company_id = $2, lead_id = $3 FROM stages s
WHERE s.pipeline_id = deals.pipeline_id AND s.code = 'first_contact' AND deals.id = $1`, f.gone, f.company, f.lead)
	f.exec(`UPDATE leads SET deal_id = $1 WHERE id = $2`, f.gone, f.lead)
	f.exec(`INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, c.to_stage_id, d.stage_id, c.changed_at + interval '1 hour'
FROM deals d JOIN stage_changes c ON c.deal_id = d.id WHERE d.id = $1`, f.gone)
	f.exec(`INSERT INTO deal_forecast_changes (deal_id, changed_at, expected_close_at) VALUES ($1, now(), '2026-03-31')`, f.gone)
	for _, a := range []struct {
		deal  int64
		owner domain.Principal
	}{{f.gone, f.mgr2}, {f.gone, f.mgr2}, {f.keep, f.mgr}} {
		f.exec(`INSERT INTO activities (type, subject, owner_id, deal_id) VALUES ('call', 'звонок', $1, $2)`, a.owner.UserID, a.deal)
	}
	f.exec(`WITH p AS (INSERT INTO products (name, price, currency) VALUES ('Лицензия', 1000, 'RUB') RETURNING id)
INSERT INTO deal_items (deal_id, product_id, quantity, price) SELECT $1, id, 2, 1000 FROM p`, f.gone)
	for i, inv := range []struct {
		deal     int64
		payments int
	}{{f.gone, 2}, {f.gone, 1}, {f.keep, 1}} {
		var id int64
		f.pg.Pool.QueryRow(f.ctx, `INSERT INTO invoices (deal_id, number, amount, currency, status, issued_at, due_at)
VALUES ($1, $2, 500, 'RUB', 'issued', now(), now()) RETURNING id`, inv.deal, fmt.Sprintf("СЧ-%d", i+1)).Scan(&id)
		for j := 0; j < inv.payments; j++ {
			f.exec(`INSERT INTO payments (invoice_id, amount, status, paid_at) VALUES ($1, 100, 'paid', now())`, id)
		}
	}
	// An order of the merged deal, with its act: they move with the deal.
	f.exec(`WITH o AS (INSERT INTO orders (deal_id, number, amount, currency) VALUES ($1, 'З-1', 1000, 'RUB') RETURNING id)
INSERT INTO acts (order_id, number, amount, signed_at) SELECT id, 'А-1', 400, '2026-03-01' FROM o`, f.gone)
	return f
}

func (f *dealMergeFx) sql(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pg.Pool.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestMergeDeals: what moves (counted by hand from the fixture), what
// goes with the merged deal, the log row, the kept deal's filled fields.
func TestMergeDeals(t *testing.T) {
	f := newDealMergeFx(t)
	in := crmcore.MergeRequest{Entity: crmcore.EntityDeal, KeepID: f.keep, MergeID: f.gone}
	m, err := f.s.MergeRecords(f.ctx, f.director, in)
	if err != nil {
		t.Fatal(err)
	}
	// observers: the analyst observes both, mgr is the kept deal's
	// responsible: only mgr2, the merged deal's responsible, is new.
	want := map[string]int64{"activities": 2, "deal_items": 1, "invoices": 2, "payments": 3, "observers": 1, "leads": 1, "orders": 1}
	if fmt.Sprint(m.Moved) != fmt.Sprint(want) {
		t.Errorf("moved %v, want %v", m.Moved, want)
	}
	if fmt.Sprint(m.Removed) != fmt.Sprint(map[string]int64{"stage_changes": 2, "forecast_changes": 1}) {
		t.Errorf("removed %v", m.Removed)
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM activities WHERE deal_id = $1`:                                                                        3,
		`SELECT count(*) FROM deal_items WHERE deal_id = $1`:                                                                        1,
		`SELECT count(*) FROM invoices WHERE deal_id = $1`:                                                                          3,
		`SELECT count(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.deal_id = $1`:                               4,
		`SELECT count(*) FROM stage_changes WHERE deal_id = $1`:                                                                     1,
		`SELECT count(*) FROM leads WHERE deal_id = $1`:                                                                             1,
		`SELECT count(*) FROM deal_observers WHERE deal_id = $1`:                                                                    2,
		`SELECT count(*) FROM deal_observers WHERE deal_id = $1 AND user_id = (SELECT id FROM users WHERE email = 'mgr2@biz.test')`: 1,
		`SELECT count(*) FROM deals WHERE id = $1 AND company_id IS NOT NULL AND lead_id IS NOT NULL`:                               1,
		`SELECT count(*) FROM activities WHERE deal_id = $1 AND owner_id = (SELECT id FROM users WHERE email = 'mgr2@biz.test')`:    2,
	} {
		if got := f.sql(q, f.keep); got != want {
			t.Errorf("%s: %d, want %d", q, got, want)
		}
	}
	for _, table := range []string{"deals WHERE id", "stage_changes WHERE deal_id", "deal_forecast_changes WHERE deal_id", "deal_observers WHERE deal_id"} {
		if n := f.sql(`SELECT count(*) FROM `+table+` = $1`, f.gone); n != 0 {
			t.Errorf("%s = merged: %d rows left", table, n)
		}
	}
	var title, moved, removed string
	var changes, forecasts int
	f.pg.Pool.QueryRow(f.ctx, `SELECT merged_row->>'title', moved::text, removed::text, jsonb_array_length(history->'stage_changes'),
       jsonb_array_length(history->'forecast_changes') FROM merges WHERE entity = 'deal' AND kept_id = $1 AND merged_id = $2`,
		f.keep, f.gone).Scan(&title, &moved, &removed, &changes, &forecasts)
	if title != "Дубль" || changes != 2 || forecasts != 1 || !strings.Contains(moved, `"payments": 3`) || !strings.Contains(removed, `"stage_changes": 2`) {
		t.Errorf("the log row: title %q, moved %s, removed %s, %d stage changes, %d forecast changes", title, moved, removed, changes, forecasts)
	}
	h, err := f.s.MergeHistory(f.ctx, f.mgr, crmcore.EntityDeal, f.keep)
	if err != nil || len(h) != 1 || h[0].MergedID != f.gone || h[0].Removed["stage_changes"] != 2 || h[0].MergedRow != nil || h[0].History != nil {
		t.Fatalf("the kept deal's manager reads the history %+v %v: want the entry without the merged row", h, err)
	}
	if h, err = f.s.MergeHistory(f.ctx, f.director, crmcore.EntityDeal, f.keep); err != nil || len(h) != 1 {
		t.Fatalf("history %+v %v", h, err)
	}
	var hist struct {
		StageChanges []struct {
			DealID    int64  `json:"deal_id"`
			FromStage *int64 `json:"from_stage_id"`
		} `json:"stage_changes"`
	}
	if err := json.Unmarshal(h[0].History, &hist); err != nil || len(hist.StageChanges) != 2 || hist.StageChanges[0].FromStage != nil ||
		hist.StageChanges[1].DealID != f.gone {
		t.Errorf("the history's stage changes, oldest first: %s (%v)", h[0].History, err)
	}
	if _, err := f.s.MergeHistory(f.ctx, f.mgr2, crmcore.EntityDeal, f.gone); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("the merged deal's history: %v, want 404", err)
	}
}

// TestMergeDealsRefused: each refusal with its kind and field, and no row
// written by any of them.
func TestMergeDealsRefused(t *testing.T) {
	f := newDealMergeFx(t)
	var other, won int64
	f.pg.Pool.QueryRow(f.ctx, `INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id)
SELECT 'Интерес', p.id, s.id, 1, 'RUB', $1 FROM pipelines p JOIN stages s ON s.pipeline_id = p.id
WHERE p.code = 'interest' ORDER BY s.position LIMIT 1 RETURNING id`, f.mgr.UserID).Scan(&other)
	won = f.rawDeal("Выигранная", f.mgr)
	f.exec(`UPDATE deals SET stage_id = s.id, closed_at = now() FROM stages s
WHERE s.pipeline_id = deals.pipeline_id AND s.code = 'won' AND deals.id = $1`, won)
	deal := func(keep, gone int64) crmcore.MergeRequest {
		return crmcore.MergeRequest{Entity: crmcore.EntityDeal, KeepID: keep, MergeID: gone}
	}
	snapshot := func() string {
		return fmt.Sprint(f.count("deals"), f.count("merges"), f.count("stage_changes"), f.count("deal_observers"),
			f.sql(`SELECT count(*) FROM activities WHERE deal_id = $1`, f.keep), f.sql(`SELECT count(*) FROM invoices WHERE deal_id = $1`, f.keep))
	}
	before := snapshot()
	for _, b := range []struct {
		name  string
		as    domain.Principal
		in    crmcore.MergeRequest
		kind  apperr.Kind
		field string
	}{
		{"same deal", f.director, deal(f.keep, f.keep), apperr.Invalid, "merge_id"},
		{"no keep_id", f.director, deal(0, f.gone), apperr.Invalid, "keep_id"},
		{"negative merge_id", f.director, deal(f.keep, -3), apperr.Invalid, "merge_id"},
		{"unknown deal", f.director, deal(f.keep, 999999), apperr.NotFound, "merge_id"},
		{"unknown kept deal", f.admin, deal(999999, f.gone), apperr.NotFound, "keep_id"},
		{"a deal mgr2 cannot see", f.mgr2, deal(f.keep, f.gone), apperr.NotFound, "keep_id"},
		{"a manager who sees both", f.mgr, deal(f.keep, f.gone), apperr.Forbidden, ""},
		{"analyst", f.analyst, deal(f.keep, f.gone), apperr.Forbidden, ""},
		{"another pipeline", f.director, deal(f.keep, other), apperr.Invalid, "merge_id"},
		{"a won deal merged away", f.director, deal(f.keep, won), apperr.Invalid, "merge_id"},
	} {
		_, err := f.s.MergeRecords(f.ctx, b.as, b.in)
		if e := apperr.As(err); e == nil || e.Kind != b.kind || e.Field != b.field {
			t.Errorf("%s: got %v, want kind %d on %q", b.name, err, b.kind, b.field)
		}
		if after := snapshot(); after != before {
			t.Fatalf("%s changed rows: %s → %s", b.name, before, after)
		}
	}
	// the won deal may be the one kept
	if _, err := f.s.MergeRecords(f.ctx, f.admin, deal(won, f.gone)); err != nil {
		t.Errorf("merging into a won deal: %v", err)
	}
}

// TestMergeDealsConcurrently: the same deal merged into two others at
// once, and two deals merged into each other at once: one merge wins,
// the other finds its deal gone (404), never a deadlock or a half merge.
func TestMergeDealsConcurrently(t *testing.T) {
	f := newBizFixture(t)
	for round := 0; round < 5; round++ {
		a, b, c := f.rawDeal("A", f.mgr), f.rawDeal("B", f.mgr), f.rawDeal("C", f.mgr)
		f.exec(`INSERT INTO activities (type, subject, owner_id, deal_id) VALUES ('call', 'x', $1, $2)`, f.mgr.UserID, a)
		pairs := [][2]int64{{b, a}, {c, a}}
		if round%2 == 1 {
			pairs = [][2]int64{{a, b}, {b, a}}
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pr := range pairs {
			wg.Add(1)
			go func(i int, keep, gone int64) {
				defer wg.Done()
				_, errs[i] = f.s.MergeRecords(f.ctx, f.director, crmcore.MergeRequest{Entity: crmcore.EntityDeal, KeepID: keep, MergeID: gone})
			}(i, pr[0], pr[1])
		}
		wg.Wait()
		ok, missing := 0, 0
		for _, err := range errs {
			switch apperr.KindOf(err) {
			case 0:
				if err == nil {
					ok++
				}
			case apperr.NotFound:
				missing++
			}
		}
		if ok != 1 || missing != 1 {
			t.Fatalf("round %d: errors %v, want one merge and one 404", round, errs)
		}
		left := f.count(fmt.Sprintf("deals WHERE id IN (%d, %d, %d)", a, b, c))
		logged := f.count(fmt.Sprintf("merges WHERE merged_id IN (%d, %d)", a, b))
		acts := f.count(fmt.Sprintf("activities WHERE deal_id IN (%d, %d, %d)", a, b, c))
		if left != 2 || logged != 1 || acts != 1 {
			t.Fatalf("round %d: %d deals left, %d merges logged, %d activities (want 2, 1, 1)", round, left, logged, acts)
		}
	}
}

// TestEveryDealReferenceHasAMergeRule: the columns that reference deals
// are exactly those the deal merge decides about (moved: activities,
// items, invoices, observers, leads; deleted with the deal and kept in
// the log: stage changes, forecast changes). A new table referencing
// deals fails here until docs/api.md and dealMergeSpec say what a merge
// does with it.
func TestEveryDealReferenceHasAMergeRule(t *testing.T) {
	f := newBizFixture(t)
	const q = `
SELECT string_agg(c.conrelid::regclass::text || '.' || a.attname, ' ' ORDER BY c.conrelid::regclass::text, a.attname)
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
WHERE c.contype = 'f' AND c.confrelid = 'deals'::regclass`
	var got string
	if err := f.pg.Pool.QueryRow(f.ctx, q).Scan(&got); err != nil {
		t.Fatal(err)
	}
	const want = "activities.deal_id deal_forecast_changes.deal_id deal_items.deal_id deal_observers.deal_id invoices.deal_id leads.deal_id orders.deal_id stage_changes.deal_id"
	if got != want {
		t.Errorf("columns referencing deals:\n got %s\nwant %s", got, want)
	}
}
