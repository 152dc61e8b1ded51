package kinds

import (
	"context"
	"fmt"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
)

// What a funnel drill lists (FunnelDrillRequest.Which).
const (
	DrillReached = "reached" // reached mode: the deals counted at the step
	DrillLost    = "lost"    // reached mode: the deals now lost with the step the furthest reached
	DrillCurrent = "current" // current mode: the deals in the stage at as_of
)

// DrillWhich lists the values of which.
var DrillWhich = []string{DrillReached, DrillLost, DrillCurrent}

// FunnelDrillRequest is the body of POST /api/v1/funnels/drill: the
// funnel request, the step (a stage code of the pipeline) and which of
// its numbers; BreakdownKey (with a breakdown) one group's key as the
// answer's breakdown holds it. Without mode, which=current asks the
// current funnel.
type FunnelDrillRequest struct {
	reports.FunnelRequest
	Step         string  `json:"step"`
	Which        string  `json:"which"`
	BreakdownKey *string `json:"breakdown_key,omitempty"`
	compile.DrillOptions
}

// FunnelDrillPlan is a funnel drill validated and resolved at the run's
// clock for one principal: the funnel's own plan and the deals list.
type FunnelDrillPlan struct {
	fp   *FunnelPlan
	req  FunnelDrillRequest
	recs *compile.Records
}

// PlanFunnelDrill validates req (422 errors name the field: which, step,
// breakdown_key, the funnel request's own) and resolves it at now for p.
func PlanFunnelDrill(req FunnelDrillRequest, p domain.Principal, now time.Time) (*FunnelDrillPlan, error) {
	if req.Mode == "" && req.Which == DrillCurrent {
		req.Mode = reports.ModeCurrent
	}
	if err := checkFunnelDrill(req); err != nil {
		return nil, err
	}
	fp, err := PlanFunnel(req.FunnelRequest, p, now, "")
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords("deals", fp.sc.loc, "", req.DrillOptions)
	if err != nil {
		return nil, err
	}
	return &FunnelDrillPlan{fp: fp, req: req, recs: recs}, nil
}

func checkFunnelDrill(req FunnelDrillRequest) error {
	mode := req.Mode
	if mode == "" {
		mode = reports.ModeReached
	}
	switch {
	case req.Which != DrillReached && req.Which != DrillLost && req.Which != DrillCurrent:
		return &apperr.Error{Kind: apperr.Invalid, Code: "unknown_which", Field: "which",
			Message: "which is reached, lost or current", Details: map[string]any{"allowed": DrillWhich}}
	case (req.Which == DrillCurrent) != (mode == reports.ModeCurrent):
		return apperr.Field("which", "wrong_mode", "which=current drills a current funnel; reached and lost a reached one (mode "+mode+")")
	case req.Step == "":
		return apperr.Field("step", "required", "name the step by its stage code")
	case req.BreakdownKey != nil && req.Breakdown == "":
		return apperr.Field("breakdown_key", "not_allowed", "breakdown_key names a group of a breakdown; give breakdown too")
	}
	return nil
}

// Run lists the deals behind the step on db, under the principal's
// access: the ids come from the funnel's own deal set and its expressions.
func (d *FunnelDrillPlan) Run(ctx context.Context, db *olap.DB) (*DrillResult, error) {
	start := time.Now()
	r, err := d.fp.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	s, err := r.drillStage(d.req.Which, d.req.Step)
	if err != nil {
		return nil, err
	}
	ids := r.drillIDs(d.req.Which, s, d.req.BreakdownKey)
	q, err := d.recs.Compile(db.Names, r.p, olap.Template{Text: "id IN ({ids})", Slots: olap.Slots{"ids": ids}})
	if err != nil {
		return nil, err
	}
	res, err := runDrill(ctx, db, q, start, r.now)
	if err != nil {
		return nil, err
	}
	if r.period {
		res.Meta.From, res.Meta.To = r.from, r.to
	}
	return res, nil
}

// drillStage finds the step by code: a step (open or won stage) for
// reached and lost, any stage of the pipeline for current (lost and
// paused stages have their counts there too).
func (r *run) drillStage(which, code string) (stageMeta, error) {
	var allowed []string
	for _, s := range r.meta.Stages {
		if s.Step == 0 && which != DrillCurrent {
			continue
		}
		if s.Code == code {
			return s, nil
		}
		allowed = append(allowed, s.Code)
	}
	return stageMeta{}, &apperr.Error{Kind: apperr.Invalid, Code: "not_a_step", Field: "step",
		Message: fmt.Sprintf("%q is not a step of pipeline %s", code, r.meta.Code), Details: map[string]any{"allowed": allowed}}
}

// drillIDs is the ids of the deals behind one number of the funnel,
// from the deal set and the expressions the funnel counts with
// (reachedSQL, currentSQL): reached — the furthest step at least the
// step's; lost — exactly it, the deal now in a lost stage; current —
// the stage its last change by as_of entered. key, when given, keeps
// one breakdown group.
func (r *run) drillIDs(which string, s stageMeta, key *string) olap.Fragment {
	ids, steps, kinds := r.meta.stageArrays()
	slots := olap.Slots{"cohort": r.funnelDeals().rows("times", "stages")}
	keyCond := ""
	if key != nil {
		keyCond, slots["key"] = " AND key = {key}", *key
	}
	if which == DrillCurrent {
		slots["as_of"], slots["stage"] = r.asOf.Unix(), s.ID
		return olap.Template{Text: `SELECT deal_id FROM (
  SELECT deal_id, key, stages, arrayCount(t -> t <= toDateTime({as_of}, 'UTC'), times) AS k
  FROM ({cohort}) AS cohort_rows)
WHERE k > 0 AND stages[k] = {stage}` + keyCond, Slots: slots}
	}
	slots["reached"], slots["step"] = r.reachedExpr(ids, steps), int64(s.Step)
	cond := "r >= {step}"
	if which == DrillLost {
		cond = "r = {step} AND transform(stage_id, {ids}, {kinds}, '') = 'lost'"
		slots["ids"], slots["kinds"] = ids, kinds
	}
	return olap.Template{Text: `SELECT deal_id FROM (
  SELECT deal_id, key, stage_id, {reached} AS r
  FROM ({cohort}) AS cohort_rows)
WHERE ` + cond + keyCond, Slots: slots}
}
