package crmcore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestDealOtherManagerGets404(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Сделка Иванова")
	title := "Чужая правка"
	_, err := f.s.GetDeal(f.ctx, f.mgr2, d.ID)
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.UpdateDeal(f.ctx, f.mgr2, d.ID, crmcore.DealPatch{Title: &title})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.MoveDeal(f.ctx, f.mgr2, d.ID, crmcore.DealMove{Stage: "needs"})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.DealHistory(f.ctx, f.mgr2, d.ID)
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, _, err = f.s.AddObserver(f.ctx, f.mgr2, d.ID, crmcore.DealObserver{UserID: f.mgr2.UserID})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.AssignDeal(f.ctx, f.mgr2, d.ID, crmcore.DealAssign{ResponsibleID: f.mgr2.UserID})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	items, total, err := f.s.ListDeals(f.ctx, f.mgr2, crmcore.DealFilter{})
	if err != nil || total != 0 || len(items) != 0 {
		t.Errorf("manager2 lists %d deals (total %d, err %v), want none", len(items), total, err)
	}
	if f.count(`SELECT count(*) FROM deals WHERE id = $1 AND title = 'Сделка Иванова' AND stage_id = (SELECT id FROM stages WHERE code = 'new' AND pipeline_id = deals.pipeline_id)`, d.ID) != 1 ||
		f.count(`SELECT count(*) FROM stage_changes`) != 1 || f.count(`SELECT count(*) FROM deal_observers`) != 0 {
		t.Error("refused calls changed the deal")
	}
}

func TestDealObserverReadsButCannotWrite(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Сделка с наблюдателем")
	got, added, err := f.s.AddObserver(f.ctx, f.mgr, d.ID, crmcore.DealObserver{UserID: f.mgr2.UserID})
	if err != nil || !added || len(got.Observers) != 1 || got.Observers[0] != f.mgr2.UserID {
		t.Fatalf("add observer: %+v added=%v err=%v", got.Observers, added, err)
	}
	if _, added, err = f.s.AddObserver(f.ctx, f.mgr, d.ID, crmcore.DealObserver{UserID: f.mgr2.UserID}); err != nil || added {
		t.Errorf("second add: added=%v err=%v, want idempotent", added, err)
	}
	if f.count(`SELECT count(*) FROM deal_observers WHERE deal_id = $1`, d.ID) != 1 {
		t.Error("observer stored twice")
	}
	if _, err := f.s.GetDeal(f.ctx, f.mgr2, d.ID); err != nil {
		t.Fatalf("observer cannot read: %v", err)
	}
	if _, total, _ := f.s.ListDeals(f.ctx, f.mgr2, crmcore.DealFilter{}); total != 1 {
		t.Errorf("observer lists %d deals, want 1", total)
	}
	_, err = f.s.MoveDeal(f.ctx, f.mgr2, d.ID, crmcore.DealMove{Stage: "needs"})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	_, err = f.s.UpdateDeal(f.ctx, f.mgr2, d.ID, crmcore.DealPatch{Title: dealPtr("Новое")})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	_, _, err = f.s.AddObserver(f.ctx, f.mgr, d.ID, crmcore.DealObserver{UserID: 999999})
	wantAppErr(t, err, apperr.Invalid, "unknown_user", "user_id")
	if f.stageOf(d.ID) != "new" || f.count(`SELECT count(*) FROM deals WHERE title = 'Новое'`) != 0 {
		t.Error("observer changed the deal")
	}
}

func TestDealRolesAssignAndAnalyst(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Сделка на передачу")
	_, err := f.s.AssignDeal(f.ctx, f.mgr, d.ID, crmcore.DealAssign{ResponsibleID: f.mgr2.UserID})
	wantAppErr(t, err, apperr.Forbidden, "forbidden", "")
	_, err = f.s.AssignDeal(f.ctx, f.director, d.ID, crmcore.DealAssign{ResponsibleID: 999999})
	wantAppErr(t, err, apperr.Invalid, "unknown_user", "responsible_id")
	got, err := f.s.AssignDeal(f.ctx, f.director, d.ID, crmcore.DealAssign{ResponsibleID: f.mgr2.UserID})
	if err != nil || got.ResponsibleID != f.mgr2.UserID || got.ResponsibleName != "Петрова Анна" {
		t.Fatalf("director assign: %+v %v", got, err)
	}
	if f.count(`SELECT count(*) FROM deals WHERE id = $1 AND responsible_id = $2`, d.ID, f.mgr2.UserID) != 1 {
		t.Error("responsible not stored")
	}
	_, err = f.s.GetDeal(f.ctx, f.mgr, d.ID)
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	if _, err := f.s.GetDeal(f.ctx, f.analyst, d.ID); err != nil {
		t.Errorf("analyst cannot read: %v", err)
	}
	_, err = f.s.MoveDeal(f.ctx, f.analyst, d.ID, crmcore.DealMove{Stage: "needs"})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	_, err = f.s.CreateDeal(f.ctx, f.analyst, crmcore.NewDeal{Title: "Аналитик", Pipeline: "sales"})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	_, err = f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Для коллеги", Pipeline: "sales", ResponsibleID: f.mgr2.UserID})
	wantAppErr(t, err, apperr.Forbidden, "forbidden", "responsible_id")
	if f.count(`SELECT count(*) FROM deals`) != 1 {
		t.Error("refused creates wrote deals")
	}
}

func TestDealCreateRejectsBadInput(t *testing.T) {
	f := newDealFx(t)
	long := strings.Repeat("я", 300)
	for _, c := range []struct {
		name, code, field string
		in                crmcore.NewDeal
	}{
		{"unknown currency", "unknown_currency", "currency", crmcore.NewDeal{Title: "Сделка", Pipeline: "sales", Currency: "XXX"}},
		{"negative amount", "negative", "amount", crmcore.NewDeal{Title: "Сделка", Pipeline: "sales", Amount: domain.NewMoney("-1")}},
		{"long title", "too_long", "title", crmcore.NewDeal{Title: long, Pipeline: "sales"}},
		{"invalid utf-8", "invalid_encoding", "title", crmcore.NewDeal{Title: "\xff\xfe", Pipeline: "sales"}},
		{"lead pipeline", "not_deal_pipeline", "pipeline", crmcore.NewDeal{Title: "Сделка", Pipeline: "leads"}},
		{"unknown pipeline", "unknown_pipeline", "pipeline", crmcore.NewDeal{Title: "Сделка", Pipeline: "nope"}},
		{"unknown source", "unknown_source", "source", crmcore.NewDeal{Title: "Сделка", Pipeline: "sales", Source: dealPtr("tv")}},
		{"unknown company", "unknown_company", "company_id", crmcore.NewDeal{Title: "Сделка", Pipeline: "sales", CompanyID: dealPtr(int64(77))}},
	} {
		_, err := f.s.CreateDeal(f.ctx, f.mgr, c.in)
		wantAppErr(t, err, apperr.Invalid, c.code, c.field)
	}
	// an admin backfilling history, at a date the analytics copy cannot hold
	old := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := f.s.CreateDeal(f.ctx, f.admin, crmcore.NewDeal{Title: "Сделка", Pipeline: "sales", At: &old})
	wantAppErr(t, err, apperr.Invalid, "out_of_range", "at")
	if f.count(`SELECT count(*) FROM deals`) != 0 || f.count(`SELECT count(*) FROM stage_changes`) != 0 {
		t.Error("rejected input wrote rows")
	}
}
