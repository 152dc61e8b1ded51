package crmcore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
)

// bizFixture is a fresh database with one principal per role and two
// managers, for the directory, activity, billing and product tests.
type bizFixture struct {
	t                                   *testing.T
	ctx                                 context.Context
	s                                   *crmcore.Store
	pg                                  *testenv.PG
	admin, director, analyst, mgr, mgr2 domain.Principal
}

func newBizFixture(t *testing.T) *bizFixture {
	t.Helper()
	pg := testenv.NewPG(t)
	f := &bizFixture{t: t, ctx: context.Background(), s: crmcore.NewStore(pg.Pool), pg: pg}
	for _, u := range []struct {
		to                *domain.Principal
		alias, name, role string
	}{
		{&f.admin, "admin", "Администратор", "admin"},
		{&f.director, "director", "Орлова Марина", "director"},
		{&f.analyst, "analyst", "Ким Алексей", "analyst"},
		{&f.mgr, "mgr", "Иванов Пётр", "manager"},
		{&f.mgr2, "mgr2", "Петрова Анна", "manager"},
	} {
		created, err := f.s.CreateUser(f.ctx, crmcore.NewUser{Email: u.alias + "@biz.test", Name: u.name, Role: u.role, Password: "secret"})
		if err != nil {
			t.Fatalf("create user %s: %v", u.alias, err)
		}
		*u.to = domain.Principal{UserID: created.ID, Name: created.Name, Email: created.Email, Role: created.Role}
	}
	return f
}

// rawDeal inserts a sales deal in its first stage by plain SQL (with its
// stage_changes row), independent of the deal store; observers are added.
func (f *bizFixture) rawDeal(title string, responsible domain.Principal, observers ...domain.Principal) int64 {
	f.t.Helper()
	const q = `
WITH st AS (
    SELECT s.id, s.pipeline_id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
    WHERE p.code = 'sales' AND s.code = 'new'),
d AS (
    INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_by)
    SELECT $1, st.pipeline_id, st.id, 100000, 'RUB', $2, $2 FROM st
    RETURNING id, pipeline_id, stage_id, created_at)
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at, changed_by)
SELECT id, pipeline_id, stage_id, created_at, $2 FROM d
RETURNING deal_id`
	var id int64
	if err := f.pg.Pool.QueryRow(f.ctx, q, title, responsible.UserID).Scan(&id); err != nil {
		f.t.Fatalf("insert deal: %v", err)
	}
	for _, o := range observers {
		f.exec(`INSERT INTO deal_observers (deal_id, user_id) VALUES ($1, $2)`, id, o.UserID)
	}
	return id
}

// rawLead inserts a lead in the first stage of the leads pipeline.
func (f *bizFixture) rawLead(title string, responsible domain.Principal) int64 {
	f.t.Helper()
	const q = `
INSERT INTO leads (title, source, stage_id, responsible_id)
SELECT $1, 'website', s.id, $2
FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
WHERE p.code = 'leads' AND s.code = 'new'
RETURNING id`
	var id int64
	if err := f.pg.Pool.QueryRow(f.ctx, q, title, responsible.UserID).Scan(&id); err != nil {
		f.t.Fatalf("insert lead: %v", err)
	}
	return id
}

func (f *bizFixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.pg.Pool.Exec(f.ctx, sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

// count is a plain SQL count, to prove a rejected call changed nothing.
func (f *bizFixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.pg.Pool.QueryRow(f.ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		f.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// wantErr checks an error's kind and field.
func wantErr(t *testing.T, err error, kind apperr.Kind, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Kind != kind || e.Field != field {
		t.Fatalf("error %v, want kind %d field %q", err, kind, field)
	}
}

func strp(s string) *string { return &s }
func idp(id int64) *int64   { return &id }

func TestCompanyStore(t *testing.T) {
	f := newBizFixture(t)
	c, err := f.s.CreateCompany(f.ctx, f.mgr, crmcore.NewCompany{Name: "ООО «Ромашка»", INN: strp("7701234567"),
		Phone: strp("+7 495 123-45-67"), Email: strp("info@romashka.ru"), Address: strp("Москва, ул. Тверская, 1")})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "ООО «Ромашка»" || *c.INN != "7701234567" || c.ResponsibleID == nil || *c.ResponsibleID != f.mgr.UserID {
		t.Errorf("created %+v", c)
	}
	got, err := f.s.GetCompany(f.ctx, f.analyst, c.ID)
	if err != nil || got.Address == nil || *got.Address != "Москва, ул. Тверская, 1" {
		t.Fatalf("analyst reads %+v, %v", got, err)
	}
	up, err := f.s.UpdateCompany(f.ctx, f.mgr2, c.ID, crmcore.CompanyPatch{INN: strp("770123456789"), Phone: strp("")})
	if err != nil || *up.INN != "770123456789" || up.Phone != nil || up.Name != "ООО «Ромашка»" {
		t.Fatalf("patched %+v, %v", up, err)
	}
	if _, err := f.s.CreateCompany(f.ctx, f.admin, crmcore.NewCompany{Name: "АО «Василёк»"}); err != nil {
		t.Fatal(err)
	}
	list, total, err := f.s.ListCompanies(f.ctx, f.mgr2, crmcore.CompanyFilter{Q: "ромаш"})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("search: %d %+v %v", total, list, err)
	}
	list, total, _ = f.s.ListCompanies(f.ctx, f.mgr2, crmcore.CompanyFilter{Limit: 1, Offset: 1})
	if total != 2 || len(list) != 1 || list[0].ID != c.ID { // by name: АО «Василёк», ООО «Ромашка»
		t.Fatalf("page 2: %d %+v", total, list)
	}
	if _, err := f.s.GetCompany(f.ctx, f.mgr, c.ID+100); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("missing company: %v", err)
	}
}

func TestCompanyStoreRejects(t *testing.T) {
	f := newBizFixture(t)
	c, err := f.s.CreateCompany(f.ctx, f.admin, crmcore.NewCompany{Name: "ООО «Ромашка»"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.CreateCompany(f.ctx, f.analyst, crmcore.NewCompany{Name: "ООО «Лютик»"})
	wantErr(t, err, apperr.Forbidden, "")
	_, err = f.s.UpdateCompany(f.ctx, f.analyst, c.ID, crmcore.CompanyPatch{Name: strp("X")})
	wantErr(t, err, apperr.Forbidden, "")
	for _, tc := range []struct {
		in    crmcore.NewCompany
		field string
	}{
		{crmcore.NewCompany{Name: "ООО «Лютик»", INN: strp("12345")}, "inn"},
		{crmcore.NewCompany{Name: "ООО «Лютик»", INN: strp("77012345ab")}, "inn"},
		{crmcore.NewCompany{Name: strings.Repeat("я", 300)}, "name"},
		{crmcore.NewCompany{Name: "  "}, "name"},
		{crmcore.NewCompany{Name: "ООО \xff"}, "name"},
		{crmcore.NewCompany{Name: "ООО «Лютик»", Email: strp("не почта")}, "email"},
		{crmcore.NewCompany{Name: "ООО «Лютик»", ResponsibleID: idp(999999)}, "responsible_id"},
	} {
		_, err := f.s.CreateCompany(f.ctx, f.mgr, tc.in)
		wantErr(t, err, apperr.Invalid, tc.field)
	}
	_, err = f.s.UpdateCompany(f.ctx, f.mgr, c.ID, crmcore.CompanyPatch{INN: strp("1")})
	wantErr(t, err, apperr.Invalid, "inn")
	if n := f.count("companies"); n != 1 {
		t.Errorf("companies = %d, want 1", n)
	}
	var name string
	f.pg.Pool.QueryRow(f.ctx, `SELECT name FROM companies`).Scan(&name)
	if name != "ООО «Ромашка»" {
		t.Errorf("name changed to %q", name)
	}
}
