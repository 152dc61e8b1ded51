package kinds

import (
	"context"
	"math"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// currentSQL rebuilds the snapshot at as_of from the history: each deal
// created by then is in the stage its last change at or before as_of
// entered (ties on the instant broken by change id: the path in
// deal_paths is sorted so, and the last entry at or before as_of is the
// one); per (key, total, stage) the count, the amount and the median
// hours since that entry.
func (r *run) currentSQL() olap.Fragment {
	set := r.funnelDeals()
	return olap.Template{Text: `SELECT if(tot = 1, '', key) AS gkey, toUInt8(tot) AS total, stage_at, count() AS n, sum(rub) AS amount,
       ` + exactMedianSQL("secs") + ` / 3600 AS med
FROM (
  SELECT key, rub, stage_at, toInt64(toDateTime({as_of}, 'UTC')) - toInt64(entered) AS secs
  FROM ({cohort}) AS cohort_rows
  ANY INNER JOIN (
    SELECT deal_id, stages[k] AS stage_at, times[k] AS entered
    FROM (SELECT deal_id, times, stages, arrayCount(t -> t <= toDateTime({as_of}, 'UTC'), times) AS k
          FROM ` + r.db.Table(olap.DealPathsTable) + ` FINAL
          WHERE deal_id IN ({ids}))
    WHERE k > 0
  ) AS stage_rows USING deal_id
)
ARRAY JOIN {totals} AS tot
GROUP BY gkey, tot, stage_at`,
		Slots: olap.Slots{"as_of": r.asOf.Unix(), "cohort": set.rows(), "ids": set.ids(), "totals": r.totalsArg()}}
}

// currentFunnel runs a current-mode funnel.
func (r *run) currentFunnel(ctx context.Context) (*reports.Funnel, error) {
	ft := newTallies(r)
	err := r.each(ctx, "current funnel", r.currentSQL(), func(scan func(...any) error) error {
		var key string
		var total uint8
		var stage int64
		var n uint64
		var amount decimal.Decimal
		var med float64
		if err := scan(&key, &total, &stage, &n, &amount, &med); err != nil {
			return err
		}
		ft.current(key, total == 1, stage, int64(n), amount)
		if s, ok := r.meta.byID(stage); ok && s.Kind == domain.KindOpen && !math.IsNaN(med) {
			ft.setHours(key, total == 1, stage, med)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ft.funnel(r), nil
}
