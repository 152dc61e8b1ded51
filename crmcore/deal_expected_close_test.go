package crmcore_test

import (
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// expectedClose reads a deal's expected_close_at by SQL ("" when NULL).
func (f *dealFx) expectedClose(id int64) string {
	f.t.Helper()
	var s string
	const q = `SELECT coalesce(expected_close_at::text, '') FROM deals WHERE id = $1`
	if err := f.pg.Pool.QueryRow(f.ctx, q, id).Scan(&s); err != nil {
		f.t.Fatalf("expected_close_at of %d: %v", id, err)
	}
	return s
}

func strOf(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// A deal takes an optional expected close date on creation, reads it
// back as YYYY-MM-DD, and a patch sets, keeps or clears it.
func TestDealExpectedCloseSetKeepClear(t *testing.T) {
	f := newDealFx(t)
	create := func(date *string) crmcore.Deal {
		t.Helper()
		d, err := f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Поставка", Pipeline: "sales",
			Amount: domain.NewMoney("1000"), ExpectedCloseAt: date})
		if err != nil {
			t.Fatalf("create with %s: %v", strOf(date), err)
		}
		return d
	}
	with := create(dealPtr("2026-04-30"))
	if strOf(with.ExpectedCloseAt) != "2026-04-30" || f.expectedClose(with.ID) != "2026-04-30" {
		t.Errorf("created with 2026-04-30: answer %s, stored %q", strOf(with.ExpectedCloseAt), f.expectedClose(with.ID))
	}
	without := create(nil)
	empty := create(dealPtr(""))
	for _, d := range []crmcore.Deal{without, empty} {
		if d.ExpectedCloseAt != nil || f.expectedClose(d.ID) != "" {
			t.Errorf("deal %d created without a date: answer %s, stored %q", d.ID, strOf(d.ExpectedCloseAt), f.expectedClose(d.ID))
		}
	}

	patch := func(p crmcore.DealPatch) crmcore.Deal {
		t.Helper()
		d, err := f.s.UpdateDeal(f.ctx, f.mgr, with.ID, p)
		if err != nil {
			t.Fatalf("patch %+v: %v", p, err)
		}
		return d
	}
	for _, step := range []struct {
		name  string
		patch crmcore.DealPatch
		want  string // "" = NULL
	}{
		{"set", crmcore.DealPatch{ExpectedCloseAt: dealPtr("2026-12-31")}, "2026-12-31"},
		{"keep (absent)", crmcore.DealPatch{Title: dealPtr("Поставка станков")}, "2026-12-31"},
		{"leap day", crmcore.DealPatch{ExpectedCloseAt: dealPtr("2028-02-29")}, "2028-02-29"},
		{"clear", crmcore.DealPatch{ExpectedCloseAt: dealPtr("")}, ""},
		{"keep cleared", crmcore.DealPatch{Source: nil, Title: dealPtr("Поставка")}, ""},
		{"set again", crmcore.DealPatch{ExpectedCloseAt: dealPtr("2026-03-01")}, "2026-03-01"},
	} {
		d := patch(step.patch)
		got := ""
		if d.ExpectedCloseAt != nil {
			got = *d.ExpectedCloseAt
		}
		if got != step.want || f.expectedClose(with.ID) != step.want {
			t.Errorf("%s: answer %q, stored %q, want %q", step.name, got, f.expectedClose(with.ID), step.want)
		}
	}
	// the list reads it too
	items, _, err := f.s.ListDeals(f.ctx, f.director, crmcore.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range items {
		if want := map[int64]string{with.ID: "2026-03-01"}[d.ID]; (d.ExpectedCloseAt == nil) != (want == "") || (want != "" && *d.ExpectedCloseAt != want) {
			t.Errorf("listed deal %d: expected_close_at %s, want %q", d.ID, strOf(d.ExpectedCloseAt), want)
		}
	}
}

// A date that is not a real YYYY-MM-DD is a 422 on the field, and
// nothing is written: no deal on creation, the old date on a patch.
func TestDealExpectedCloseRejectsBadDates(t *testing.T) {
	f := newDealFx(t)
	d, err := f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Поставка", Pipeline: "sales",
		ExpectedCloseAt: dealPtr("2026-05-15")})
	if err != nil {
		t.Fatal(err)
	}
	before := f.count(`SELECT count(*) FROM deals`)
	for _, bad := range []string{"2025-02-30", "31.03.2025", "2025-3-1", "2025-13-01", "2025-04-31", "2025-03-01T00:00:00Z",
		" 2025-03-01", "2025-03-01 ", "завтра", "1969-12-31", "2200-01-01", "+2025-03-01", "2025-00-10"} {
		_, err := f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Плохая дата", Pipeline: "sales", ExpectedCloseAt: dealPtr(bad)})
		e := apperr.As(err)
		if e == nil || e.Kind != apperr.Invalid || e.Field != "expected_close_at" || (e.Code != "invalid_date" && e.Code != "out_of_range") {
			t.Errorf("create with %q: err %v, want 422 on expected_close_at", bad, err)
		}
		_, err = f.s.UpdateDeal(f.ctx, f.mgr, d.ID, crmcore.DealPatch{ExpectedCloseAt: dealPtr(bad), Title: dealPtr("изменено")})
		e = apperr.As(err)
		if e == nil || e.Kind != apperr.Invalid || e.Field != "expected_close_at" {
			t.Errorf("patch with %q: err %v, want 422 on expected_close_at", bad, err)
		}
	}
	wantAppErr(t, func() error {
		_, err := f.s.UpdateDeal(f.ctx, f.mgr, d.ID, crmcore.DealPatch{ExpectedCloseAt: dealPtr("2025-02-30")})
		return err
	}(), apperr.Invalid, "invalid_date", "expected_close_at")
	if n := f.count(`SELECT count(*) FROM deals`); n != before {
		t.Errorf("deals after bad creations = %d, want %d", n, before)
	}
	if got := f.expectedClose(d.ID); got != "2026-05-15" {
		t.Errorf("expected_close_at after bad patches = %q, want 2026-05-15", got)
	}
	if n := f.count(`SELECT count(*) FROM deals WHERE id = $1 AND title = 'Поставка'`, d.ID); n != 1 {
		t.Errorf("a refused patch changed the title")
	}
}
