package saved

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

func TestSavedReports(t *testing.T) {
	pg := testenv.NewPG(t)
	ctx := context.Background()
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	e := &Store{PG: pg.Pool, Now: func() time.Time { return clock }}
	who := map[string]domain.Principal{}
	for _, u := range []struct{ alias, role string }{{"ana", "analyst"}, {"bob", "analyst"}, {"dir", "director"}, {"mgr", "manager"}, {"adm", "admin"}} {
		var id int64
		err := pg.Pool.QueryRow(ctx, `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $1, $2, '-') RETURNING id`,
			u.alias+"@x.ru", u.role).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		who[u.alias] = domain.Principal{UserID: id, Role: domain.Role(u.role)}
	}
	def := func(js string) reports.Definition {
		d, err := reports.ParseDefinition([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		return *d
	}
	good := def(`{"dataset":"deals","dimensions":[{"field":"stage_name"}],"measures":[{"agg":"count"}]}`)
	count := func() int {
		var n int
		pg.Pool.QueryRow(ctx, `SELECT count(*) FROM saved_reports`).Scan(&n)
		return n
	}
	private, err := e.Create(ctx, who["ana"], NewReport{Name: "Мой отчёт", Definition: good})
	if err != nil || private.OwnerID != who["ana"].UserID || !private.CreatedAt.Equal(clock) || private.Definition.Dataset != "deals" {
		t.Fatalf("create: %+v, %v", private, err)
	}
	shared, err := e.Create(ctx, who["dir"], NewReport{Name: "Общий", Definition: good, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	rejects := []struct {
		name  string
		as    string
		in    NewReport
		kind  apperr.Kind
		field string
	}{
		{"manager may not save", "mgr", NewReport{Name: "x", Definition: good}, apperr.Forbidden, ""},
		{"invalid definition", "ana", NewReport{Name: "x", Definition: def(`{"dataset":"deals","dimensions":[{"field":"nope"}]}`)}, apperr.Invalid, "definition.dimensions[0].field"},
		{"no dataset", "ana", NewReport{Name: "x"}, apperr.Invalid, "definition.dataset"},
		{"empty name", "ana", NewReport{Name: "  ", Definition: good}, apperr.Invalid, "name"},
		{"long name", "ana", NewReport{Name: string(make([]rune, 256)), Definition: good}, apperr.Invalid, "name"},
	}
	for _, r := range rejects {
		before := count()
		_, err := e.Create(ctx, who[r.as], r.in)
		if ae := apperr.As(err); ae == nil || ae.Kind != r.kind || ae.Field != r.field {
			t.Errorf("%s: %v, want kind %v on %q", r.name, err, r.kind, r.field)
		}
		if count() != before {
			t.Errorf("%s: a row was written", r.name)
		}
	}
	visible := map[string][]int64{
		"ana": {private.ID, shared.ID}, "bob": {shared.ID}, "mgr": {shared.ID}, "adm": {private.ID, shared.ID}, "dir": {shared.ID},
	}
	for alias, want := range visible {
		list, err := e.List(ctx, who[alias])
		var got []int64
		for _, s := range list {
			got = append(got, s.ID)
		}
		if err != nil || !sameIDs(got, want) {
			t.Errorf("%s lists %v (%v), want %v", alias, got, err, want)
		}
	}
	changes := []struct {
		name string
		as   string
		id   int64
		kind apperr.Kind // 0 (Internal) = success
	}{
		{"someone else's private report is not found", "bob", private.ID, apperr.NotFound},
		{"a shared report is not the manager's to change", "mgr", shared.ID, apperr.Forbidden},
		{"nor another analyst's", "bob", shared.ID, apperr.Forbidden},
		{"the owner changes it", "dir", shared.ID, 0},
		{"an admin changes any", "adm", private.ID, 0},
	}
	name := "Новое имя"
	for _, c := range changes {
		_, err := e.Update(ctx, who[c.as], c.id, Patch{Name: &name})
		if (c.kind == 0 && err != nil) || (c.kind != 0 && apperr.KindOf(err) != c.kind) {
			t.Errorf("update: %s: %v", c.name, err)
		}
		if c.kind != 0 {
			if err := e.Delete(ctx, who[c.as], c.id); apperr.KindOf(err) != c.kind {
				t.Errorf("delete: %s: %v", c.name, err)
			}
		}
	}
	bad := def(`{"dataset":"deals","measures":[{"field":"amount","agg":"stddev"}]}`)
	if _, err := e.Update(ctx, who["ana"], private.ID, Patch{Definition: &bad}); apperr.As(err) == nil || apperr.As(err).Field != "definition.measures[0].agg" {
		t.Errorf("invalid definition on update: %v", err)
	}
	got, err := e.Get(ctx, who["ana"], private.ID)
	if err != nil || got.Name != name || got.Definition.Measures[0].Agg != "count" {
		t.Errorf("after the updates: %+v, %v", got, err)
	}
	if err := e.Delete(ctx, who["ana"], private.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Get(ctx, who["ana"], private.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("deleted report: %v, want 404", err)
	}
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int64]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}
