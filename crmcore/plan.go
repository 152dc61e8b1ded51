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

// PlanMetrics are what a plan may set (domain.PlanMetrics).
var PlanMetrics = domain.PlanMetrics

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
// target's value (CheckPlanValue) and that no responsible is named twice.
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
			v.Err = CheckPlanValue(field+".value", in.Metric, *t.Value)
		}
	}
	return month, v.Err
}

// CheckPlanValue is the one rule for a target's value, which the API
// and the plan import both apply: not negative, at most 16 digits and 2
// decimals, a whole number for every metric but won_amount. The error
// names field.
func CheckPlanValue(field, metric string, value domain.Money) error {
	var v check
	switch {
	case value.IsNegative():
		v.fail(field, "out_of_range", "a target cannot be negative")
	case metric != "won_amount" && !value.IsInteger():
		v.fail(field, "not_integer", "a %s target is a whole number", metric)
	case !value.Equal(value.Round(2)) || value.GreaterThanOrEqual(domain.NewMoney("10000000000000000").Decimal):
		v.fail(field, "out_of_range", "a target has at most 16 digits and 2 decimals")
	}
	return v.Err
}

// SetPlans sets (or, with a nil value, removes) the targets of one
// metric, month and pipeline, in one transaction: nothing is stored when
// any target is refused. Directors and admins only; every responsible
// must be a manager. It returns all targets of that metric, month and
// pipeline afterwards; sending the same targets again changes nothing.
func (s *Store) SetPlans(ctx context.Context, p domain.Principal, in PlanSet) ([]Plan, error) {
	return s.setPlans(ctx, p, []PlanSet{in}, "")
}

// maxPlanSets and maxBatchTargets bound one SetPlanSets call (a year of
// a team's plans, every metric, in one request).
const (
	maxPlanSets     = 500
	maxBatchTargets = 20000
)

// SetPlanSets applies several PlanSets as SetPlans does, all in one
// transaction: every set is validated by SetPlans' rules, an error names
// the set (sets[2].targets[0].value) and nothing is stored when any
// target of any set is refused. A responsible may not have two targets
// of one metric, month and pipeline across the sets. It returns all
// targets of each metric, month and pipeline the sets name, in the order
// of their first set; sending the same sets again changes nothing.
func (s *Store) SetPlanSets(ctx context.Context, p domain.Principal, sets []PlanSet) ([]Plan, error) {
	switch n := planTargets(sets); {
	case len(sets) == 0:
		return nil, apperr.Field("sets", "required", "give at least one set of targets")
	case len(sets) > maxPlanSets:
		return nil, apperr.Field("sets", "too_many", fmt.Sprintf("at most %d sets in one request", maxPlanSets))
	case n > maxBatchTargets:
		return nil, apperr.Field("sets", "too_many", fmt.Sprintf("at most %d targets in one request", maxBatchTargets))
	}
	return s.setPlans(ctx, p, sets, "sets")
}

func planTargets(sets []PlanSet) int {
	n := 0
	for _, in := range sets {
		n += len(in.Targets)
	}
	return n
}

// setPlans is SetPlans and SetPlanSets: errors of set i name
// list[i].field (list "": field alone, for one set).
func (s *Store) setPlans(ctx context.Context, p domain.Principal, sets []PlanSet, list string) ([]Plan, error) {
	if !p.CanWriteAll() {
		return nil, apperr.New(apperr.Forbidden, "forbidden", "only a director or an admin sets plans")
	}
	prefix := func(i int) string {
		if list == "" {
			return ""
		}
		return fmt.Sprintf("%s[%d].", list, i)
	}
	months := make([]time.Time, len(sets))
	seen := map[string]bool{} // metric, month, pipeline, responsible across the sets
	for i, in := range sets {
		m, err := in.validate()
		if err != nil {
			return nil, planFieldIn(err, prefix(i))
		}
		months[i] = m
		for j, t := range in.Targets {
			key := fmt.Sprintf("%s %s %v %d", in.Metric, in.Month, planCode(in.Pipeline), t.ResponsibleID)
			if seen[key] {
				return nil, apperr.Field(fmt.Sprintf("%stargets[%d].responsible_id", prefix(i), j), "duplicate",
					fmt.Sprintf("responsible %d has two targets of %s in %s in this request", t.ResponsibleID, in.Metric, in.Month))
			}
			seen[key] = true
		}
	}
	var out []Plan
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		out = nil
		w := planWriter{tx: tx, p: p, now: s.Now(), roles: map[int64]string{}}
		listed := map[string]bool{}
		for i, in := range sets {
			pipelineID, err := w.set(ctx, in, months[i])
			if err != nil {
				return planFieldIn(err, prefix(i))
			}
			key := fmt.Sprintf("%s %s %v", in.Metric, in.Month, planCode(in.Pipeline))
			if listed[key] {
				continue
			}
			listed[key] = true
			plans, err := listPlans(ctx, tx, p, PlanFilter{Metric: in.Metric, Month: in.Month}, pipelineID, true)
			if err != nil {
				return err
			}
			out = append(out, plans...)
		}
		return nil
	})
	return out, pgerr.Translate(err, "plan")
}

// planWriter writes PlanSets in one transaction, reading each
// responsible's role once.
type planWriter struct {
	tx    pgx.Tx
	p     domain.Principal
	now   time.Time
	roles map[int64]string
}

// set writes one validated PlanSet and returns its pipeline's id (nil:
// all pipelines).
func (w planWriter) set(ctx context.Context, in PlanSet, month time.Time) (*int64, error) {
	pipelineID, err := planPipeline(ctx, w.tx, "pipeline", in.Pipeline)
	if err != nil {
		return nil, err
	}
	for i, t := range in.Targets {
		if err := w.manager(ctx, fmt.Sprintf("targets[%d].responsible_id", i), t.ResponsibleID); err != nil {
			return nil, err
		}
		if t.Value == nil {
			if _, err := w.tx.Exec(ctx, `DELETE FROM plans WHERE metric = $1 AND month = $2 AND coalesce(pipeline_id, 0) = coalesce($3, 0) AND responsible_id = $4`,
				in.Metric, month, pipelineID, t.ResponsibleID); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := w.tx.Exec(ctx, `
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at, updated_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (metric, month, (coalesce(pipeline_id, 0)), responsible_id)
DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
WHERE plans.value IS DISTINCT FROM excluded.value`,
			in.Metric, month, pipelineID, t.ResponsibleID, t.Value.Decimal, w.now, w.p.UserID); err != nil {
			return nil, err
		}
	}
	return pipelineID, nil
}

// manager checks that the user id is a manager (field names it).
func (w planWriter) manager(ctx context.Context, field string, id int64) error {
	role, ok := w.roles[id]
	if !ok {
		err := w.tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, id).Scan(&role)
		switch {
		case err == pgx.ErrNoRows:
			return apperr.Field(field, "unknown_user", fmt.Sprintf("no user %d", id))
		case err != nil:
			return err
		}
		w.roles[id] = role
	}
	if role != string(domain.RoleManager) {
		return apperr.Field(field, "not_a_manager", fmt.Sprintf("user %d is a %s: plans are set for managers", id, role))
	}
	return nil
}

// planCode is a set's pipeline code ("" for all pipelines).
func planCode(code *string) string {
	if code == nil {
		return ""
	}
	return "=" + *code
}

// planFieldIn is err with its field under prefix (sets[2].); other
// errors as they are.
func planFieldIn(err error, prefix string) error {
	e := apperr.As(err)
	if e == nil || e.Field == "" || prefix == "" {
		return err
	}
	c := *e
	c.Field = prefix + e.Field
	return &c
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
