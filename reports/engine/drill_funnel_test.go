package engine

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// funnelDrilled drills req as p and returns the ids listed.
func funnelDrilled(t *testing.T, eng *Engine, p domain.Principal, req kinds.FunnelDrillRequest) []int64 {
	t.Helper()
	res, err := eng.FunnelDrill(context.Background(), p, req)
	if err != nil {
		t.Fatalf("funnel drill %+v: %v", req, err)
	}
	return drillResultIDs(t, res)
}

// funnelCount is the number the funnel shows for the drill's step:
// reached at the step, lost at it, or in the stage at as_of (a step, a
// lost or a paused stage), of the breakdown group key when given.
func funnelCount(t *testing.T, f *reports.Funnel, req kinds.FunnelDrillRequest) int64 {
	t.Helper()
	steps, lost, paused := f.Steps, f.Lost, f.Paused
	if req.BreakdownKey != nil {
		found := false
		for _, g := range f.Breakdown {
			if g.Key == *req.BreakdownKey {
				steps, lost, paused, found = g.Steps, g.Lost, g.Paused, true
			}
		}
		if !found {
			return 0
		}
	}
	for _, s := range steps {
		if s.Stage == req.Step && req.Which != kinds.DrillLost {
			return s.Count
		}
	}
	for _, c := range append(lost, paused...) {
		if c.Stage == req.Step {
			return c.Count
		}
	}
	t.Fatalf("the funnel has no number for %s %s", req.Which, req.Step)
	return 0
}

// TestFunnelDrillByHand drills the reached funnel of January and the
// snapshot at 10 January 12:00 UTC on the hand-built fixture, against
// ids worked out from its story (funnel_fixture_test.go): furthest steps
// D1 won, D2 and D5 prop (qual skipped by D2), D3 and D4 qual (D3's
// return counts once), D6 new, D7 prop; D4 lost at qual, D7 at prop.
func TestFunnelDrillByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	reached := func(step, which string) kinds.FunnelDrillRequest {
		return kinds.FunnelDrillRequest{FunnelRequest: reports.FunnelRequest{Pipeline: "fx", Period: &jan}, Step: step, Which: which}
	}
	current := func(step string) kinds.FunnelDrillRequest {
		return kinds.FunnelDrillRequest{FunnelRequest: reports.FunnelRequest{Pipeline: "fx", Mode: reports.ModeCurrent,
			AsOf: "2025-01-10T12:00:00Z"}, Step: step, Which: kinds.DrillCurrent}
	}
	m1 := "101"
	byResp := reached("qual", kinds.DrillReached)
	byResp.Breakdown, byResp.BreakdownKey = "responsible", &m1
	windowed := reached("prop", kinds.DrillReached)
	windowed.WindowDays = 2 // D2 within a day, D5 on its 5th, D7 on its 2nd, D1 on its 3rd
	cases := []struct {
		name string
		as   domain.Principal
		req  kinds.FunnelDrillRequest
		want []int64
	}{
		{"reached the first step: the whole cohort", kxDirector, reached("new", kinds.DrillReached), []int64{1, 2, 3, 4, 5, 6, 7}},
		{"reached qual: a skipped step counts as passed", kxDirector, reached("qual", kinds.DrillReached), []int64{1, 2, 3, 4, 5, 7}},
		{"reached prop", kxDirector, reached("prop", kinds.DrillReached), []int64{1, 2, 5, 7}},
		{"reached won", kxDirector, reached("won", kinds.DrillReached), []int64{1}},
		{"reached prop within two days", kxDirector, windowed, []int64{2, 7}},
		{"lost at qual", kxDirector, reached("qual", kinds.DrillLost), []int64{4}},
		{"lost at prop", kxDirector, reached("prop", kinds.DrillLost), []int64{7}},
		{"lost at new: none", kxDirector, reached("new", kinds.DrillLost), []int64{}},
		{"one breakdown group", kxDirector, byResp, []int64{1, 2, 3, 7}},
		{"a manager's first step: own and observed", kxM2, reached("new", kinds.DrillReached), []int64{1, 4, 5, 6}},
		{"a manager's lost: none of another's", kxM2, reached("prop", kinds.DrillLost), []int64{}},
		{"in prop at as_of", kxDirector, current("prop"), []int64{2}},
		{"in qual at as_of (D5 back from the pause)", kxDirector, current("qual"), []int64{5}},
		{"in new at as_of: D8 of December", kxDirector, current("new"), []int64{8}},
		{"in the lost stage at as_of", kxDirector, current("lost"), []int64{4, 7}},
		{"in won at as_of", kxDirector, current("won"), []int64{1}},
		{"a manager's snapshot", kxM1, current("lost"), []int64{7}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := funnelDrilled(t, s.eng, c.as, c.req)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
			f, err := s.eng.Funnel(context.Background(), c.as, c.req.FunnelRequest)
			if err != nil {
				t.Fatal(err)
			}
			if n := funnelCount(t, f, c.req); n != int64(len(got)) {
				t.Errorf("the funnel counts %d, the drill lists %d", n, len(got))
			}
		})
	}
}

// TestFunnelDrillBadInput: a step not of the pipeline, an unknown which,
// which against the mode, and a breakdown key without a breakdown are
// 422s naming the field.
func TestFunnelDrillBadInput(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	base := reports.FunnelRequest{Pipeline: "fx", Period: &jan}
	key := "101"
	for _, c := range []struct {
		name        string
		req         kinds.FunnelDrillRequest
		field, code string
	}{
		{"no such stage", kinds.FunnelDrillRequest{FunnelRequest: base, Step: "nope", Which: "reached"}, "step", "not_a_step"},
		{"a lost stage is no step of reached", kinds.FunnelDrillRequest{FunnelRequest: base, Step: "lost", Which: "reached"}, "step", "not_a_step"},
		{"no step", kinds.FunnelDrillRequest{FunnelRequest: base, Which: "reached"}, "step", "required"},
		{"unknown which", kinds.FunnelDrillRequest{FunnelRequest: base, Step: "new", Which: "won"}, "which", "unknown_which"},
		{"current of a reached funnel", kinds.FunnelDrillRequest{FunnelRequest: reports.FunnelRequest{Pipeline: "fx", Mode: "reached", Period: &jan},
			Step: "new", Which: "current"}, "which", "wrong_mode"},
		{"breakdown key without breakdown", kinds.FunnelDrillRequest{FunnelRequest: base, Step: "new", Which: "reached", BreakdownKey: &key},
			"breakdown_key", "not_allowed"},
		{"the funnel's own checks", kinds.FunnelDrillRequest{FunnelRequest: reports.FunnelRequest{Pipeline: "nope", Period: &jan},
			Step: "new", Which: "reached"}, "pipeline", "unknown_pipeline"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.eng.FunnelDrill(context.Background(), kxDirector, c.req)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != c.field || ae.Code != c.code {
				t.Errorf("error %v, want 422 %s on %s", err, c.code, c.field)
			}
		})
	}
}
