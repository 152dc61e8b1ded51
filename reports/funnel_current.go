package reports

import (
	"context"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
)

// currentSQL rebuilds the snapshot at as_of from the history: each deal
// created by then is in the stage its last change at or before as_of
// entered (ties on the instant broken by change id: the path in
// deal_paths is sorted so, and the last entry at or before as_of is the
// one); per (key, total, stage) the count, the amount and the median
// hours since that entry.
func (plan *funnelPlan) currentSQL() (string, []any, error) {
	cohort, cargs, err := plan.set.rows()
	if err != nil {
		return "", nil, err
	}
	idq, idargs, err := plan.set.ids()
	if err != nil {
		return "", nil, err
	}
	q := `SELECT if(tot = 1, '', key) AS gkey, toUInt8(tot) AS total, stage_at, count() AS n, sum(rub) AS amount,
       ` + exactMedianSQL("secs") + ` / 3600 AS med
FROM (
  SELECT key, rub, stage_at, toInt64(toDateTime(?, 'UTC')) - toInt64(entered) AS secs
  FROM (` + cohort + `) AS cohort_rows
  ANY INNER JOIN (
    SELECT deal_id, stages[k] AS stage_at, times[k] AS entered
    FROM (SELECT deal_id, times, stages, arrayCount(t -> t <= toDateTime(?, 'UTC'), times) AS k
          FROM ` + plan.set.db.Table(olap.DealPathsTable) + ` FINAL
          WHERE deal_id IN (` + idq + `))
    WHERE k > 0
  ) AS stage_rows USING deal_id
)
ARRAY JOIN ? AS tot
GROUP BY gkey, tot, stage_at`
	args := append([]any{plan.asOf.Unix()}, cargs...)
	args = append(args, plan.asOf.Unix())
	args = append(args, idargs...)
	return q, append(args, plan.totalsArg()), nil
}

// currentFunnel runs a current-mode funnel.
func (e *Engine) currentFunnel(ctx context.Context, plan *funnelPlan) (*Funnel, error) {
	q, args, err := plan.currentSQL()
	if err != nil {
		return nil, err
	}
	ft := newTallies(plan)
	start := time.Now()
	rows, err := e.CH.Query(ctx, olap.SQL(q, args...))
	if err != nil {
		return nil, queryError("current funnel", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var total uint8
		var stage int64
		var n uint64
		var amount decimal.Decimal
		var med float64
		if err := rows.Scan(&key, &total, &stage, &n, &amount, &med); err != nil {
			return nil, err
		}
		ft.current(key, total == 1, stage, int64(n), amount)
		if s, ok := plan.meta.byID(stage); ok && s.Kind == domain.KindOpen && !math.IsNaN(med) {
			ft.setHours(key, total == 1, stage, med)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	plan.sqlTime += time.Since(start)
	return ft.funnel(plan), nil
}
