package kinds

import (
	"context"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// reachedSQL is the whole reached funnel in one statement, one scan of
// deal_facts. Per cohort deal: its key, current stage, rouble amount and
// path (the stage changes as time-ordered arrays; ClickHouse 18.16 has
// no window functions), all kept per deal by ingest. ARRAY JOIN then
// yields one row for the deal — cell < 0 encodes the furthest step r it
// reached and whether it is lost now, as -(2r + lost) - 1 — and one row
// per stay that counts for the median hours (in an open stage, or a
// finished one in a won stage): cell = the stage id, secs = its length.
// Grouped by (cell, key); under a breakdown WITH ROLLUP, so that the
// same pass yields the whole funnel's medians (an empty gkey there; real
// keys carry a '#' prefix; cell 0 is the grand total row, skipped), in
// one-level aggregation (oneLevelSettings).
//
// r is the highest step among the deal's current stage and every stage
// its changes entered; with window_days only changes within that many
// days of creation count, the current stage not. Stay lengths are
// UInt32 seconds and cells Int32 (a stage id or a small code): narrower
// than Int64, they made the statement 9% cheaper in CPU on 1 M deals,
// with the same answer. Measured on 1 M deals
// (BENCHMARKS.md, "Reports"): 1.75× faster than counting and timing the
// stays in two statements, which scanned and joined everything twice;
// reading deal_paths instead of grouping stage_changes in the query
// saved a further third; reading deal_facts instead of joining deals,
// the rates and deal_paths made it 1.8× cheaper again (BENCHMARKS.md,
// "Fresh answers").
func (r *run) reachedSQL() olap.Fragment {
	ids, steps, kinds := r.meta.stageArrays()
	set := r.funnelDeals()
	group := "GROUP BY cell, gkey"
	if r.breakdown != nil {
		group += " WITH ROLLUP\n" + oneLevelSettings
	}
	return olap.Template{Text: `SELECT cell, gkey, count() AS n, sum(rub) AS amount, ` + exactMedianSQL("secs") + ` / 3600 AS med
FROM (
  SELECT concat('#', key) AS gkey, rub, stage_id, {reached} AS r,
         arrayMap(x -> toInt64(x), times) AS ts,
         arrayMap((a, b) -> toUInt32(greatest(0, b - a)), ts, arrayResize(arrayPushBack(arrayPopFront(ts), toInt64({now})), length(stages))) AS durs,
         arrayResize(arrayPushBack(arrayMap(x -> toUInt8(1), arrayPopFront(stages)), toUInt8(0)), length(stages)) AS ends,
         stages
  FROM ({cohort}) AS cohort_rows
)
ARRAY JOIN arrayPushFront(arrayMap(x -> toInt32(x), stages), toInt32(-(2 * r + toInt64(transform(stage_id, {ids}, {kinds}, '') = 'lost')) - 1)) AS cell,
           arrayPushFront(durs, toUInt32(0)) AS secs, arrayPushFront(ends, toUInt8(0)) AS ended
WHERE cell < 0 OR transform(cell, {ids}, {kinds}, '') = 'open' OR (ended = 1 AND transform(cell, {ids}, {kinds}, '') = 'won')
` + group,
		Slots: olap.Slots{"reached": r.reachedExpr(ids, steps), "now": r.now.Unix(),
			"cohort": set.rows("times", "stages"), "ids": ids, "kinds": kinds}}
}

// oneLevelSettings keep a WITH ROLLUP statement's aggregation one-level.
// 18.16 rolls up each block of the aggregated result on its own; when
// the aggregation turns two-level (parallel inputs past a size, as on
// the cluster after a backlog) the result comes in buckets, and the
// rollup returns one partial total per bucket — the whole funnel's
// medians from a fraction of the stays (TestFunnelTwoLevelAggregation).
// The funnel's groups are few (stages × keys), so one level costs
// nothing; joining each stay once more under an empty key instead gave
// the same answer 1.6× slower (BENCHMARKS.md, "A ClickHouse cluster").
// Current releases roll up the whole result and accept the clause.
const oneLevelSettings = "SETTINGS group_by_two_level_threshold = 0, group_by_two_level_threshold_bytes = 0"

// reachedExpr is the furthest step a joined row (times, stages,
// stage_id, created_at) reached, as Int64.
func (r *run) reachedExpr(ids []int64, steps []int32) olap.Fragment {
	if r.window > 0 { // within a window only dated changes count
		return olap.Template{Text: `toInt64(arrayReduce('max', arrayMap((t, s, lim) -> if(t <= lim, transform(s, {ids}, {steps}, 0), 0), times, stages,
           arrayResize([addDays(created_at, {window})], length(stages), addDays(created_at, {window})))))`,
			Slots: olap.Slots{"ids": ids, "steps": steps, "window": r.window}}
	}
	return olap.Template{Text: `toInt64(greatest(transform(stage_id, {ids}, {steps}, 0), arrayReduce('max', arrayMap(x -> transform(x, {ids}, {steps}, 0), stages))))`,
		Slots: olap.Slots{"ids": ids, "steps": steps}}
}

// exactMedianSQL is the exact median of an integer expression x: the
// mean of the two middle values, both from one quantilesExact state.
// quantileExact(level) is the element at floor(level·n) of the sorted
// values (0-based): level 0.5 gives the upper middle one, and a level a
// hair below it (0.5 − 10⁻¹²) the lower middle one for an even n and the
// same one for an odd n, for any n below 5·10¹¹. quantile(0.5) samples
// 8,192 values and was measured up to 2.6% off on 1 M deals; two
// quantileExact states (of x and of −x) cost 13% more CPU than one
// quantilesExact (measured on the 1 M-deal funnel).
func exactMedianSQL(x string) string {
	return "arraySum(quantilesExact(0.499999999999, 0.5)(" + x + ")) / 2"
}

// reachedFunnel runs a reached-mode funnel.
func (r *run) reachedFunnel(ctx context.Context) (*reports.Funnel, error) {
	tallies := newTallies(r)
	err := r.each(ctx, "reached funnel", r.reachedSQL(), func(scan func(...any) error) error {
		var cell int32
		var gkey string
		var n uint64
		var amount decimal.Decimal
		var med float64
		if err := scan(&cell, &gkey, &n, &amount, &med); err != nil {
			return err
		}
		tallies.reachedRow(int64(cell), gkey, r.breakdown == nil, int64(n), amount, med)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tallies.funnel(r), nil
}

// reachedRow adds one row of reachedSQL: a deal cell of a key (the
// rollup's totals of deal cells are skipped: reached adds every key's
// deals to the whole funnel too), or a stage's median stay for a key
// or, when gkey is "" or there is no breakdown, for the whole funnel.
func (ft *funnelTallies) reachedRow(cell int64, gkey string, whole bool, n int64, amount decimal.Decimal, med float64) {
	key, total := strings.TrimPrefix(gkey, "#"), whole || gkey == ""
	switch {
	case cell < 0 && (whole || !total):
		c := -cell - 1
		ft.reached(key, int(c/2), c%2 == 1, n, amount)
	case cell > 0 && !math.IsNaN(med):
		ft.setHours(key, total, cell, med)
	}
}

// currentSQL rebuilds the snapshot at as_of from the history: each deal
// created by then is in the stage its last change at or before as_of
// entered (ties on the instant broken by change id: the path in
// deal_facts is sorted so, and the last entry at or before as_of is the
// one); per (key, total, stage) the count, the amount and the median
// hours since that entry.
func (r *run) currentSQL() olap.Fragment {
	set := r.funnelDeals()
	return olap.Template{Text: `SELECT if(tot = 1, '', key) AS gkey, toUInt8(tot) AS total, stage_at, count() AS n, sum(rub) AS amount,
       ` + exactMedianSQL("secs") + ` / 3600 AS med
FROM (
  SELECT key, rub, stages[k] AS stage_at, toInt64(toDateTime({as_of}, 'UTC')) - toInt64(times[k]) AS secs
  FROM (SELECT key, rub, times, stages, arrayCount(t -> t <= toDateTime({as_of}, 'UTC'), times) AS k
        FROM ({cohort}) AS cohort_rows)
  WHERE k > 0
)
ARRAY JOIN {totals} AS tot
GROUP BY gkey, tot, stage_at`,
		Slots: olap.Slots{"as_of": r.asOf.Unix(), "cohort": set.rows("times", "stages"), "totals": r.totalsArg()}}
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
