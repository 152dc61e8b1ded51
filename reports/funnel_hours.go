package reports

import (
	"context"
	"fmt"
	"math"
	"time"
)

// visitsSQL pairs every stage change of the deals in idq with the same
// deal's next change (ClickHouse 18.16 has no window functions: the
// deal's changes are sorted into an array and walked by index). One row
// per visit: deal_id, stage, entered, secs (until the next change, or
// until nowArg for the visit still going on), ended (1 when a next change
// exists), next_stage (0 when none).
func visitsSQL(sc, idq string) string {
	return `SELECT deal_id, h[i].3 AS stage, h[i].1 AS entered,
       greatest(0, toInt64(if(i < length(h), h[i + 1].1, toDateTime(?, 'UTC'))) - toInt64(h[i].1)) AS secs,
       toUInt8(i < length(h)) AS ended, if(i < length(h), h[i + 1].3, toInt64(0)) AS next_stage
FROM (
  SELECT deal_id, arraySort(groupArray((changed_at, id, to_stage_id))) AS h
  FROM ` + sc + ` FINAL
  WHERE _deleted = 0 AND deal_id IN (` + idq + `)
  GROUP BY deal_id
)
ARRAY JOIN arrayEnumerate(h) AS i`
}

// totalsArg is the bound array a query ARRAY JOINs as `total` to compute
// each figure for the whole (total = 1) and per breakdown key (total = 0)
// in one pass.
func (plan *funnelPlan) totalsArg() []int16 {
	if plan.breakdown == nil {
		return []int16{1}
	}
	return []int16{0, 1}
}

// hoursSQL: per (key, total, stage) the median hours of the cohort's
// stays in the stage (a stay going on counts up to now in an open stage,
// not at all in a won one). Per stay rather than per deal: one pass over
// the paired changes, no second grouping by deal.
func (plan *funnelPlan) hoursSQL() (string, []any, error) {
	ids, _, kinds := plan.meta.stageArrays()
	idq, idargs, err := plan.set.ids()
	if err != nil {
		return "", nil, err
	}
	keyed, kargs, err := plan.withKeys("stage, secs / 3600 AS hours", `SELECT deal_id, stage, secs
    FROM (`+visitsSQL(chTable(plan.set.db, "stage_changes"), idq)+`)
    WHERE transform(stage, ?, ?, '') = 'open' OR (ended = 1 AND transform(stage, ?, ?, '') = 'won')`)
	if err != nil {
		return "", nil, err
	}
	q := `SELECT if(tot = 1, '', key) AS gkey, toUInt8(tot) AS total, stage, quantile(0.5)(hours) AS med
FROM (` + keyed + `)
ARRAY JOIN ? AS tot
GROUP BY gkey, tot, stage`
	args := append([]any{plan.now.Unix()}, idargs...)
	args = append(args, ids, kinds, ids, kinds)
	args = append(args, kargs...)
	return q, append(args, plan.totalsArg()), nil
}

// withKeys selects cols of sub (which has deal_id) and the deal's
// breakdown key: joined from the deals when there is a breakdown,
// an empty key otherwise.
func (plan *funnelPlan) withKeys(cols, sub string) (string, []any, error) {
	return plan.set.withKeys(cols, sub)
}

// stageHours runs hoursSQL into the tallies.
func (e *Engine) stageHours(ctx context.Context, plan *funnelPlan, ft *funnelTallies) error {
	q, args, err := plan.hoursSQL()
	if err != nil {
		return err
	}
	start := time.Now()
	rows, err := e.CH.Conn.Query(ctx, q, args...)
	if err != nil {
		return queryError("funnel hours", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var total uint8
		var stage int64
		var med float64
		if err := rows.Scan(&key, &total, &stage, &med); err != nil {
			return err
		}
		if !math.IsNaN(med) {
			ft.setHours(key, total == 1, stage, med)
		}
	}
	plan.sqlTime += time.Since(start)
	return rows.Err()
}

// queryError wraps a ClickHouse failure with what was being computed.
func queryError(what string, err error) error { return fmt.Errorf("%s: clickhouse: %w", what, err) }
