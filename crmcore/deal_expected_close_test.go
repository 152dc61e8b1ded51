package crmcore_test

import (
	"strings"
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

// forecastHistory is a deal's deal_forecast_changes rows in order, each
// "date category" ("-" for NULL).
func (f *dealFx) forecastHistory(id int64) []string {
	f.t.Helper()
	rows, err := f.pg.Pool.Query(f.ctx, `SELECT coalesce(expected_close_at::text, '-') || ' ' || coalesce(forecast_category, '-')
FROM deal_forecast_changes WHERE deal_id = $1 ORDER BY changed_at, id`, id)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// A forecast category is set, kept, changed and cleared like the date;
// the deal says the category its stage gives; and every change of either
// (and only a change) adds a row to the deal's forecast history, the
// deal's values after it.
func TestDealForecastCategoryAndHistory(t *testing.T) {
	f := newDealFx(t)
	d, err := f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Поставка", Pipeline: "sales",
		Amount: domain.NewMoney("1000"), ExpectedCloseAt: dealPtr("2026-04-30")})
	if err != nil {
		t.Fatal(err)
	}
	// a new sales deal is at "Не обработана", 0 %: pipeline by its stage
	if d.ForecastCategory != nil || d.ForecastCategoryAuto != "pipeline" {
		t.Errorf("created: category %s, auto %q, want none and pipeline", strOf(d.ForecastCategory), d.ForecastCategoryAuto)
	}
	bare, err := f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Без даты", Pipeline: "sales"})
	if err != nil {
		t.Fatal(err)
	}
	if h := f.forecastHistory(bare.ID); len(h) != 0 {
		t.Errorf("a deal created with neither: history %v, want none", h)
	}
	for _, step := range []struct {
		name    string
		patch   crmcore.DealPatch
		want    string // the category, "" = none
		history []string
	}{
		{"set", crmcore.DealPatch{ForecastCategory: dealPtr("commit")}, "commit", []string{"2026-04-30 -", "2026-04-30 commit"}},
		{"title only: no row", crmcore.DealPatch{Title: dealPtr("Поставка станков")}, "commit", []string{"2026-04-30 -", "2026-04-30 commit"}},
		{"the same again: no row", crmcore.DealPatch{ForecastCategory: dealPtr("commit")}, "commit", []string{"2026-04-30 -", "2026-04-30 commit"}},
		{"postponed", crmcore.DealPatch{ExpectedCloseAt: dealPtr("2026-05-31")}, "commit",
			[]string{"2026-04-30 -", "2026-04-30 commit", "2026-05-31 commit"}},
		{"both cleared", crmcore.DealPatch{ExpectedCloseAt: dealPtr(""), ForecastCategory: dealPtr("")}, "",
			[]string{"2026-04-30 -", "2026-04-30 commit", "2026-05-31 commit", "- -"}},
	} {
		got, err := f.s.UpdateDeal(f.ctx, f.mgr, d.ID, step.patch)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if c := strOf(got.ForecastCategory); (step.want == "" && got.ForecastCategory != nil) || (step.want != "" && c != step.want) {
			t.Errorf("%s: category %s, want %q", step.name, c, step.want)
		}
		if h := f.forecastHistory(d.ID); strings.Join(h, ",") != strings.Join(step.history, ",") {
			t.Errorf("%s: history %v, want %v", step.name, h, step.history)
		}
	}
	// an unknown category: 422 on the field, nothing written
	before := f.count(`SELECT count(*) FROM deal_forecast_changes`)
	for _, bad := range []string{"maybe", "Commit", " commit"} {
		_, err := f.s.UpdateDeal(f.ctx, f.mgr, d.ID, crmcore.DealPatch{ForecastCategory: dealPtr(bad), ExpectedCloseAt: dealPtr("2027-01-01")})
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != "forecast_category" {
			t.Errorf("patch with %q: err %v, want 422 on forecast_category", bad, err)
		}
		_, err = f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Плохая", Pipeline: "sales", ForecastCategory: dealPtr(bad)})
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != "forecast_category" {
			t.Errorf("create with %q: err %v, want 422 on forecast_category", bad, err)
		}
	}
	if after := f.count(`SELECT count(*) FROM deal_forecast_changes`); after != before {
		t.Errorf("refused writes added %d history rows", after-before)
	}
}
