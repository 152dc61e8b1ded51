package crmcore_test

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
)

// dealFx is a fresh database with one principal per role and two
// managers, a fixed clock, and SQL helpers that read the tables directly
// (independently of the store under test).
type dealFx struct {
	t                                   *testing.T
	ctx                                 context.Context
	s                                   *crmcore.Store
	pg                                  *testenv.PG
	now                                 time.Time
	admin, director, analyst, mgr, mgr2 domain.Principal
}

func newDealFx(t *testing.T) *dealFx {
	t.Helper()
	pg := testenv.NewPG(t)
	f := &dealFx{t: t, ctx: context.Background(), s: crmcore.NewStore(pg.Pool), pg: pg,
		now: time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)}
	f.s.Now = func() time.Time { return f.now }
	for _, u := range []struct {
		to          *domain.Principal
		name, role  string
		emailPrefix string
	}{
		{&f.admin, "Администратор", "admin", "admin"},
		{&f.director, "Орлова Марина", "director", "director"},
		{&f.analyst, "Ким Алексей", "analyst", "analyst"},
		{&f.mgr, "Иванов Пётр", "manager", "mgr"},
		{&f.mgr2, "Петрова Анна", "manager", "mgr2"},
	} {
		const q = `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`
		p := domain.Principal{Name: u.name, Email: u.emailPrefix + "@deal.test", Role: domain.Role(u.role)}
		if err := pg.Pool.QueryRow(f.ctx, q, p.Email, p.Name, u.role).Scan(&p.UserID); err != nil {
			t.Fatalf("user %s: %v", u.name, err)
		}
		*u.to = p
	}
	return f
}

// count runs a SELECT count(*) … and returns the number.
func (f *dealFx) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.pg.Pool.QueryRow(f.ctx, query, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// stageOf reads a deal's current stage code by SQL.
func (f *dealFx) stageOf(dealID int64) string {
	f.t.Helper()
	var code string
	const q = `SELECT s.code FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.id = $1`
	if err := f.pg.Pool.QueryRow(f.ctx, q, dealID).Scan(&code); err != nil {
		f.t.Fatalf("stage of %d: %v", dealID, err)
	}
	return code
}

// newDeal creates a sales deal through the store, failing the test on error.
func (f *dealFx) newDeal(p domain.Principal, title string) crmcore.Deal {
	f.t.Helper()
	d, err := f.s.CreateDeal(f.ctx, p, crmcore.NewDeal{Title: title, Pipeline: "sales",
		Amount: domain.NewMoney("150000.50"), Currency: "RUB"})
	if err != nil {
		f.t.Fatalf("create deal %q: %v", title, err)
	}
	return d
}

// move moves a deal and fails the test on error.
func (f *dealFx) move(p domain.Principal, id int64, stage string) crmcore.Deal {
	f.t.Helper()
	d, err := f.s.MoveDeal(f.ctx, p, id, crmcore.DealMove{Stage: stage})
	if err != nil {
		f.t.Fatalf("move %d to %s: %v", id, stage, err)
	}
	return d
}

// wantAppErr checks an error's kind, code and (when not "") field.
func wantAppErr(t *testing.T, err error, kind apperr.Kind, code, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Kind != kind || e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("err = kind %d %v, want kind %d code %s field %q", e.Kind, e, kind, code, field)
	}
}

// dealPtr returns a pointer to a copy of v, for optional inputs.
func dealPtr[T any](v T) *T { return &v }
