package crmcore_test

import (
	"fmt"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func money(s string) *domain.Money { m := domain.NewMoney(s); return &m }

// plansText is plans as "metric month pipeline responsible value" lines.
func plansText(f *bizFixture, plans []crmcore.Plan) string {
	out := ""
	for _, p := range plans {
		pipe := "all"
		if p.Pipeline != nil {
			pipe = *p.Pipeline
		}
		who := map[int64]string{f.mgr.UserID: "mgr", f.mgr2.UserID: "mgr2"}[p.ResponsibleID]
		out += fmt.Sprintf("%s %s %s %s %s; ", p.Metric, p.Month, pipe, who, p.Value.StringFixed(2))
	}
	return out
}

// planRows counts the plans table by plain SQL.
func (f *bizFixture) planRows() int {
	f.t.Helper()
	var n int
	if err := f.pg.Pool.QueryRow(f.ctx, `SELECT count(*) FROM plans`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// Plans (issue 17): a director sets a month's targets for the team in one
// call; re-sending them changes nothing; null removes one; a plan per
// pipeline is apart from the plan for all pipelines; a manager reads
// their own targets only and may set none.
func TestPlans(t *testing.T) {
	f := newBizFixture(t)
	set := crmcore.PlanSet{Metric: "won_amount", Month: "2025-03", Targets: []crmcore.PlanTarget{
		{ResponsibleID: f.mgr.UserID, Value: money("1500000")},
		{ResponsibleID: f.mgr2.UserID, Value: money("1234567.89")},
	}}
	got, err := f.s.SetPlans(f.ctx, f.director, set)
	if err != nil {
		t.Fatal(err)
	}
	want := "won_amount 2025-03 all mgr 1500000.00; won_amount 2025-03 all mgr2 1234567.89; "
	if plansText(f, got) != want {
		t.Fatalf("after setting: %s\nwant %s", plansText(f, got), want)
	}
	var stamp string
	f.pg.Pool.QueryRow(f.ctx, `SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM plans`).Scan(&stamp)
	if again, err := f.s.SetPlans(f.ctx, f.admin, set); err != nil || plansText(f, again) != want || f.planRows() != 2 {
		t.Fatalf("sent again: %s, %d rows, %v", plansText(f, again), f.planRows(), err)
	}
	var stampAgain string
	f.pg.Pool.QueryRow(f.ctx, `SELECT string_agg(updated_at::text, ',' ORDER BY id) FROM plans`).Scan(&stampAgain)
	if stamp != stampAgain {
		t.Errorf("the same targets sent again rewrote them: %s → %s", stamp, stampAgain)
	}

	sales := "sales"
	if _, err := f.s.SetPlans(f.ctx, f.director, crmcore.PlanSet{Metric: "won_amount", Month: "2025-03", Pipeline: &sales,
		Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("900000")}}}); err != nil {
		t.Fatal(err)
	}
	got, err = f.s.SetPlans(f.ctx, f.director, crmcore.PlanSet{Metric: "won_amount", Month: "2025-03",
		Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr2.UserID}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "won_amount 2025-03 all mgr 1500000.00; "; plansText(f, got) != want {
		t.Errorf("after removing mgr2's: %s, want %s", plansText(f, got), want)
	}
	all, err := f.s.ListPlans(f.ctx, f.analyst, crmcore.PlanFilter{Month: "2025-03"})
	if want := "won_amount 2025-03 all mgr 1500000.00; won_amount 2025-03 sales mgr 900000.00; "; err != nil || plansText(f, all) != want {
		t.Errorf("the analyst's list: %s (%v), want %s", plansText(f, all), err, want)
	}
	if bySales, err := f.s.ListPlans(f.ctx, f.director, crmcore.PlanFilter{Pipeline: "sales"}); err != nil || len(bySales) != 1 || *bySales[0].Pipeline != "sales" {
		t.Errorf("sales plans: %s (%v)", plansText(f, bySales), err)
	}
	if own, err := f.s.ListPlans(f.ctx, f.mgr2, crmcore.PlanFilter{}); err != nil || len(own) != 0 {
		t.Errorf("mgr2 (no target left) sees %s (%v)", plansText(f, own), err)
	}
	if own, err := f.s.ListPlans(f.ctx, f.mgr, crmcore.PlanFilter{}); err != nil || len(own) != 2 {
		t.Errorf("mgr sees %s (%v), want their two", plansText(f, own), err)
	}
	_, err = f.s.SetPlans(f.ctx, f.mgr, crmcore.PlanSet{Metric: "calls", Month: "2025-03",
		Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("10")}}})
	wantErr(t, err, apperr.Forbidden, "")
}

// Bad plans are refused on the field and store nothing — not even the
// valid targets sent beside the bad one.
func TestPlansBadInput(t *testing.T) {
	f := newBizFixture(t)
	ok := crmcore.PlanTarget{ResponsibleID: f.mgr.UserID, Value: money("5")}
	nope := "nope"
	for _, tc := range []struct {
		in    crmcore.PlanSet
		field string
	}{
		{crmcore.PlanSet{Metric: "revenue", Month: "2025-03", Targets: []crmcore.PlanTarget{ok}}, "metric"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-3", Targets: []crmcore.PlanTarget{ok}}, "month"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-13", Targets: []crmcore.PlanTarget{ok}}, "month"},
		{crmcore.PlanSet{Metric: "calls", Month: "март", Targets: []crmcore.PlanTarget{ok}}, "month"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Pipeline: &nope, Targets: []crmcore.PlanTarget{ok}}, "pipeline"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Targets: []crmcore.PlanTarget{ok, {ResponsibleID: f.mgr2.UserID, Value: money("-1")}}}, "targets[1].value"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Targets: []crmcore.PlanTarget{ok, {ResponsibleID: f.mgr2.UserID, Value: money("2.5")}}}, "targets[1].value"},
		{crmcore.PlanSet{Metric: "won_amount", Month: "2025-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("0.001")}}}, "targets[0].value"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Targets: []crmcore.PlanTarget{ok, {ResponsibleID: f.director.UserID, Value: money("1")}}}, "targets[1].responsible_id"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Targets: []crmcore.PlanTarget{ok, {ResponsibleID: 999999, Value: money("1")}}}, "targets[1].responsible_id"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Targets: []crmcore.PlanTarget{ok, ok}}, "targets[1].responsible_id"},
		{crmcore.PlanSet{Metric: "calls", Month: "2025-03", Targets: []crmcore.PlanTarget{{Value: money("1")}}}, "targets[0].responsible_id"},
	} {
		_, err := f.s.SetPlans(f.ctx, f.director, tc.in)
		wantErr(t, err, apperr.Invalid, tc.field)
	}
	if n := f.planRows(); n != 0 {
		t.Errorf("%d plans stored by refused requests", n)
	}
	_, err := f.s.ListPlans(f.ctx, f.director, crmcore.PlanFilter{Month: "2025-00"})
	wantErr(t, err, apperr.Invalid, "month")
	_, err = f.s.ListPlans(f.ctx, f.director, crmcore.PlanFilter{Metric: "x"})
	wantErr(t, err, apperr.Invalid, "metric")
}

// SetPlanSets (the plan page's Save, issue 17): several metrics and
// months in one transaction; again the same, nothing rewritten; a bad
// target in any set, or one responsible twice across the sets, stores
// nothing and names the set; a manager may not.
func TestPlanSets(t *testing.T) {
	f := newBizFixture(t)
	sales := "sales"
	sets := []crmcore.PlanSet{
		{Metric: "won_amount", Month: "2026-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("1500000")}, {ResponsibleID: f.mgr2.UserID, Value: money("250000.50")}}},
		{Metric: "calls", Month: "2026-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("120")}}},
		{Metric: "calls", Month: "2026-04", Pipeline: &sales, Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr2.UserID, Value: money("40")}}},
	}
	got, err := f.s.SetPlanSets(f.ctx, f.director, sets)
	want := "won_amount 2026-03 all mgr 1500000.00; won_amount 2026-03 all mgr2 250000.50; calls 2026-03 all mgr 120.00; calls 2026-04 sales mgr2 40.00; "
	if err != nil || plansText(f, got) != want {
		t.Fatalf("set: %s (%v)\nwant %s", plansText(f, got), err, want)
	}
	var stamp, stampAgain string
	f.pg.Pool.QueryRow(f.ctx, `SELECT string_agg(id || ' ' || value || ' ' || updated_at::text, ',' ORDER BY id) FROM plans`).Scan(&stamp)
	if again, err := f.s.SetPlanSets(f.ctx, f.admin, sets); err != nil || plansText(f, again) != want {
		t.Fatalf("again: %s (%v)", plansText(f, again), err)
	}
	f.pg.Pool.QueryRow(f.ctx, `SELECT string_agg(id || ' ' || value || ' ' || updated_at::text, ',' ORDER BY id) FROM plans`).Scan(&stampAgain)
	if stamp != stampAgain {
		t.Errorf("the same sets again rewrote the plans: %s → %s", stamp, stampAgain)
	}
	change := crmcore.PlanSet{Metric: "won_amount", Month: "2026-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("9")}}}
	for _, tc := range []struct {
		bad   crmcore.PlanSet
		field string
	}{
		{crmcore.PlanSet{Metric: "meetings", Month: "2026-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("1.5")}}}, "sets[1].targets[0].value"},
		{crmcore.PlanSet{Metric: "meetings", Month: "2026-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("1")}, {ResponsibleID: f.analyst.UserID, Value: money("1")}}}, "sets[1].targets[1].responsible_id"},
		{crmcore.PlanSet{Metric: "won_amount", Month: "2026-03", Targets: []crmcore.PlanTarget{{ResponsibleID: f.mgr.UserID, Value: money("5")}}}, "sets[1].targets[0].responsible_id"},
		{crmcore.PlanSet{Metric: "calls", Month: "2026-3", Targets: nil}, "sets[1].month"},
	} {
		_, err := f.s.SetPlanSets(f.ctx, f.director, []crmcore.PlanSet{change, tc.bad})
		wantErr(t, err, apperr.Invalid, tc.field)
	}
	_, err = f.s.SetPlanSets(f.ctx, f.director, nil)
	wantErr(t, err, apperr.Invalid, "sets")
	_, err = f.s.SetPlanSets(f.ctx, f.mgr, sets)
	wantErr(t, err, apperr.Forbidden, "")
	f.pg.Pool.QueryRow(f.ctx, `SELECT string_agg(id || ' ' || value || ' ' || updated_at::text, ',' ORDER BY id) FROM plans`).Scan(&stampAgain)
	if stamp != stampAgain {
		t.Errorf("refused sets changed the plans: %s → %s", stamp, stampAgain)
	}
}
