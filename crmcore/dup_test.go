package crmcore_test

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// dupLead creates a lead through the store for p.
func (f *bizFixture) dupLead(p domain.Principal, title, name, phone, email, company string) int64 {
	f.t.Helper()
	l, err := f.s.CreateLead(f.ctx, p, crmcore.NewLead{Title: title, Source: "website",
		Contact: crmcore.LeadContact{Name: name, Phone: phone, Email: email}, Company: crmcore.LeadCompany{Name: company}})
	if err != nil {
		f.t.Fatalf("create lead %s: %v", title, err)
	}
	return l.ID
}

// candidates renders matches as "entity#id:reasons" strings.
func candidates(m crmcore.DupMatches, ids map[string]string) []string {
	out := []string{}
	for _, c := range m.Candidates {
		s := c.Entity + ":" + ids[c.Entity+strconv.FormatInt(c.ID, 10)]
		for _, r := range c.Reasons {
			s += "," + r
		}
		out = append(out, s)
	}
	return out
}

func TestFindDuplicatesEachRule(t *testing.T) {
	f := newBizFixture(t)
	a := f.dupLead(f.mgr, "A", "Иванов Иван Петрович", "+7 (916) 123-45-67", "Ivan@Romashka.ru", `ООО «Ромашка»`)
	b := f.dupLead(f.mgr2, "B", "Анна Смирнова", "8 495 000-00-01", "anna@example.com", "Лютик")
	co, err := f.s.CreateCompany(f.ctx, f.mgr, crmcore.NewCompany{Name: `АО "Ромашка"`, INN: strp("7701234567")})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := f.s.CreateContact(f.ctx, f.mgr, crmcore.NewContact{FirstName: "Анна", LastName: "Смирнова", Phone: strp("+74950000001")})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"lead" + itoa(a): "A", "lead" + itoa(b): "B", "company" + itoa(co.ID): "Co", "contact" + itoa(ct.ID): "Ct"}
	cases := []struct {
		name   string
		as     domain.Principal
		probe  crmcore.DupProbe
		want   []string
		hidden int
	}{
		{"phone 8 vs +7", f.director, crmcore.DupProbe{Phone: "89161234567"}, []string{"lead:A,phone"}, 0},
		{"phone 10 digits", f.director, crmcore.DupProbe{Phone: "916 123 45 67"}, []string{"lead:A,phone"}, 0},
		{"email case", f.director, crmcore.DupProbe{Email: " IVAN@romashka.RU"}, []string{"lead:A,email"}, 0},
		{"person reversed", f.director, crmcore.DupProbe{Person: "Иван Иванов"}, []string{"lead:A,person"}, 0},
		{"first name alone", f.director, crmcore.DupProbe{Person: "Иван"}, []string{}, 0},
		{"company legal forms", f.director, crmcore.DupProbe{Company: "Ромашка, ООО"},
			[]string{"lead:A,company_name", "company:Co,company_name"}, 0},
		{"contact and lead by phone", f.director, crmcore.DupProbe{Phone: "+7 495 000 00 01"},
			[]string{"lead:B,phone", "contact:Ct,phone"}, 0},
		{"several reasons", f.director, crmcore.DupProbe{Phone: "89161234567", Email: "ivan@romashka.ru"},
			[]string{"lead:A,phone,email"}, 0},
		{"manager: other's lead hidden", f.mgr, crmcore.DupProbe{Phone: "84950000001"}, []string{"contact:Ct,phone"}, 1},
		{"nothing", f.director, crmcore.DupProbe{Phone: "+7 999 111 22 33", Person: "Пётр Сидоров"}, []string{}, 0},
	}
	for _, c := range cases {
		m, err := f.s.FindDuplicates(f.ctx, c.as, crmcore.EntityLead, []crmcore.DupProbe{c.probe})
		if err != nil {
			t.Fatal(err)
		}
		if got := candidates(m[0], ids); !reflect.DeepEqual(got, c.want) || m[0].Hidden != c.hidden {
			t.Errorf("%s: got %v hidden %d, want %v hidden %d", c.name, got, m[0].Hidden, c.want, c.hidden)
		}
	}
	linked := crmcore.LeadProbe(crmcore.NewLead{Company: crmcore.LeadCompany{ID: &co.ID, Name: "Ромашка"}})
	m, _ := f.s.FindDuplicates(f.ctx, f.director, crmcore.EntityLead, []crmcore.DupProbe{linked})
	if got := candidates(m[0], ids); !reflect.DeepEqual(got, []string{"lead:A,company_name"}) {
		t.Errorf("a lead linking the company by id matches only the other lead: %v", got)
	}
	m, _ = f.s.FindDuplicates(f.ctx, f.director, crmcore.EntityCompany, []crmcore.DupProbe{{INN: "7701234567"}})
	if got := candidates(m[0], ids); !reflect.DeepEqual(got, []string{"company:Co,inn"}) {
		t.Errorf("inn: %v", got)
	}
}

func TestCheckDuplicateAnswers409(t *testing.T) {
	f := newBizFixture(t)
	f.dupLead(f.mgr2, "B", "Анна Смирнова", "8 495 000-00-01", "", "")
	err := f.s.CheckLeadDuplicate(f.ctx, f.mgr, crmcore.NewLead{Title: "x", Source: "website",
		Contact: crmcore.LeadContact{Name: "Смирнова Анна", Phone: "+74950000001"}})
	e := apperr.As(err)
	if e == nil || e.Kind != apperr.Conflict || e.Code != "possible_duplicate" {
		t.Fatalf("want 409 possible_duplicate, got %v", err)
	}
	if d := e.Details.(crmcore.DupMatches); len(d.Candidates) != 0 || d.Hidden != 1 {
		t.Errorf("a manager must not see another's lead, only that one exists: %+v", d)
	}
}

func TestDuplicateGroups(t *testing.T) {
	f := newBizFixture(t)
	a := f.dupLead(f.mgr, "A", "Иванов Иван", "+79161234567", "", "")
	b := f.dupLead(f.mgr, "B", "Пётр Сидоров", "8 916 123-45-67", "", "")
	c := f.dupLead(f.mgr2, "C", "Олег Орлов", "9161234567", "", "")
	g, err := f.s.DuplicateGroups(f.ctx, f.director, crmcore.EntityLead)
	if err != nil {
		t.Fatal(err)
	}
	want := []crmcore.DupGroup{{Entity: "lead", Reason: "phone", Key: "79161234567",
		Records: []crmcore.DupRecord{{ID: a, Name: "A"}, {ID: b, Name: "B"}, {ID: c, Name: "C"}}}}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("director groups %+v, want %+v", g, want)
	}
	g, _ = f.s.DuplicateGroups(f.ctx, f.mgr, crmcore.EntityLead)
	want[0].Records = want[0].Records[:2]
	if !reflect.DeepEqual(g, want) {
		t.Errorf("manager groups %+v, want only their own %+v", g, want)
	}
	if _, err := f.s.DuplicateGroups(f.ctx, f.director, "deal"); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("unknown entity: %v", err)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
