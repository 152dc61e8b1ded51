package intake_test

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
)

// importFx is a fresh database with a director and a manager.
type importFx struct {
	t        *testing.T
	ctx      context.Context
	s        *crmcore.Store
	pg       *testenv.PG
	dir, mgr domain.Principal
}

func newImportFx(t *testing.T) *importFx {
	t.Helper()
	pg := testenv.NewPG(t)
	f := &importFx{t: t, ctx: context.Background(), s: crmcore.NewStore(pg.Pool), pg: pg}
	for _, u := range []struct {
		to   *domain.Principal
		role string
	}{{&f.dir, "director"}, {&f.mgr, "manager"}} {
		c, err := f.s.CreateUser(f.ctx, crmcore.NewUser{Email: u.role + "@imp.test", Name: "Пользователь " + u.role, Role: u.role, Password: "secret"})
		if err != nil {
			t.Fatal(err)
		}
		*u.to = domain.Principal{UserID: c.ID, Name: c.Name, Role: c.Role}
	}
	return f
}

func (f *importFx) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pg.Pool.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// outcome renders report rows as "line:action:id-or-reason".
func outcome(r crmcore.ImportReport) []string {
	out := []string{}
	for _, row := range r.Rows {
		s := itoa(int64(row.Line)) + ":" + row.Action
		if row.Reason != "" {
			s += ":" + row.Reason
		}
		if row.Field != "" {
			s += ":" + row.Field
		}
		out = append(out, s)
	}
	return out
}

func TestImportLeadsFileDryThenReal(t *testing.T) {
	f := newImportFx(t)
	old, err := f.s.CreateLead(f.ctx, f.dir, crmcore.NewLead{Title: "Старый", Source: "call",
		Contact: crmcore.LeadContact{Name: "Олег", Phone: "+79165550101"}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("testdata/leads_cp1251.csv")
	p, err := intake.ParseCSV(data, intake.Options{Kind: intake.ImportLeads})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2:skip:duplicate of lead #" + itoa(old.ID) + " (phone)",
		"3:create",
		"5:skip:duplicate of line 2 (email)",
		"6:create",
	}
	var progress []int
	opts := intake.ImportOptions{Kind: "leads", DryRun: true, Progress: func(done, total int) { progress = append(progress, done, total) }}
	dry, err := intake.Import(f.ctx, f.s, f.dir, opts, p.Records)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(outcome(dry), want) || dry.Applied || dry.Created != 2 || dry.Skipped != 2 {
		t.Errorf("dry run %v (applied %v), want %v", outcome(dry), dry.Applied, want)
	}
	if !reflect.DeepEqual(progress, []int{4, 4}) {
		t.Errorf("progress %v", progress)
	}
	if n := f.count(`SELECT count(*) FROM leads`); n != 1 {
		t.Fatalf("a dry run wrote leads: %d", n)
	}
	opts.DryRun, opts.Progress = false, nil
	real, err := intake.Import(f.ctx, f.s, f.dir, opts, p.Records)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(outcome(real), want) || !real.Applied {
		t.Errorf("real run %v, want %v", outcome(real), want)
	}
	n := f.count(`SELECT count(*) FROM leads WHERE source = 'import' AND responsible_id = $1 AND id IN ($2, $3)
  AND EXISTS (SELECT 1 FROM lead_status_changes c WHERE c.lead_id = leads.id)`, f.dir.UserID, real.Rows[1].ID, real.Rows[3].ID)
	if n != 2 {
		t.Errorf("created leads with source import, the default responsible and a status row: %d, want 2", n)
	}
	if f.count(`SELECT count(*) FROM leads WHERE contact_name = 'Кузнецова Мария' AND company_name = 'АО «Лютик»'`) != 1 {
		t.Error("Windows-1251 text was not stored as UTF-8")
	}
	if f.count(`SELECT count(*) FROM import_runs WHERE kind = 'leads'`) != 2 {
		t.Error("both runs are recorded")
	}
}

func TestImportBadRowsChangeNothing(t *testing.T) {
	f := newImportFx(t)
	data := excelCP1251(t, [][]string{
		{"Название", "Телефон", "Почта", "Источник", "Ответственный"},
		{"Хорошая", "+7 916 000 00 01", "ok@x.ru", "", ""},
		{"Плохая почта", "", "не почта", "", ""},
		{"Чужой источник", "", "", "telegram", ""},
		{"Неизвестный", "", "", "", "nobody@x.ru"},
		{"Менеджер", "", "", "", "manager@imp.test"},
	})
	p, err := intake.ParseCSV(data, intake.Options{Kind: intake.ImportLeads})
	if err != nil {
		t.Fatal(err)
	}
	before := f.count(`SELECT count(*) FROM leads`)
	r, err := intake.Import(f.ctx, f.s, f.dir, intake.ImportOptions{Kind: "leads"}, p.Records)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2:create", "3:error:not an e-mail address:email", "4:error:unknown source \"telegram\":source",
		"5:error:no active user \"nobody@x.ru\":responsible", "6:create"}
	if !reflect.DeepEqual(outcome(r), want) || r.Applied || r.Failed != 3 {
		t.Errorf("report %v applied %v, want %v", outcome(r), r.Applied, want)
	}
	if f.count(`SELECT count(*) FROM leads`) != before || f.count(`SELECT count(*) FROM lead_status_changes`) != 0 {
		t.Error("a file with bad rows changed the database")
	}
	r, _ = intake.Import(f.ctx, f.s, f.mgr, intake.ImportOptions{Kind: "leads"}, p.Records[:1])
	if !r.Applied || f.count(`SELECT count(*) FROM leads WHERE responsible_id = $1`, f.mgr.UserID) != 1 {
		t.Errorf("a manager imports for themselves: %+v", r)
	}
}

func TestImportUpdateAndVCard(t *testing.T) {
	f := newImportFx(t)
	c, err := f.s.CreateContact(f.ctx, f.dir, crmcore.NewContact{FirstName: "Анна", LastName: "Петрова"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("testdata/contacts.vcf")
	p, _ := intake.ParseVCard(data, intake.Options{Kind: intake.ImportContacts})
	r, err := intake.Import(f.ctx, f.s, f.dir, intake.ImportOptions{Kind: "contacts", Format: "vcard", OnDuplicate: "update"}, p.Records)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcome(r); !reflect.DeepEqual(got, []string{"1:update:duplicate of contact #" + itoa(c.ID) + " (person)", "10:create"}) {
		t.Errorf("report %v", got)
	}
	if f.count(`SELECT count(*) FROM contacts WHERE id = $1 AND phone = '+7 (812) 700-00-01' AND position = 'Менеджер по закупкам'`, c.ID) != 1 {
		t.Error("the matched contact did not take the card's phone and position")
	}
	if f.count(`SELECT count(*) FROM contacts WHERE first_name = 'Ivan' AND last_name = 'Sidorov' AND email = 'ivan@acme.example'`) != 1 {
		t.Error("the second card was not created")
	}
}
