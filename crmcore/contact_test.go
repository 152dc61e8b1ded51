package crmcore_test

import (
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
)

func TestContactStore(t *testing.T) {
	f := newBizFixture(t)
	co, err := f.s.CreateCompany(f.ctx, f.admin, crmcore.NewCompany{Name: "ООО «Ромашка»"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.s.CreateContact(f.ctx, f.mgr, crmcore.NewContact{FirstName: "Пётр", LastName: "Иванов",
		MiddleName: "Сергеевич", Email: strp("p.ivanov@romashka.ru"), Position: strp("Директор"), CompanyID: &co.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c.LastName != "Иванов" || *c.CompanyID != co.ID || *c.ResponsibleID != f.mgr.UserID || c.Phone != nil {
		t.Errorf("created %+v", c)
	}
	if _, err := f.s.CreateContact(f.ctx, f.mgr2, crmcore.NewContact{FirstName: "Анна", LastName: "Смирнова"}); err != nil {
		t.Fatal(err)
	}
	list, total, err := f.s.ListContacts(f.ctx, f.analyst, crmcore.ContactFilter{Q: "иванов пётр"})
	if err != nil || total != 1 || list[0].ID != c.ID {
		t.Fatalf("search by full name: %d %+v %v", total, list, err)
	}
	list, total, _ = f.s.ListContacts(f.ctx, f.analyst, crmcore.ContactFilter{CompanyID: co.ID})
	if total != 1 || list[0].ID != c.ID {
		t.Fatalf("by company: %d %+v", total, list)
	}
	_, total, _ = f.s.ListContacts(f.ctx, f.analyst, crmcore.ContactFilter{})
	if total != 2 {
		t.Errorf("all contacts = %d, want 2", total)
	}
	up, err := f.s.UpdateContact(f.ctx, f.mgr2, c.ID, crmcore.ContactPatch{CompanyID: idp(0), Phone: strp("+7 916 000-00-00")})
	if err != nil || up.CompanyID != nil || *up.Phone != "+7 916 000-00-00" || up.FirstName != "Пётр" {
		t.Fatalf("patched %+v %v", up, err)
	}
}

func TestContactStoreRejects(t *testing.T) {
	f := newBizFixture(t)
	c, err := f.s.CreateContact(f.ctx, f.mgr, crmcore.NewContact{FirstName: "Пётр"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.CreateContact(f.ctx, f.analyst, crmcore.NewContact{FirstName: "Анна"})
	wantErr(t, err, apperr.Forbidden, "")
	for _, tc := range []struct {
		in    crmcore.NewContact
		field string
	}{
		{crmcore.NewContact{FirstName: "Анна", CompanyID: idp(424242)}, "company_id"},
		{crmcore.NewContact{FirstName: ""}, "first_name"},
		{crmcore.NewContact{FirstName: "Анна", LastName: "\xfe\xff"}, "last_name"},
		{crmcore.NewContact{FirstName: "Анна", Email: strp("anna@")}, "email"},
		{crmcore.NewContact{FirstName: "Анна", CompanyID: idp(-1)}, "company_id"},
	} {
		_, err := f.s.CreateContact(f.ctx, f.mgr, tc.in)
		wantErr(t, err, apperr.Invalid, tc.field)
	}
	_, err = f.s.UpdateContact(f.ctx, f.mgr, c.ID, crmcore.ContactPatch{CompanyID: idp(424242)})
	wantErr(t, err, apperr.Invalid, "company_id")
	_, err = f.s.UpdateContact(f.ctx, f.mgr, c.ID+1, crmcore.ContactPatch{FirstName: strp("Анна")})
	wantErr(t, err, apperr.NotFound, "")
	if n := f.count("contacts"); n != 1 {
		t.Errorf("contacts = %d, want 1", n)
	}
}
