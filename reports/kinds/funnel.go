package kinds

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// FunnelPlan is a validated funnel request resolved against the clock,
// for one principal: what Funnel runs. Planning needs no database; the
// pipeline's stages are read when it runs.
type FunnelPlan struct{ sc *scope }

// maxWindowDays bounds window_days (ten years).
const maxWindowDays = 3650

// checkFunnel validates what needs no database; prefix is prepended to
// every field name except period ("params." for the report kind).
func checkFunnel(req reports.FunnelRequest, prefix string) error {
	switch {
	case req.Pipeline == "":
		return apperr.Field(prefix+"pipeline", "required", "name a deal pipeline by its code, e.g. sales")
	case req.Mode != "" && req.Mode != reports.ModeReached && req.Mode != reports.ModeCurrent:
		return &apperr.Error{Kind: apperr.Invalid, Code: "unknown_mode", Field: prefix + "mode",
			Message: "mode is reached or current", Details: map[string]any{"allowed": []string{reports.ModeReached, reports.ModeCurrent}}}
	case req.Mode != reports.ModeCurrent && req.Period == nil:
		return apperr.Field("period", "required", "a reached funnel needs the period its deals were created in")
	case req.Mode != reports.ModeCurrent && req.AsOf != "":
		return apperr.Field(prefix+"as_of", "not_allowed", "as_of applies to mode current only")
	case req.Mode == reports.ModeCurrent && req.WindowDays != 0:
		return apperr.Field(prefix+"window_days", "not_allowed", "window_days applies to mode reached only")
	case req.WindowDays < 0 || req.WindowDays > maxWindowDays:
		return apperr.Field(prefix+"window_days", "out_of_range", "window_days is 0 (none) to 3650")
	}
	if req.Breakdown != "" {
		if _, err := funnelBreakdown(req.Breakdown, prefix+"breakdown"); err != nil {
			return err
		}
	}
	if req.Period != nil && req.Period.Field != "" && req.Period.Field != "created_at" {
		return apperr.Field("period.field", "not_allowed", "a funnel's period is always its deals' creation date; leave field out")
	}
	return nil // the period itself is resolved with the run's clock (resolveFunnelTimes)
}

// PlanFunnel validates req for p and resolves it at now; prefix is
// prepended to field names ("params." for the report kind). Errors are
// 422s naming the request field.
func PlanFunnel(req reports.FunnelRequest, p domain.Principal, now time.Time, prefix string) (*FunnelPlan, error) {
	if err := checkFunnel(req, prefix); err != nil {
		return nil, err
	}
	sc := &scope{p: p, pipeline: req.Pipeline, field: prefix + "pipeline", now: now.UTC(),
		mode: req.Mode, window: req.WindowDays}
	if sc.mode == "" {
		sc.mode = reports.ModeReached
	}
	period := reports.Period{}
	if req.Period != nil {
		period = *req.Period
	}
	loc, err := period.Location("period")
	if err != nil {
		return nil, err
	}
	sc.loc = loc
	if err := sc.resolveFunnelTimes(req, period, loc, prefix); err != nil {
		return nil, err
	}
	if sc.breakdown, err = funnelBreakdown(req.Breakdown, prefix+"breakdown"); err != nil {
		return nil, err
	}
	return &FunnelPlan{sc: sc}, nil
}

// resolveFunnelTimes resolves the period (when given) and, in current
// mode, as_of: a date means the end of that day in loc, default now.
func (sc *scope) resolveFunnelTimes(req reports.FunnelRequest, period reports.Period, loc *time.Location, prefix string) error {
	if req.Period != nil {
		r, err := period.Resolve(sc.now, "period")
		if err != nil {
			return err
		}
		sc.from, sc.to, sc.period = r.From, r.To, true
	}
	if sc.mode != reports.ModeCurrent {
		return nil
	}
	sc.asOf = sc.now.Truncate(time.Second)
	if req.AsOf != "" {
		t, isDate, err := reports.ParseBound(req.AsOf, loc, prefix+"as_of")
		if err != nil {
			return err
		}
		if isDate {
			t = t.AddDate(0, 0, 1).Add(-time.Second)
		}
		if t, err = reports.StoredInstant(t, prefix+"as_of"); err != nil {
			return err
		}
		sc.asOf = t.UTC().Truncate(time.Second)
	}
	return nil
}

// Funnel runs the planned funnel on db in its mode and labels its
// groups; every query ANDs the principal's access condition in.
func (fp *FunnelPlan) Funnel(ctx context.Context, db *olap.DB) (*reports.Funnel, error) {
	start := time.Now()
	r, err := fp.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	var f *reports.Funnel
	if r.mode == reports.ModeCurrent {
		f, err = r.currentFunnel(ctx)
	} else {
		f, err = r.reachedFunnel(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := labelGroups(ctx, db, r.breakdown, f.Breakdown); err != nil {
		return nil, err
	}
	f.Meta = reports.Meta{ElapsedMS: time.Since(start).Milliseconds(), RowCount: len(f.Steps), DataAsOf: r.now,
		From: f.From, To: f.To, SQLMS: r.sqlTime.Milliseconds()}
	return f, nil
}

// funnelDeals is the run's deal set keyed by the breakdown (if any).
func (r *run) funnelDeals() dealSet {
	if b := r.breakdown; b != nil {
		return r.deals(b.Expr, b.Joins)
	}
	return r.deals("", nil)
}
