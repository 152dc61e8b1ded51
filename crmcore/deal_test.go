package crmcore_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
)

func TestDealCreateWritesFirstStageAndHistory(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Поставка станков для ООО «Ромашка»")
	if d.Stage != "new" || d.StageName != "Не обработана" || d.Pipeline != "sales" || d.ResponsibleID != f.mgr.UserID {
		t.Fatalf("deal = %+v, want sales/new, responsible mgr", d)
	}
	if d.ResponsibleName != "Иванов Пётр" || d.Amount.StringFixed(2) != "150000.50" || !d.CreatedAt.Equal(f.now) {
		t.Errorf("deal = %+v", d)
	}
	n := f.count(`SELECT count(*) FROM stage_changes c JOIN stages s ON s.id = c.to_stage_id
		WHERE c.deal_id = $1 AND c.from_stage_id IS NULL AND s.code = 'new' AND c.changed_at = $2 AND c.changed_by = $3`,
		d.ID, f.now, f.mgr.UserID)
	if n != 1 || f.count(`SELECT count(*) FROM stage_changes`) != 1 {
		t.Errorf("history rows NULL→new = %d, want exactly 1", n)
	}
}

func TestDealMoveAllowedAndForbidden(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Внедрение CRM")
	moved := f.move(f.mgr, d.ID, "first_contact")
	if moved.Stage != "first_contact" || moved.Probability != 20 || f.stageOf(d.ID) != "first_contact" {
		t.Fatalf("after move: %+v", moved)
	}
	if n := f.count(`SELECT count(*) FROM stage_changes c JOIN stages fs ON fs.id = c.from_stage_id
		JOIN stages ts ON ts.id = c.to_stage_id WHERE c.deal_id = $1 AND fs.code = 'new' AND ts.code = 'first_contact'`, d.ID); n != 1 {
		t.Errorf("new→first_contact rows = %d, want 1", n)
	}
	// first_contact (position 2) reaches positions 1, 3, 4 and pause/refuse/drop; never won.
	_, err := f.s.MoveDeal(f.ctx, f.mgr, d.ID, crmcore.DealMove{Stage: "won"})
	wantAppErr(t, err, apperr.Conflict, "transition_not_allowed", "")
	e := apperr.As(err)
	if !strings.Contains(e.Message, "first_contact") || !strings.Contains(e.Message, "won") {
		t.Errorf("message %q should name both stages", e.Message)
	}
	allowed := e.Details.(map[string]any)["allowed"].([]string)
	sort.Strings(allowed)
	if want := "dropped needs new paused presentation refused"; strings.Join(allowed, " ") != want {
		t.Errorf("allowed = %v, want %s", allowed, want)
	}
	_, err = f.s.MoveDeal(f.ctx, f.mgr, d.ID, crmcore.DealMove{Stage: "first_contact"})
	wantAppErr(t, err, apperr.Conflict, "transition_not_allowed", "")
	_, err = f.s.MoveDeal(f.ctx, f.mgr, d.ID, crmcore.DealMove{Stage: "choice"})
	wantAppErr(t, err, apperr.Invalid, "unknown_stage", "stage")
	if f.stageOf(d.ID) != "first_contact" || f.count(`SELECT count(*) FROM stage_changes WHERE deal_id = $1`, d.ID) != 2 {
		t.Errorf("a refused move changed the deal or its history")
	}
}

func TestDealClosedAtFollowsStageKind(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Лицензии 1С")
	reason := "Выбрали конкурента"
	lost, err := f.s.MoveDeal(f.ctx, f.mgr, d.ID, crmcore.DealMove{Stage: "refused", Reason: &reason})
	if err != nil {
		t.Fatal(err)
	}
	if lost.ClosedAt == nil || !lost.ClosedAt.Equal(f.now) || lost.LostReason == nil || *lost.LostReason != reason {
		t.Errorf("lost deal: closed_at %v, lost_reason %v", lost.ClosedAt, lost.LostReason)
	}
	if n := f.count(`SELECT count(*) FROM deals WHERE id = $1 AND closed_at = $2 AND lost_reason = $3`, d.ID, f.now, reason); n != 1 {
		t.Errorf("closed_at/lost_reason not stored")
	}
	f.now = f.now.Add(time.Hour)
	f.move(f.mgr, d.ID, "new")
	if n := f.count(`SELECT count(*) FROM deals WHERE id = $1 AND closed_at IS NULL AND lost_reason IS NULL`, d.ID); n != 1 {
		t.Errorf("reopening kept closed_at or lost_reason")
	}
	for _, st := range []string{"needs", "proposal", "decision", "won"} {
		f.move(f.mgr, d.ID, st)
	}
	if n := f.count(`SELECT count(*) FROM deals WHERE id = $1 AND closed_at = $2`, d.ID, f.now); n != 1 {
		t.Errorf("won deal has no closed_at")
	}
	if n := f.count(`SELECT count(*) FROM stage_changes WHERE deal_id = $1`, d.ID); n != 7 {
		t.Errorf("history rows = %d, want 1 + refused + new + 4 = 7", n)
	}
}

func TestDealHistoryInOrder(t *testing.T) {
	f := newDealFx(t)
	d := f.newDeal(f.mgr, "Аудит склада")
	f.now = f.now.Add(time.Hour)
	f.move(f.mgr, d.ID, "needs")
	h, err := f.s.DealHistory(f.ctx, f.director, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].From != nil || h[0].To != "new" || *h[1].From != "new" || h[1].To != "needs" ||
		h[1].ToName != "Сбор потребностей" || *h[1].ByName != "Иванов Пётр" || !h[1].At.Equal(f.now) {
		t.Errorf("history = %+v", h)
	}
}

func TestDealBackfillOnlyForAdmins(t *testing.T) {
	f := newDealFx(t)
	at := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	_, err := f.s.CreateDeal(f.ctx, f.mgr, crmcore.NewDeal{Title: "Импорт из старой CRM", Pipeline: "sales", At: &at})
	wantAppErr(t, err, apperr.Forbidden, "backfill_forbidden", "at")
	if f.count(`SELECT count(*) FROM deals`) != 0 {
		t.Fatal("a refused create wrote a deal")
	}
	d, err := f.s.CreateDeal(f.ctx, f.admin, crmcore.NewDeal{Title: "Импорт из старой CRM", Pipeline: "sales",
		ResponsibleID: f.mgr.UserID, At: &at})
	if err != nil {
		t.Fatal(err)
	}
	if !d.CreatedAt.Equal(at) || f.count(`SELECT count(*) FROM stage_changes WHERE deal_id = $1 AND changed_at = $2`, d.ID, at) != 1 {
		t.Errorf("created_at %v, want %v and a history row at it", d.CreatedAt, at)
	}
	moveAt := at.Add(48 * time.Hour)
	_, err = f.s.MoveDeal(f.ctx, f.mgr, d.ID, crmcore.DealMove{Stage: "needs", At: &moveAt})
	wantAppErr(t, err, apperr.Forbidden, "backfill_forbidden", "at")
	if _, err := f.s.MoveDeal(f.ctx, f.admin, d.ID, crmcore.DealMove{Stage: "needs", At: &moveAt}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM stage_changes WHERE deal_id = $1 AND changed_at = $2`, d.ID, moveAt); n != 1 {
		t.Errorf("backfilled move not stored at %v", moveAt)
	}
	early := at.Add(24 * time.Hour)
	_, err = f.s.MoveDeal(f.ctx, f.admin, d.ID, crmcore.DealMove{Stage: "presentation", At: &early})
	wantAppErr(t, err, apperr.Invalid, "before_last_change", "at")
	if f.stageOf(d.ID) != "needs" {
		t.Error("a move before the last change was applied")
	}
}
