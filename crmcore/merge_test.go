package crmcore_test

import (
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestMergeLeads(t *testing.T) {
	f := newBizFixture(t)
	keep := f.dupLead(f.mgr, "Keep", "Иванов Иван", "", "", "")
	gone := f.dupLead(f.mgr, "Gone", "Иванов Иван", "+79161234567", "ivan@x.ru", "Ромашка")
	other := f.dupLead(f.mgr2, "Other", "Иванов Иван", "", "", "")
	for _, lead := range []int64{keep, gone, gone} {
		if _, err := f.s.CreateActivity(f.ctx, f.mgr, crmcore.NewActivity{Type: "call", Subject: "звонок", LeadID: &lead}); err != nil {
			t.Fatal(err)
		}
	}
	leads, merges := f.count("leads"), f.count("merges")
	bad := []struct {
		name string
		as   domain.Principal
		in   crmcore.MergeRequest
		kind apperr.Kind
	}{
		{"same record", f.mgr, crmcore.MergeRequest{Entity: "lead", KeepID: keep, MergeID: keep}, apperr.Invalid},
		{"unknown entity", f.mgr, crmcore.MergeRequest{Entity: "order", KeepID: keep, MergeID: gone}, apperr.Invalid},
		{"missing id", f.mgr, crmcore.MergeRequest{Entity: "lead", KeepID: keep}, apperr.Invalid},
		{"absent lead", f.director, crmcore.MergeRequest{Entity: "lead", KeepID: keep, MergeID: 999999}, apperr.NotFound},
		{"another manager's lead", f.mgr, crmcore.MergeRequest{Entity: "lead", KeepID: keep, MergeID: other}, apperr.NotFound},
		{"not theirs at all", f.mgr2, crmcore.MergeRequest{Entity: "lead", KeepID: keep, MergeID: gone}, apperr.NotFound},
		{"analyst", f.analyst, crmcore.MergeRequest{Entity: "lead", KeepID: keep, MergeID: gone}, apperr.Forbidden},
	}
	for _, b := range bad {
		_, err := f.s.MergeRecords(f.ctx, b.as, b.in)
		if apperr.KindOf(err) != b.kind {
			t.Errorf("%s: got %v, want kind %d", b.name, err, b.kind)
		}
		if f.count("leads") != leads || f.count("merges") != merges {
			t.Fatalf("%s changed rows", b.name)
		}
	}
	m, err := f.s.MergeRecords(f.ctx, f.mgr, crmcore.MergeRequest{Entity: "lead", KeepID: keep, MergeID: gone})
	if err != nil {
		t.Fatal(err)
	}
	if m.Moved["activities"] != 2 || m.Moved["deals"] != 0 {
		t.Errorf("moved %v, want 2 activities", m.Moved)
	}
	var acts, left int
	f.pg.Pool.QueryRow(f.ctx, `SELECT count(*) FROM activities WHERE lead_id = $1`, keep).Scan(&acts)
	f.pg.Pool.QueryRow(f.ctx, `SELECT count(*) FROM leads WHERE id = $1`, gone).Scan(&left)
	if acts != 3 || left != 0 {
		t.Errorf("kept lead has %d activities (want 3), merged lead rows %d (want 0)", acts, left)
	}
	l, _ := f.s.GetLead(f.ctx, f.mgr, keep)
	if l.Contact.Phone != "+79161234567" || l.Contact.Email != "ivan@x.ru" || l.Company.Name != "Ромашка" {
		t.Errorf("kept lead did not take the merged one's contact data: %+v", l)
	}
	h, err := f.s.MergeHistory(f.ctx, f.mgr, "lead", keep)
	if err != nil || len(h) != 1 || h[0].MergedID != gone {
		t.Errorf("history %+v %v", h, err)
	}
	var title string
	f.pg.Pool.QueryRow(f.ctx, `SELECT merged_row->>'title' FROM merges WHERE kept_id = $1`, keep).Scan(&title)
	if title != "Gone" {
		t.Errorf("history keeps the merged row: title %q", title)
	}
	if _, err := f.s.MergeHistory(f.ctx, f.mgr2, "lead", keep); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("another manager reads the history: %v", err)
	}
}

func TestMergeCompanies(t *testing.T) {
	f := newBizFixture(t)
	keep, _ := f.s.CreateCompany(f.ctx, f.mgr, crmcore.NewCompany{Name: "Ромашка"})
	gone, _ := f.s.CreateCompany(f.ctx, f.mgr2, crmcore.NewCompany{Name: `ООО "Ромашка"`, INN: strp("7701234567")})
	f.s.CreateContact(f.ctx, f.mgr2, crmcore.NewContact{FirstName: "Олег", CompanyID: &gone.ID})
	deal := f.rawDeal("Сделка", f.mgr2)
	f.exec(`UPDATE deals SET company_id = $1 WHERE id = $2`, gone.ID, deal)
	in := crmcore.MergeRequest{Entity: "company", KeepID: keep.ID, MergeID: gone.ID}
	if _, err := f.s.MergeRecords(f.ctx, f.mgr, in); apperr.KindOf(err) != apperr.Forbidden {
		t.Fatalf("a manager merging another's company: %v", err)
	}
	m, err := f.s.MergeRecords(f.ctx, f.director, in)
	if err != nil {
		t.Fatal(err)
	}
	if m.Moved["contacts"] != 1 || m.Moved["deals"] != 1 || m.Moved["leads"] != 0 {
		t.Errorf("moved %v", m.Moved)
	}
	c, _ := f.s.GetCompany(f.ctx, f.director, keep.ID)
	if c.INN == nil || *c.INN != "7701234567" {
		t.Errorf("kept company did not take the INN: %+v", c)
	}
	if f.count("companies") != 1 {
		t.Errorf("companies %d, want 1", f.count("companies"))
	}
}
