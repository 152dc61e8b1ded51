package reports

import "fmt"

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

// queryError wraps a ClickHouse failure with what was being computed.
func queryError(what string, err error) error { return fmt.Errorf("%s: clickhouse: %w", what, err) }
