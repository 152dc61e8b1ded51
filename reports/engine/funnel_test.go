package engine

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// kxStep is an expected funnel step, worked out by hand.
type kxStep struct {
	stage       string
	count       int64
	amount      string
	prev, first float64 // -1: null
	median      float64 // -1: null
}

// kxCount is an expected lost or paused entry.
type kxCount struct {
	stage  string
	count  int64
	amount string
}

const null = -1.0

func kxCheckSteps(t *testing.T, what string, got []reports.FunnelStep, want []kxStep) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d steps, want %d: %+v", what, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Stage != w.stage || g.Count != w.count || g.Amount.StringFixed(2) != w.amount {
			t.Errorf("%s step %d: %s %d %s, want %s %d %s", what, i, g.Stage, g.Count, g.Amount.StringFixed(2), w.stage, w.count, w.amount)
		}
		kxCheckFloat(t, fmt.Sprintf("%s %s conversion_from_prev", what, w.stage), g.ConversionFromPrev, w.prev)
		kxCheckFloat(t, fmt.Sprintf("%s %s conversion_from_first", what, w.stage), g.ConversionFromFirst, w.first)
		kxCheckFloat(t, fmt.Sprintf("%s %s median_hours_in_stage", what, w.stage), g.MedianHoursInStage, w.median)
	}
}

func kxCheckCounts(t *testing.T, what string, got []reports.FunnelCount, want []kxCount) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries, want %d: %+v", what, len(got), len(want), got)
	}
	for i, w := range want {
		if g := got[i]; g.Stage != w.stage || g.Count != w.count || g.Amount.StringFixed(2) != w.amount {
			t.Errorf("%s %d: %s %d %s, want %s %d %s", what, i, g.Stage, g.Count, g.Amount.StringFixed(2), w.stage, w.count, w.amount)
		}
	}
}

func kxCheckFloat(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	switch {
	case want == null && got != nil:
		t.Errorf("%s = %v, want null", what, *got)
	case want != null && got == nil:
		t.Errorf("%s = null, want %v", what, want)
	case want != null && math.Abs(*got-want) > 1e-9:
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func kxFunnel(t *testing.T, s *kxStores, p domain.Principal, req reports.FunnelRequest) *reports.Funnel {
	t.Helper()
	f, err := s.eng.Funnel(context.Background(), p, req)
	if err != nil {
		t.Fatalf("funnel %+v: %v", req, err)
	}
	return f
}

// TestFunnelReachedByHand checks the reached funnel of January on the
// hand-built fixture (numbers worked out in funnel_fixture_test.go's
// story): a skipped stage counts as passed, a return does not count twice,
// losses sit at the furthest step reached, the USD deal is converted at
// the rate of its creation date.
func TestFunnelReachedByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	f := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan})
	// Medians over stays (open stays up to 03-01): new 24,24,24,48,24,24,
	// 960,24 → 24; qual 48,24,1056,24,48,24 → 36; prop 48,1272,1152,48 →
	// 600; won: only D1, still there → null.
	kxCheckSteps(t, "director", f.Steps, []kxStep{
		{"new", 7, "34959.95", null, 1, 24},
		{"qual", 6, "28959.95", 6.0 / 7, 6.0 / 7, 36},
		{"prop", 4, "15000.00", 4.0 / 6, 4.0 / 7, 600},
		{"won", 1, "1000.00", 1.0 / 4, 1.0 / 7, null},
	})
	kxCheckCounts(t, "director lost", f.Lost, []kxCount{{"new", 0, "0.00"}, {"qual", 1, "4000.00"}, {"prop", 1, "7000.00"}, {"won", 0, "0.00"}})
	if f.Breakdown != nil || f.Paused != nil {
		t.Errorf("breakdown %v, paused %v: want none", f.Breakdown, f.Paused)
	}
	// Window of 3 days: D1 reaches prop exactly at the deadline (counts),
	// won only after it; D5 reaches qual at its deadline, prop after.
	w := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan, WindowDays: 3})
	kxCheckSteps(t, "window", w.Steps, []kxStep{
		{"new", 7, "34959.95", null, 1, 24},
		{"qual", 6, "28959.95", 6.0 / 7, 6.0 / 7, 36},
		{"prop", 3, "10000.00", 3.0 / 6, 3.0 / 7, 600},
		{"won", 0, "0.00", 0, 0, null},
	})
}

// TestFunnelBreakdownAndAccess: the responsible breakdown splits the
// cohort by hand; manager 101 sees exactly the director's 101 group;
// manager 102, who observes D1, sees D1 and their own deals.
// kxJanuaryTotal is the whole January funnel of the hand-built fixture,
// seen by the director (under a breakdown too).
var kxJanuaryTotal = []kxStep{
	{"new", 7, "34959.95", null, 1, 24},
	{"qual", 6, "28959.95", 6.0 / 7, 6.0 / 7, 36},
	{"prop", 4, "15000.00", 4.0 / 6, 4.0 / 7, 600},
	{"won", 1, "1000.00", 1.0 / 4, 1.0 / 7, null},
}

// TestFunnelTwoLevelAggregation: the whole funnel under a breakdown stays
// exact when ClickHouse aggregates in two levels (forced here for the
// small fixture; large or concurrent inputs do it by themselves). 18.16's
// WITH ROLLUP returned one partial total per bucket then, so the whole
// funnel's medians came from a fraction of the stays (seen on the
// cluster benchmark after a backlog). It takes parallel inputs to split
// the result into buckets: the cluster pass fails this test without the
// statement's one-level settings (prop's median 48 h, not 600 h); on one
// server, with the fixture's few rows in one block, it passes either way.
func TestFunnelTwoLevelAggregation(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	ctx := clickhouse.Context(context.Background(), clickhouse.WithSettings(clickhouse.Settings{
		"group_by_two_level_threshold": 1, "group_by_two_level_threshold_bytes": 1}))
	f, err := s.eng.Funnel(ctx, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan, Breakdown: "responsible"})
	if err != nil {
		t.Fatal(err)
	}
	kxCheckSteps(t, "breakdown total, two-level", f.Steps, kxJanuaryTotal)
}

func TestFunnelBreakdownAndAccess(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	f := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan, Breakdown: "responsible"})
	if len(f.Breakdown) != 2 || f.Breakdown[0].Key != "101" || f.Breakdown[0].Label != "Иванов Иван" ||
		f.Breakdown[1].Key != "102" || f.Breakdown[1].Label != "Петрова Анна" {
		t.Fatalf("groups %+v", f.Breakdown)
	}
	m1Steps := []kxStep{
		{"new", 4, "19959.95", null, 1, 24},
		{"qual", 4, "19959.95", 1, 1, 36},
		{"prop", 3, "10000.00", 3.0 / 4, 3.0 / 4, 48},
		{"won", 1, "1000.00", 1.0 / 3, 1.0 / 4, null},
	}
	m1Lost := []kxCount{{"new", 0, "0.00"}, {"qual", 0, "0.00"}, {"prop", 1, "7000.00"}, {"won", 0, "0.00"}}
	kxCheckSteps(t, "group 101", f.Breakdown[0].Steps, m1Steps)
	kxCheckCounts(t, "group 101 lost", f.Breakdown[0].Lost, m1Lost)
	kxCheckSteps(t, "group 102", f.Breakdown[1].Steps, []kxStep{
		{"new", 3, "15000.00", null, 1, 24},
		{"qual", 2, "9000.00", 2.0 / 3, 2.0 / 3, 36},
		{"prop", 1, "5000.00", 1.0 / 2, 1.0 / 3, 1152},
		{"won", 0, "0.00", 0, 0, null},
	})
	kxCheckSteps(t, "breakdown total", f.Steps, kxJanuaryTotal)
	// A deals dataset dimension read through its lookups: the current
	// stage kind (D1 won; D2, D3, D5, D6 open; D4, D7 lost).
	byKind := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan, Breakdown: "stage_kind"})
	got := map[string]string{}
	for _, g := range byKind.Breakdown {
		got[g.Label] = fmt.Sprint(g.Steps[0].Count, g.Steps[1].Count, g.Steps[2].Count, g.Steps[3].Count)
	}
	if want := map[string]string{"won": "1 1 1 1", "open": "4 3 2 0", "lost": "2 2 1 0"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("by stage kind %v, want %v", got, want)
	}
	m1 := kxFunnel(t, s, kxM1, reports.FunnelRequest{Pipeline: "fx", Period: &jan})
	kxCheckSteps(t, "manager 101", m1.Steps, m1Steps)
	kxCheckCounts(t, "manager 101 lost", m1.Lost, m1Lost)
	m2 := kxFunnel(t, s, kxM2, reports.FunnelRequest{Pipeline: "fx", Period: &jan})
	kxCheckSteps(t, "manager 102", m2.Steps, []kxStep{
		{"new", 4, "16000.00", null, 1, 24},
		{"qual", 3, "10000.00", 3.0 / 4, 3.0 / 4, 48},
		{"prop", 2, "6000.00", 2.0 / 3, 2.0 / 4, 600},
		{"won", 1, "1000.00", 1.0 / 2, 1.0 / 4, null},
	})
}

// TestFunnelCurrentByHand rebuilds the 2025-01-09 00:00 UTC snapshot from
// the history: D1, D2 in prop, D4 and D7 lost, D5 paused, D8 (created in
// December) still new; D3 and D6 were not created yet.
func TestFunnelCurrentByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	f := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Mode: reports.ModeCurrent, AsOf: "2025-01-09T00:00:00Z"})
	// Hours in the stage at as_of: D8 since 12-25 → 360; D1 14, D2 48 → 31.
	kxCheckSteps(t, "current", f.Steps, []kxStep{
		{"new", 1, "8000.00", null, null, 360},
		{"qual", 0, "0.00", null, null, null},
		{"prop", 2, "3000.00", null, null, 31},
		{"won", 0, "0.00", null, null, null},
	})
	kxCheckCounts(t, "current lost", f.Lost, []kxCount{{"lost", 2, "11000.00"}})
	kxCheckCounts(t, "current paused", f.Paused, []kxCount{{"pause", 1, "5000.00"}})
	// A date means the end of that day in Moscow: 2025-01-08 20:59:59 UTC,
	// the same states.
	d := kxFunnel(t, s, kxM2, reports.FunnelRequest{Pipeline: "fx", Mode: reports.ModeCurrent, AsOf: "2025-01-08", Breakdown: "source"})
	// Manager 102 sees D1 (observer), D4, D5, D8 of those: prop D1; lost D4; pause D5; new D8.
	kxCheckCounts(t, "m2 lost", d.Lost, []kxCount{{"lost", 1, "4000.00"}})
	kxCheckCounts(t, "m2 paused", d.Paused, []kxCount{{"pause", 1, "5000.00"}})
	if d.Steps[0].Count != 1 || d.Steps[2].Count != 1 || d.Steps[2].Amount.StringFixed(2) != "1000.00" {
		t.Errorf("m2 steps %+v", d.Steps)
	}
	// Sources: D1 website; D4 referral; D5 and D8 call (labels from the sources table).
	got := map[string]string{}
	for _, g := range d.Breakdown {
		got[g.Key] = fmt.Sprintf("%s:%d/%d/%d", g.Label, g.Steps[0].Count+g.Steps[2].Count, g.Lost[0].Count, g.Paused[0].Count)
	}
	want := map[string]string{"website": "Сайт:1/0/0", "referral": "Рекомендация:0/1/0", "call": "Звонок:1/0/1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("m2 by source %v, want %v", got, want)
	}
}
