package crmcore_test

import (
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestLeadConvertLinksBothWaysOnce(t *testing.T) {
	f := newDealFx(t)
	var companyID, contactID int64
	if err := f.pg.Pool.QueryRow(f.ctx, `INSERT INTO companies (name) VALUES ('ООО «Вектор»') RETURNING id`).Scan(&companyID); err != nil {
		t.Fatal(err)
	}
	if err := f.pg.Pool.QueryRow(f.ctx, `INSERT INTO contacts (first_name, company_id) VALUES ('Олег', $1) RETURNING id`, companyID).Scan(&contactID); err != nil {
		t.Fatal(err)
	}
	l, err := f.s.CreateLead(f.ctx, f.mgr, crmcore.NewLead{Title: "Вектор: автоматизация склада", Source: "exhibition",
		Contact: crmcore.LeadContact{ID: &contactID, Name: "Олег"}, Company: crmcore.LeadCompany{ID: &companyID, Name: "ООО «Вектор»"}})
	if err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(2 * time.Hour)
	d, err := f.s.ConvertLead(f.ctx, f.mgr, l.ID, crmcore.LeadConvert{Amount: dealPtr(domain.NewMoney("990000")), Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != l.Title || d.Pipeline != "sales" || d.Stage != "new" || d.ResponsibleID != f.mgr.UserID ||
		d.Source == nil || *d.Source != "exhibition" || d.LeadID == nil || *d.LeadID != l.ID ||
		d.CompanyID == nil || *d.CompanyID != companyID || d.ContactID == nil || *d.ContactID != contactID ||
		d.Currency != "USD" || d.Amount.StringFixed(2) != "990000.00" {
		t.Fatalf("deal = %+v", d)
	}
	if n := f.count(`SELECT count(*) FROM leads l JOIN stages s ON s.id = l.stage_id
		WHERE l.id = $1 AND l.deal_id = $2 AND s.code = 'converted' AND l.converted_at = $3`, l.ID, d.ID, f.now); n != 1 {
		t.Error("lead not marked converted with the deal link and time")
	}
	if f.count(`SELECT count(*) FROM stage_changes WHERE deal_id = $1 AND from_stage_id IS NULL`, d.ID) != 1 ||
		f.count(`SELECT count(*) FROM lead_status_changes WHERE lead_id = $1`, l.ID) != 2 {
		t.Error("conversion history missing")
	}
	_, err = f.s.ConvertLead(f.ctx, f.mgr, l.ID, crmcore.LeadConvert{})
	wantAppErr(t, err, apperr.Conflict, "already_converted", "")
	if f.count(`SELECT count(*) FROM deals`) != 1 || f.count(`SELECT count(*) FROM lead_status_changes`) != 2 {
		t.Error("second conversion wrote rows")
	}
	got, err := f.s.GetLead(f.ctx, f.mgr, l.ID)
	if err != nil || got.Status != "converted" || got.DealID == nil || *got.DealID != d.ID || got.ConvertedAt == nil {
		t.Errorf("lead after convert: %+v %v", got, err)
	}
}

func TestLeadConvertRejectsBadInput(t *testing.T) {
	f := newDealFx(t)
	l := f.newLead(f.mgr, "Лид для проверок")
	at := f.now.Add(-time.Hour)
	for _, c := range []struct {
		in          crmcore.LeadConvert
		kind        apperr.Kind
		code, field string
		by          domain.Principal
	}{
		{crmcore.LeadConvert{Pipeline: "leads"}, apperr.Invalid, "not_deal_pipeline", "pipeline", f.mgr},
		{crmcore.LeadConvert{Currency: "XXX"}, apperr.Invalid, "unknown_currency", "currency", f.mgr},
		{crmcore.LeadConvert{Amount: dealPtr(domain.NewMoney("-5"))}, apperr.Invalid, "negative", "amount", f.mgr},
		{crmcore.LeadConvert{At: &at}, apperr.Forbidden, "backfill_forbidden", "at", f.mgr},
		{crmcore.LeadConvert{}, apperr.Forbidden, "read_only", "", f.analyst},
	} {
		_, err := f.s.ConvertLead(f.ctx, c.by, l.ID, c.in)
		wantAppErr(t, err, c.kind, c.code, c.field)
	}
	if f.count(`SELECT count(*) FROM deals`) != 0 || f.leadStatusOf(l.ID) != "new" {
		t.Error("rejected conversions changed something")
	}
}
