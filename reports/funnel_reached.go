package reports

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// reachedSQL counts the cohort by (key, furthest step reached, now lost):
// one pass over the cohort's stage changes grouped by deal → the highest
// step any change entered (within window_days of creation when asked),
// joined to the deals for key, amount and current stage. The current
// stage counts as reached too (a deal is in it), unless a window applies.
func (plan *funnelPlan) reachedSQL() (string, []any, error) {
	ids, steps, kinds := plan.meta.stageArrays()
	cohort, cargs, err := plan.set.rows()
	if err != nil {
		return "", nil, err
	}
	hist, hargs, err := plan.historySQL(ids, steps)
	if err != nil {
		return "", nil, err
	}
	cur, args := "toInt32(transform(stage_id, ?, ?, 0))", []any{ids, kinds, ids, steps}
	if plan.window > 0 {
		cur, args = "toInt32(0)", []any{ids, kinds} // within a window only dated changes count
	}
	q := `SELECT key, toInt32(greatest(cur_step, hist)) AS reached, toUInt8(transform(stage_id, ?, ?, '') = 'lost') AS lost,
       count() AS n, sum(rub) AS amount
FROM (
  SELECT deal_id, key, stage_id, rub, ` + cur + ` AS cur_step
  FROM (` + cohort + `)
)
ANY LEFT JOIN (` + hist + `) USING deal_id
GROUP BY key, reached, lost`
	args = append(args, cargs...)
	return q, append(args, hargs...), nil
}

// historySQL is (deal_id, hist): the highest step each cohort deal's
// changes entered, within the window when one applies.
func (plan *funnelPlan) historySQL(ids []int64, steps []int32) (string, []any, error) {
	idq, idargs, err := plan.set.ids()
	if err != nil {
		return "", nil, err
	}
	sc := chTable(plan.set.db, "stage_changes")
	if plan.window == 0 {
		// No FINAL: a replayed change only repeats a maximum, and stage
		// changes are deleted only with their deal.
		q := `SELECT deal_id, toInt32(max(transform(to_stage_id, ?, ?, 0))) AS hist
  FROM ` + sc + `
  WHERE _deleted = 0 AND deal_id IN (` + idq + `)
  GROUP BY deal_id`
		return q, append([]any{ids, steps}, idargs...), nil
	}
	created, cargs, err := plan.set.created()
	if err != nil {
		return "", nil, err
	}
	q := `SELECT deal_id, toInt32(max(if(changed_at <= addDays(created_at, ?), transform(to_stage_id, ?, ?, 0), 0))) AS hist
  FROM (SELECT deal_id, changed_at, to_stage_id FROM ` + sc + ` WHERE _deleted = 0 AND deal_id IN (` + idq + `))
  ANY INNER JOIN (` + created + `) USING deal_id
  GROUP BY deal_id`
	args := append([]any{plan.window, ids, steps}, idargs...)
	return q, append(args, cargs...), nil
}

// reachedFunnel runs a reached-mode funnel.
func (e *Engine) reachedFunnel(ctx context.Context, plan *funnelPlan) (*Funnel, error) {
	q, args, err := plan.reachedSQL()
	if err != nil {
		return nil, err
	}
	tallies := newTallies(plan)
	start := time.Now()
	rows, err := e.CH.Conn.Query(ctx, q, args...)
	if err != nil {
		return nil, queryError("reached funnel", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var reached int32
		var lost uint8
		var n uint64
		var amount decimal.Decimal
		if err := rows.Scan(&key, &reached, &lost, &n, &amount); err != nil {
			return nil, err
		}
		tallies.reached(key, int(reached), lost == 1, int64(n), amount)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	plan.sqlTime += time.Since(start)
	if err := e.stageHours(ctx, plan, tallies); err != nil {
		return nil, err
	}
	return tallies.funnel(plan), nil
}
