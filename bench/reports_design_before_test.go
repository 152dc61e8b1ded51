// The funnel's statements as the engine ran them before the one-pass
// rewrite (commit fc6340c, reports/funnel_reached.go and
// funnel_hours.go), for the before/after figures.

package bench

import (
	"context"
	"strings"

	"github.com/voronka/voronka/olap"
)

// beforeReachedSQL counted the cohort by (key, furthest step, lost):
// the deals with their rouble amounts, joined to the highest step their
// changes entered. Alone, it is also the cheapest counts-only funnel.
const beforeReachedSQL = `
SELECT key, toInt32(greatest(cur_step, hist)) AS reached, toUInt8(transform(stage_id, ?, ?, '') = 'lost') AS lost,
       count() AS n, sum(rub) AS amount
FROM (
  SELECT deal_id, key, stage_id, rub, toInt32(transform(stage_id, ?, ?, 0)) AS cur_step
  FROM (
    SELECT deal_id, key, stage_id, ` + chRubSQL + ` AS rub
    FROM (SELECT id AS deal_id, toString(responsible_id) AS key, stage_id, amount, currency, toDate(created_at, 'Europe/Moscow') AS rate_date
          FROM {db}.deals FINAL
          WHERE _deleted = 0 AND pipeline_id = ? AND created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC'))
    ANY LEFT JOIN (` + chRateDays + `) USING currency, rate_date)
)
ANY LEFT JOIN (
  SELECT deal_id, toInt32(max(transform(to_stage_id, ?, ?, 0))) AS hist
  FROM {db}.stage_changes
  WHERE _deleted = 0 AND deal_id IN (` + chCohortIDs + `)
  GROUP BY deal_id) USING deal_id
GROUP BY key, reached, lost`

// beforeHoursSQL was the median pass: every change of the cohort paired
// with the next one (arrays over stage_changes FINAL), the stays joined
// to the deals' keys, ARRAY JOIN [0, 1] for per-key and whole-funnel
// medians, quantile(0.5).
const beforeHoursSQL = `
SELECT if(tot = 1, '', key) AS gkey, toUInt8(tot) AS total, stage, quantile(0.5)(hours) AS med
FROM (
  SELECT stage, secs / 3600 AS hours, key
  FROM (
    SELECT deal_id, stage, secs
    FROM (
      SELECT deal_id, h[i].3 AS stage, h[i].1 AS entered,
             greatest(0, toInt64(if(i < length(h), h[i + 1].1, toDateTime(?, 'UTC'))) - toInt64(h[i].1)) AS secs,
             toUInt8(i < length(h)) AS ended, if(i < length(h), h[i + 1].3, toInt64(0)) AS next_stage
      FROM (
        SELECT deal_id, arraySort(groupArray((changed_at, id, to_stage_id))) AS h
        FROM {db}.stage_changes FINAL
        WHERE _deleted = 0 AND deal_id IN (` + chCohortIDs + `)
        GROUP BY deal_id)
      ARRAY JOIN arrayEnumerate(h) AS i)
    WHERE transform(stage, ?, ?, '') = 'open' OR (ended = 1 AND transform(stage, ?, ?, '') = 'won'))
  ANY INNER JOIN (SELECT id AS deal_id, toString(responsible_id) AS key FROM {db}.deals FINAL
                  WHERE _deleted = 0 AND pipeline_id = ? AND created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC'))
  USING deal_id)
ARRAY JOIN ? AS tot
GROUP BY gkey, tot, stage`

// engineBefore are the two statements as contestants (each reads all
// its rows; the engine ran them one after the other).
func (f *reportsFixture) engineBefore(m funnelStages) []contestant {
	from, to := f.from.Unix(), f.to.Unix()
	lo, hi := f.rateSpanDays()
	reached := []any{m.ids, m.kinds, m.ids, m.steps, m.pipeline, from, to, lo, hi, hi, lo, m.ids, m.steps, m.pipeline, from, to}
	hours := []any{reportsBenchNow.Unix(), m.pipeline, from, to, m.ids, m.kinds, m.ids, m.kinds, m.pipeline, from, to, []int16{0, 1}}
	runs := envInt("VORONKA_BENCH_RUNS", 7)
	return []contestant{
		{"before_reached", runs, func() error { return f.drain(beforeReachedSQL, reached) }},
		{"before_hours", runs, func() error { return f.drain(beforeHoursSQL, hours) }},
	}
}

// drain runs a statement and reads every row.
func (f *reportsFixture) drain(q string, args []any) error {
	rows, err := f.ch.DB.Query(context.Background(), olap.SQL(strings.ReplaceAll(q, "{db}", f.ch.Database), args...))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}
