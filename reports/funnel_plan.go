package reports

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// funnelPlan is a validated funnel request bound to the data: the
// pipeline as it is now, the deal set, the instants that decide.
type funnelPlan struct {
	mode      string
	meta      *pipelineMeta
	set       dealSet
	from, to  time.Time // the period (zero when none)
	asOf      time.Time // current mode: the snapshot instant (inclusive)
	now       time.Time
	window    int
	breakdown *breakdownField
	sqlTime   time.Duration
}

// maxWindowDays bounds window_days (ten years).
const maxWindowDays = 3650

// checkFunnel validates what needs no database; prefix is prepended to
// every field name except period ("params." for the report kind).
func checkFunnel(req FunnelRequest, prefix string) error {
	switch {
	case req.Pipeline == "":
		return apperr.Field(prefix+"pipeline", "required", "name a deal pipeline by its code, e.g. sales")
	case req.Mode != "" && req.Mode != ModeReached && req.Mode != ModeCurrent:
		return &apperr.Error{Kind: apperr.Invalid, Code: "unknown_mode", Field: prefix + "mode",
			Message: "mode is reached or current", Details: map[string]any{"allowed": []string{ModeReached, ModeCurrent}}}
	case req.Mode != ModeCurrent && req.Period == nil:
		return apperr.Field("period", "required", "a reached funnel needs the period its deals were created in")
	case req.Mode != ModeCurrent && req.AsOf != "":
		return apperr.Field(prefix+"as_of", "not_allowed", "as_of applies to mode current only")
	case req.Mode == ModeCurrent && req.WindowDays != 0:
		return apperr.Field(prefix+"window_days", "not_allowed", "window_days applies to mode reached only")
	case req.WindowDays < 0 || req.WindowDays > maxWindowDays:
		return apperr.Field(prefix+"window_days", "out_of_range", "window_days is 0 (none) to 3650")
	}
	if req.Breakdown != "" {
		if _, err := funnelBreakdown(req.Breakdown, prefix+"breakdown"); err != nil {
			return err
		}
	}
	if req.Period == nil {
		return nil
	}
	if f := req.Period.Field; f != "" && f != "created_at" {
		return apperr.Field("period.field", "not_allowed", "a funnel's period is always its deals' creation date; leave field out")
	}
	_, err := req.Period.Resolve(kindValidationNow, "period")
	return err
}

// planFunnel validates req for p and resolves it against the clock and
// the pipeline's current stages; prefix is prepended to field names.
func (e *Engine) planFunnel(ctx context.Context, p domain.Principal, req FunnelRequest, prefix string) (*funnelPlan, error) {
	if err := checkFunnel(req, prefix); err != nil {
		return nil, err
	}
	plan := &funnelPlan{mode: req.Mode, now: e.now().UTC(), window: req.WindowDays}
	if plan.mode == "" {
		plan.mode = ModeReached
	}
	period := Period{}
	if req.Period != nil {
		period = *req.Period
	}
	loc, err := period.Location("period")
	if err != nil {
		return nil, err
	}
	if err := plan.resolveTimes(req, period, loc, prefix); err != nil {
		return nil, err
	}
	if plan.breakdown, err = funnelBreakdown(req.Breakdown, prefix+"breakdown"); err != nil {
		return nil, err
	}
	if plan.meta, err = loadPipeline(ctx, e.CH, req.Pipeline, prefix+"pipeline"); err != nil {
		return nil, err
	}
	access, err := e.Access(p).Deals("id", "responsible_id")
	if err != nil {
		return nil, err
	}
	plan.set = dealSet{db: e.CH, pipelineID: plan.meta.ID, from: plan.from, to: plan.to, access: access}
	if plan.mode == ModeCurrent {
		plan.set.to = plan.asOf.Add(time.Second) // created at or before as_of
		if !plan.to.IsZero() && plan.to.Before(plan.set.to) {
			plan.set.to = plan.to
		}
	}
	if plan.breakdown != nil {
		plan.set.key, plan.set.joins = plan.breakdown.Expr, plan.breakdown.Joins
	}
	return plan, nil
}

// resolveTimes resolves the period (when given) and, in current mode,
// as_of: a date means the end of that day in loc, default now.
func (plan *funnelPlan) resolveTimes(req FunnelRequest, period Period, loc *time.Location, prefix string) error {
	if req.Period != nil {
		r, err := period.Resolve(plan.now, "period")
		if err != nil {
			return err
		}
		plan.from, plan.to = r.From, r.To
	}
	if plan.mode != ModeCurrent {
		return nil
	}
	plan.asOf = plan.now.Truncate(time.Second)
	if req.AsOf != "" {
		t, isDate, err := parseBound(req.AsOf, loc, prefix+"as_of")
		if err != nil {
			return err
		}
		if isDate {
			t = t.AddDate(0, 0, 1).Add(-time.Second)
		}
		plan.asOf = t.UTC().Truncate(time.Second)
	}
	return nil
}
