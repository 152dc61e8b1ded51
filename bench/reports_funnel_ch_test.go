// The funnel written by hand for ClickHouse: one statement.

package bench

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// chFunnelSQL is the reached funnel by responsible in one pass. Per
// cohort deal: its path — the stage changes as time-ordered arrays, read
// from deal_paths, the per-deal table ingest keeps (ClickHouse 18.16 has
// no window functions; the design figures compare grouping stage_changes
// here instead) — joined to the deal's current stage, responsible and
// rouble amount (rate of its currency on its Moscow creation date, via
// a day-by-day rate table). ARRAY JOIN then yields one row for the deal
// (cell < 0 encodes the furthest step reached r and whether it is lost
// now: -(2r + lost) - 1) and one per stay in an open stage (a finished
// stay in a won one): cell = stage id, secs = its length (until the next
// change, or now). GROUP BY cell, responsible WITH ROLLUP gives each
// responsible's figures and the totals (responsible 0) in the same pass
// (aggregated in one level: 18.16 rolls up each bucket of a two-level
// result on its own, as reports/kinds' oneLevelSettings says);
// the median of a stay length is exact: the mean of the two middle
// values, both from one quantilesExact state (levels 0.5 − 10⁻¹² and 0.5). The names come from a
// second, tiny query: joining them here cost 100 ms (measured). The
// cohort's 500,000 ids make a poor primary-key condition on
// stage_changes (ordered by deal_id): checking every granule against the
// set cost 100 ms more than scanning (measured), hence the setting when
// grouping stage_changes. {…} are filled by chFunnel.
const chFunnelSQL = `
SELECT cell, key, count() AS n, sum(rub) AS amount, {median} / 3600 AS med
FROM (
  SELECT key, rub, stage_id,
         greatest(transform(stage_id, ?, ?, 0), arrayReduce('max', arrayMap(x -> transform(x, ?, ?, 0), stages))) AS r,
         arrayMap(x -> toInt64(x), times) AS ts,
         arrayMap((a, b) -> toUInt32(greatest(0, b - a)), ts, arrayResize(arrayPushBack(arrayPopFront(ts), toInt64(?)), length(stages))) AS durs,
         arrayResize(arrayPushBack(arrayMap(x -> toUInt8(1), arrayPopFront(stages)), toUInt8(0)), length(stages)) AS ends,
         stages
  FROM ({paths}) AS path_rows
  ANY RIGHT JOIN ({cohort}) AS cohort_rows USING deal_id
)
ARRAY JOIN arrayPushFront(arrayMap(x -> toInt32(x), stages), toInt32(-(2 * r + toInt64(transform(stage_id, ?, ?, '') = 'lost')) - 1)) AS cell,
           arrayPushFront(durs, toUInt32(0)) AS secs, arrayPushFront(ends, toUInt8(0)) AS ended
WHERE cell < 0 OR transform(cell, ?, ?, '') = 'open' OR (ended = 1 AND transform(cell, ?, ?, '') = 'won')
GROUP BY cell, key WITH ROLLUP
SETTINGS group_by_two_level_threshold = 0, group_by_two_level_threshold_bytes = 0`

// chPaths is each cohort deal's path from deal_paths.
const chPaths = `SELECT deal_id, times, stages FROM {db}.deal_paths FINAL WHERE deal_id IN ({ids})`

// chGroupedPaths is the same computed from stage_changes in the query.
const chGroupedPaths = `
      SELECT deal_id, arrayMap(x -> x.1, h) AS times, arrayMap(x -> x.3, h) AS stages
      FROM (SELECT deal_id, arraySort({agg}((changed_at, id, to_stage_id))) AS h
      FROM {db}.{stage_changes}
      WHERE _deleted = 0 AND deal_id IN ({ids})
      GROUP BY deal_id)`

// chCohortIDs are the ids of the cohort's deals.
const chCohortIDs = `SELECT id FROM {db}.deals FINAL
        WHERE _deleted = 0 AND pipeline_id = ? AND created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC')`

// chCohort is the cohort's deals: key (the responsible), current stage,
// rouble amount.
const chCohort = `
      SELECT deal_id, key, stage_id, {rub} AS rub
      FROM (
        SELECT id AS deal_id, responsible_id AS key, stage_id, amount, currency, toDate(created_at, 'Europe/Moscow') AS rate_date
        FROM {db}.deals FINAL
        WHERE _deleted = 0 AND pipeline_id = ? AND created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC'))
      {rates}`

// chRubSQL is a deal's amount in roubles after the rate join, half up to
// the kopeck.
const chRubSQL = "toDecimal128(toDecimal128(amount, 2) * toDecimal128(if(rate = '', '0', rate), 8) + toDecimal128('0.005', 3), 2)"

// chRateDays is (currency, rate_date, rate as text) for every day of
// the span, from the currency_rates history: ClickHouse 18.16 has no
// ASOF JOIN (and crashes on arrays of Decimal128, hence the text).
const chRateDays = `
  SELECT code AS currency, toDate(greatest(f, toDate(?)) + k) AS rate_date, r AS rate
  FROM (
    SELECT code, h[i].1 AS f, h[i].2 AS r, if(i < length(h), h[i + 1].1, toDate(?)) AS e
    FROM (SELECT code, arraySort(groupArray((valid_from, toString(rate)))) AS h
          FROM {db}.currency_rates FINAL WHERE _deleted = 0 GROUP BY code)
    ARRAY JOIN arrayEnumerate(h) AS i)
  ARRAY JOIN range(toUInt32(greatest(0, toInt32(least(e, toDate(?))) - toInt32(greatest(f, toDate(?)))))) AS k`

// chFunnelOptions vary the hand-written funnel for the design figures;
// the zero value is the query raced against Voronka.
type chFunnelOptions struct {
	group        bool   // group stage_changes per deal in the query instead of reading deal_paths
	stageChanges string // with group: table read, stage_changes (default) or a copy
	final        bool   // with group: read stage_changes FINAL (with groupArray)
	noDedup      bool   // with group: groupArray without FINAL: wrong once a change is replayed
	noRub        bool   // sum the amounts unconverted (no rate join)
	approxMedian bool   // quantile(0.5): samples 8,192 values per group
	twoStates    bool   // the exact median from two quantileExact states, of secs and of -secs
	inUsesIndex  bool   // with group: let deal_id IN (cohort) consult the primary key
}

// chFunnel is the statement and its arguments.
func (f *reportsFixture) chFunnel(m funnelStages, o chFunnelOptions) (string, []any) {
	from, to := f.from.Unix(), f.to.Unix()
	paths, agg, sc := chPaths, "groupUniqArray", "stage_changes"
	if o.group {
		paths = chGroupedPaths
		switch {
		case o.final:
			agg, sc = "groupArray", "stage_changes FINAL"
		case o.noDedup:
			agg = "groupArray"
		}
		if o.stageChanges != "" {
			sc = o.stageChanges
		}
	}
	median, rub, rates := "arraySum(quantilesExact(0.499999999999, 0.5)(secs)) / 2", chRubSQL, "ANY LEFT JOIN ("+chRateDays+") USING currency, rate_date"
	if o.twoStates {
		median = "(quantileExact(0.5)(secs) - quantileExact(0.5)(-secs)) / 2"
	}
	if o.approxMedian {
		median = "quantile(0.5)(secs)"
	}
	args := []any{m.ids, m.steps, m.ids, m.steps, reportsBenchNow.Unix(), m.pipeline, from, to, m.pipeline, from, to}
	if o.noRub {
		rub, rates = "toDecimal128(amount, 2)", ""
	} else {
		lo, hi := f.rateSpanDays()
		args = append(args, lo, hi, hi, lo)
	}
	q := strings.NewReplacer("{paths}", paths, "{cohort}", chCohort, "{median}", median).Replace(chFunnelSQL)
	q = strings.NewReplacer("{ids}", chCohortIDs, "{agg}", agg, "{stage_changes}", sc, "{rub}", rub, "{rates}", rates).Replace(q)
	q = strings.ReplaceAll(q, "{db}", f.ch.Database)
	if o.group && !o.inUsesIndex {
		q += "\nSETTINGS use_index_for_in_with_subqueries = 0"
	}
	return q, append(args, m.ids, m.kinds, m.ids, m.kinds, m.ids, m.kinds)
}

// rateSpanDays are the Moscow dates the rate table must cover for deals
// created in [from, to): from's date to the day after to's.
func (f *reportsFixture) rateSpanDays() (string, string) {
	return f.from.In(moscow).Format("2006-01-02"), f.to.In(moscow).AddDate(0, 0, 1).Format("2006-01-02")
}

// clickhouseFunnel runs the hand-written funnel, names the
// responsibles, and adds the rows up into the answer (a deal whose
// furthest step is r counts at steps 1..r).
func (f *reportsFixture) clickhouseFunnel(ctx context.Context, m funnelStages, o chFunnelOptions) (figures, error) {
	q, args := f.chFunnel(m, o)
	rows, err := f.ch.DB.Query(ctx, olap.SQL(q, args...))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type row struct {
		cell   int32
		key    int64
		n      uint64
		amount decimal.Decimal
		med    float64
	}
	var all []row
	var keys []int64
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.cell, &r.key, &r.n, &r.amount, &r.med); err != nil {
			return nil, err
		}
		all, keys = append(all, r), append(keys, r.key)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := f.userNames(ctx, keys)
	if err != nil {
		return nil, err
	}
	fig, steps := figures{}, m.stepCodes()
	for _, r := range all {
		group := ""
		if r.key != 0 {
			group = strconv.FormatInt(r.key, 10) + " " + names[r.key]
		}
		switch {
		case r.cell > 0 && !math.IsNaN(r.med):
			fig.set(group, m.code(int64(r.cell)), "median_hours", strconv.FormatFloat(r.med, 'f', 2, 64))
		case r.cell < 0:
			fig.reached(group, steps, int((-r.cell-1)/2), (-r.cell-1)%2 == 1, int64(r.n), r.amount)
		}
	}
	return fig, nil
}

// reached adds n deals (amount amt) whose furthest step is r: they count
// at steps 1..r, and as lost at step r when lost.
func (fg figures) reached(group string, steps []string, r int, lost bool, n int64, amt decimal.Decimal) {
	for i := 0; i < r && i < len(steps); i++ {
		fg.add(group, steps[i], "count", n)
		fg.addMoney(group, steps[i], "amount", amt)
	}
	if lost && r > 0 {
		fg.add(group, steps[r-1], "lost", n)
		fg.addMoney(group, steps[r-1], "lost_amount", amt)
	}
}
