package crmcore_test

import (
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestListDealsFiltersAndPaging(t *testing.T) {
	f := newDealFx(t)
	d1 := f.newDeal(f.mgr, "Поставка оборудования")
	d2 := f.newDeal(f.mgr, "поставка ПО")
	d3 := f.newDeal(f.mgr, "Ремонт офиса")
	d4, err := f.s.CreateDeal(f.ctx, f.mgr2, crmcore.NewDeal{Title: "Бумага на год", Pipeline: "interest"})
	if err != nil {
		t.Fatal(err)
	}
	f.move(f.mgr, d1.ID, "needs")
	ids := func(p domain.Principal, flt crmcore.DealFilter) ([]int64, int) {
		t.Helper()
		items, total, err := f.s.ListDeals(f.ctx, p, flt)
		if err != nil {
			t.Fatalf("list %+v: %v", flt, err)
		}
		var out []int64
		for _, d := range items {
			out = append(out, d.ID)
		}
		return out, total
	}
	for _, c := range []struct {
		name  string
		p     domain.Principal
		flt   crmcore.DealFilter
		want  []int64
		total int
	}{
		{"director sees all, newest first", f.director, crmcore.DealFilter{}, []int64{d4.ID, d3.ID, d2.ID, d1.ID}, 4},
		{"manager sees own", f.mgr, crmcore.DealFilter{}, []int64{d3.ID, d2.ID, d1.ID}, 3},
		{"q is case-insensitive", f.mgr, crmcore.DealFilter{Q: "ПОСТАВКА"}, []int64{d2.ID, d1.ID}, 2},
		{"pipeline", f.director, crmcore.DealFilter{Pipeline: "interest"}, []int64{d4.ID}, 1},
		{"stage in any deal pipeline", f.director, crmcore.DealFilter{Stage: "new"}, []int64{d4.ID, d3.ID, d2.ID}, 3},
		{"stage in one pipeline", f.analyst, crmcore.DealFilter{Pipeline: "sales", Stage: "needs"}, []int64{d1.ID}, 1},
		{"responsible", f.director, crmcore.DealFilter{ResponsibleID: f.mgr2.UserID}, []int64{d4.ID}, 1},
		{"paging keeps the total", f.director, crmcore.DealFilter{Limit: 2, Offset: 1}, []int64{d3.ID, d2.ID}, 4},
	} {
		got, total := ids(c.p, c.flt)
		if total != c.total || len(got) != len(c.want) {
			t.Errorf("%s: ids %v total %d, want %v total %d", c.name, got, total, c.want, c.total)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: ids %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
	for _, c := range []struct {
		flt   crmcore.DealFilter
		field string
	}{
		{crmcore.DealFilter{Pipeline: "sales", Stage: "choice"}, "stage"},
		{crmcore.DealFilter{Stage: "zzz"}, "stage"},
		{crmcore.DealFilter{Pipeline: "leads"}, "pipeline"},
		{crmcore.DealFilter{Pipeline: "nope"}, "pipeline"},
		{crmcore.DealFilter{Limit: 501}, "limit"},
		{crmcore.DealFilter{Offset: -1}, "offset"},
	} {
		_, _, err := f.s.ListDeals(f.ctx, f.director, c.flt)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != c.field {
			t.Errorf("filter %+v: err %v, want 422 on %s", c.flt, err, c.field)
		}
	}
}
