package crmcore_test

import (
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// newLead creates a lead through the store, failing the test on error.
func (f *dealFx) newLead(p domain.Principal, title string) crmcore.Lead {
	f.t.Helper()
	l, err := f.s.CreateLead(f.ctx, p, crmcore.NewLead{Title: title, Source: "website",
		Contact: crmcore.LeadContact{Name: "Сидоров Павел", Phone: "+7 495 123-45-67", Email: "pavel@romashka.ru"},
		Company: crmcore.LeadCompany{Name: "ООО «Ромашка»"}})
	if err != nil {
		f.t.Fatalf("create lead %q: %v", title, err)
	}
	return l
}

// leadStatusOf reads a lead's status code by SQL.
func (f *dealFx) leadStatusOf(id int64) string {
	f.t.Helper()
	var code string
	const q = `SELECT s.code FROM leads l JOIN stages s ON s.id = l.stage_id WHERE l.id = $1`
	if err := f.pg.Pool.QueryRow(f.ctx, q, id).Scan(&code); err != nil {
		f.t.Fatalf("status of lead %d: %v", id, err)
	}
	return code
}

func TestLeadCreateStartsNew(t *testing.T) {
	f := newDealFx(t)
	l := f.newLead(f.mgr, "Заявка с сайта: станки")
	if l.Status != "new" || l.StatusName != "Не обработан" || l.ResponsibleID != f.mgr.UserID ||
		l.Contact.Email != "pavel@romashka.ru" || l.Company.Name != "ООО «Ромашка»" {
		t.Fatalf("lead = %+v", l)
	}
	n := f.count(`SELECT count(*) FROM lead_status_changes c JOIN stages s ON s.id = c.to_stage_id
		WHERE c.lead_id = $1 AND c.from_stage_id IS NULL AND s.code = 'new' AND c.changed_at = $2`, l.ID, f.now)
	if n != 1 {
		t.Errorf("NULL→new rows = %d, want 1", n)
	}
	_, err := f.s.CreateLead(f.ctx, f.mgr, crmcore.NewLead{Title: "Заявка", Source: "tv"})
	wantAppErr(t, err, apperr.Invalid, "unknown_source", "source")
	_, err = f.s.CreateLead(f.ctx, f.analyst, crmcore.NewLead{Title: "Заявка", Source: "website"})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	if f.count(`SELECT count(*) FROM leads`) != 1 {
		t.Error("rejected leads were written")
	}
}

func TestLeadStatusRules(t *testing.T) {
	f := newDealFx(t)
	l := f.newLead(f.mgr, "Звонок: интерес к CRM")
	_, err := f.s.SetLeadStatus(f.ctx, f.mgr, l.ID, crmcore.LeadStatusChange{Status: "disqualified"})
	wantAppErr(t, err, apperr.Invalid, "required", "reason")
	_, err = f.s.SetLeadStatus(f.ctx, f.mgr, l.ID, crmcore.LeadStatusChange{Status: "disqualified", Reason: dealPtr("  ")})
	wantAppErr(t, err, apperr.Invalid, "required", "reason")
	_, err = f.s.SetLeadStatus(f.ctx, f.mgr, l.ID, crmcore.LeadStatusChange{Status: "converted"})
	wantAppErr(t, err, apperr.Invalid, "use_convert", "status")
	_, err = f.s.SetLeadStatus(f.ctx, f.mgr, l.ID, crmcore.LeadStatusChange{Status: "won"})
	wantAppErr(t, err, apperr.Invalid, "unknown_status", "status")
	_, err = f.s.SetLeadStatus(f.ctx, f.analyst, l.ID, crmcore.LeadStatusChange{Status: "interested"})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	_, err = f.s.SetLeadStatus(f.ctx, f.mgr2, l.ID, crmcore.LeadStatusChange{Status: "interested"})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	if f.leadStatusOf(l.ID) != "new" || f.count(`SELECT count(*) FROM lead_status_changes`) != 1 {
		t.Fatal("refused status changes changed the lead")
	}
	got, err := f.s.SetLeadStatus(f.ctx, f.mgr, l.ID, crmcore.LeadStatusChange{Status: "disqualified", Reason: dealPtr("Нет бюджета")})
	if err != nil || got.Status != "disqualified" || got.DisqualifyReason == nil || *got.DisqualifyReason != "Нет бюджета" {
		t.Fatalf("disqualify: %+v %v", got, err)
	}
	if n := f.count(`SELECT count(*) FROM lead_status_changes WHERE lead_id = $1 AND reason = 'Нет бюджета'`, l.ID); n != 1 {
		t.Errorf("disqualification history rows = %d, want 1", n)
	}
	// disqualified is a dead end in the leads graph.
	_, err = f.s.SetLeadStatus(f.ctx, f.director, l.ID, crmcore.LeadStatusChange{Status: "interested"})
	wantAppErr(t, err, apperr.Conflict, "transition_not_allowed", "")
	_, err = f.s.ConvertLead(f.ctx, f.director, l.ID, crmcore.LeadConvert{})
	wantAppErr(t, err, apperr.Conflict, "transition_not_allowed", "")
	if f.leadStatusOf(l.ID) != "disqualified" || f.count(`SELECT count(*) FROM lead_status_changes`) != 2 ||
		f.count(`SELECT count(*) FROM deals`) != 0 {
		t.Error("refused transitions changed something")
	}
}

func TestLeadVisibility(t *testing.T) {
	f := newDealFx(t)
	l := f.newLead(f.mgr, "Лид Иванова")
	f.newLead(f.mgr2, "Лид Петровой")
	_, err := f.s.GetLead(f.ctx, f.mgr2, l.ID)
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.UpdateLead(f.ctx, f.mgr2, l.ID, crmcore.LeadPatch{Title: dealPtr("Чужой")})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.ConvertLead(f.ctx, f.mgr2, l.ID, crmcore.LeadConvert{})
	wantAppErr(t, err, apperr.NotFound, "not_found", "")
	_, err = f.s.UpdateLead(f.ctx, f.analyst, l.ID, crmcore.LeadPatch{Title: dealPtr("Аналитик")})
	wantAppErr(t, err, apperr.Forbidden, "read_only", "")
	if _, total, _ := f.s.ListLeads(f.ctx, f.mgr2, crmcore.LeadFilter{}); total != 1 {
		t.Errorf("manager2 lists %d leads, want own 1", total)
	}
	if _, total, _ := f.s.ListLeads(f.ctx, f.analyst, crmcore.LeadFilter{Q: "ЛИД"}); total != 2 {
		t.Errorf("analyst lists %d leads, want 2", total)
	}
	upd, err := f.s.UpdateLead(f.ctx, f.mgr, l.ID, crmcore.LeadPatch{Title: dealPtr("Лид Иванова (уточнён)"),
		Contact: &crmcore.LeadContact{Name: "Кузнецова Ольга"}})
	if err != nil || upd.Title != "Лид Иванова (уточнён)" || upd.Contact.Name != "Кузнецова Ольга" || upd.Contact.Phone != "" ||
		upd.Company.Name != "ООО «Ромашка»" {
		t.Errorf("update: %+v %v", upd, err)
	}
	if f.count(`SELECT count(*) FROM leads WHERE id = $1 AND contact_phone IS NULL AND contact_email IS NULL`, l.ID) != 1 {
		t.Error("replaced contact kept the old phone or e-mail")
	}
}
