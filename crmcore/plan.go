package crmcore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// PlanMetrics are what a plan may set, each counted in a calendar month
// in Moscow time (../shared/API.md, "Plans and forecasts"): roubles and
// number of deals won, deals created, calls and meetings done.
var PlanMetrics = []string{"won_amount", "won_count", "new_deals", "calls", "meetings"}

// Plan is one target: a metric's value for a responsible manager in a
// month, for one pipeline or (Pipeline nil) all of them.
type Plan struct {
	Metric        string       `json:"metric"`
	Month         string       `json:"month"` // YYYY-MM
	Pipeline      *string      `json:"pipeline"`
	ResponsibleID int64        `json:"responsible_id"`
	Value         domain.Money `json:"value"`
}

// PlanSet is the input of SetPlans: targets of one metric, month and
// pipeline; a nil Value removes that responsible's target.
type PlanSet struct {
	Metric   string       `json:"metric"`
	Month    string       `json:"month"`
	Pipeline *string      `json:"pipeline,omitempty"`
	Targets  []PlanTarget `json:"targets"`
}

// PlanTarget is one responsible's target in a PlanSet.
type PlanTarget struct {
	ResponsibleID int64         `json:"responsible_id"`
	Value         *domain.Money `json:"value"`
}

// PlanFilter selects plans; empty fields select all.
type PlanFilter struct {
	Metric, Month, Pipeline string
}

// maxPlanTargets bounds one PlanSet (a team's month in one request).
const maxPlanTargets = 1000

// planMonth parses a plan month, YYYY-MM, to its first day.
func planMonth(field, s string) (time.Time, error) {
	m, err := time.Parse("2006-01", s)
	if err != nil || m.Format("2006-01") != s {
		return time.Time{}, apperr.Field(field, "invalid_month", fmt.Sprintf("%q is not a month: want YYYY-MM", s))
	}
	return m, nil
}

// validate checks what needs no database: the metric, the month, each
// target's value (not negative; a whole number for the count metrics)
// and that no responsible is named twice.
func (in PlanSet) validate() (time.Time, error) {
	var v check
	v.oneOf("metric", in.Metric, PlanMetrics...)
	if v.Err != nil {
		return time.Time{}, v.Err
	}
	month, err := planMonth("month", in.Month)
	if err != nil {
		return time.Time{}, err
	}
	if len(in.Targets) > maxPlanTargets {
		return time.Time{}, apperr.Field("targets", "too_many", fmt.Sprintf("at most %d targets in one request", maxPlanTargets))
	}
	seen := map[int64]bool{}
	for i, t := range in.Targets {
		field := fmt.Sprintf("targets[%d]", i)
		v.id(field+".responsible_id", t.ResponsibleID, true)
		if v.Err == nil && seen[t.ResponsibleID] {
			v.fail(field+".responsible_id", "duplicate", "responsible %d has two targets in this request", t.ResponsibleID)
		}
		seen[t.ResponsibleID] = true
		if t.Value != nil && v.Err == nil {
			switch {
			case t.Value.IsNegative():
				v.fail(field+".value", "out_of_range", "a target cannot be negative")
			case in.Metric != "won_amount" && !t.Value.IsInteger():
				v.fail(field+".value", "not_integer", "a %s target is a whole number", in.Metric)
			case t.Value.Exponent() < -2 || t.Value.GreaterThanOrEqual(domain.NewMoney("10000000000000000").Decimal):
				v.fail(field+".value", "out_of_range", "a target has at most 16 digits and 2 decimals")
			}
		}
	}
	return month, v.Err
}

// SetPlans sets (or, with a nil value, removes) the targets of one
// metric, month and pipeline, in one transaction: nothing is stored when
// any target is refused. Directors and admins only; every responsible
// must be a manager. It returns all targets of that metric, month and
// pipeline afterwards; sending the same targets again changes nothing.
func (s *Store) SetPlans(ctx context.Context, p domain.Principal, in PlanSet) ([]Plan, error) {
	if !p.CanWriteAll() {
		return nil, apperr.New(apperr.Forbidden, "forbidden", "only a director or an admin sets plans")
	}
	month, err := in.validate()
	if err != nil {
		return nil, err
	}
	var out []Plan
	err = inTx(ctx, s.db, func(tx pgx.Tx) error {
		pipelineID, err := planPipeline(ctx, tx, "pipeline", in.Pipeline)
		if err != nil {
			return err
		}
		for i, t := range in.Targets {
			var role string
			err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, t.ResponsibleID).Scan(&role)
			field := fmt.Sprintf("targets[%d].responsible_id", i)
			switch {
			case err == pgx.ErrNoRows:
				return apperr.Field(field, "unknown_user", fmt.Sprintf("no user %d", t.ResponsibleID))
			case err != nil:
				return err
			case role != string(domain.RoleManager):
				return apperr.Field(field, "not_a_manager", fmt.Sprintf("user %d is a %s: plans are set for managers", t.ResponsibleID, role))
			}
			if t.Value == nil {
				if _, err := tx.Exec(ctx, `DELETE FROM plans WHERE metric = $1 AND month = $2 AND coalesce(pipeline_id, 0) = coalesce($3, 0) AND responsible_id = $4`,
					in.Metric, month, pipelineID, t.ResponsibleID); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at, updated_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (metric, month, (coalesce(pipeline_id, 0)), responsible_id)
DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
WHERE plans.value IS DISTINCT FROM excluded.value`,
				in.Metric, month, pipelineID, t.ResponsibleID, t.Value.Decimal, s.Now(), p.UserID); err != nil {
				return err
			}
		}
		out, err = listPlans(ctx, tx, p, PlanFilter{Metric: in.Metric, Month: in.Month}, pipelineID, true)
		return err
	})
	return out, pgerr.Translate(err, "plan")
}

// ListPlans returns the plans f selects, by month, metric, pipeline and
// responsible; a manager sees their own targets only.
func (s *Store) ListPlans(ctx context.Context, p domain.Principal, f PlanFilter) ([]Plan, error) {
	var v check
	if f.Metric != "" {
		v.oneOf("metric", f.Metric, PlanMetrics...)
	}
	if v.Err != nil {
		return nil, v.Err
	}
	if f.Month != "" {
		if _, err := planMonth("month", f.Month); err != nil {
			return nil, err
		}
	}
	var pipelineID *int64
	if f.Pipeline != "" {
		id, err := planPipeline(ctx, s.db, "pipeline", &f.Pipeline)
		if err != nil {
			return nil, err
		}
		pipelineID = id
	}
	out, err := listPlans(ctx, s.db, p, f, pipelineID, f.Pipeline != "")
	return out, pgerr.Translate(err, "plans")
}

// listPlans reads plans; with byPipeline only those of pipelineID (nil:
// the plans for all pipelines).
func listPlans(ctx context.Context, q Querier, p domain.Principal, f PlanFilter, pipelineID *int64, byPipeline bool) ([]Plan, error) {
	var month *time.Time
	if f.Month != "" {
		m, _ := planMonth("month", f.Month)
		month = &m
	}
	var own *int64
	if !p.SeesAll() {
		own = &p.UserID
	}
	rows, err := q.Query(ctx, `
SELECT pl.metric, to_char(pl.month, 'YYYY-MM'), pi.code, pl.responsible_id, pl.value
FROM plans pl LEFT JOIN pipelines pi ON pi.id = pl.pipeline_id
WHERE ($1 = '' OR pl.metric = $1) AND ($2::date IS NULL OR pl.month = $2)
  AND (NOT $3 OR coalesce(pl.pipeline_id, 0) = coalesce($4, 0))
  AND ($5::bigint IS NULL OR pl.responsible_id = $5)
ORDER BY pl.month, pl.metric, pi.code NULLS FIRST, pl.responsible_id`, f.Metric, month, byPipeline, pipelineID, own)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Plan, error) {
		var x Plan
		err := r.Scan(&x.Metric, &x.Month, &x.Pipeline, &x.ResponsibleID, &x.Value.Decimal)
		return x, err
	})
}

// planPipeline resolves a pipeline code (nil: all pipelines, nil id).
func planPipeline(ctx context.Context, q Querier, field string, code *string) (*int64, error) {
	if code == nil {
		return nil, nil
	}
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM pipelines WHERE code = $1`, *code).Scan(&id)
	if err == pgx.ErrNoRows {
		return nil, apperr.Field(field, "unknown_pipeline", fmt.Sprintf("no pipeline %q", *code))
	}
	return &id, err
}
