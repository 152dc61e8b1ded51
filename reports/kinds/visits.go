package kinds

import (
	"time"

	"github.com/voronka/voronka/olap"
)

// visitsSQL pairs every stage change of the deals in idq with the same
// deal's next change (ClickHouse 18.16 has no window functions: the
// deal's path from deal_paths — its changes de-duplicated, in time
// order — is walked by index). One row per visit: deal_id, stage,
// entered, secs (until the next change, or until now for the visit
// still going on), ended (1 when a next change exists), next_stage (0
// when none).
func visitsSQL(names olap.Names, ids olap.Fragment, now time.Time) olap.Fragment {
	return olap.Template{Text: `SELECT deal_id, ids[i] AS change_id, stages[i] AS stage, times[i] AS entered,
       greatest(0, toInt64(if(i < length(stages), times[i + 1], toDateTime({now}, 'UTC'))) - toInt64(times[i])) AS secs,
       toUInt8(i < length(stages)) AS ended, if(i < length(stages), stages[i + 1], toInt64(0)) AS next_stage
FROM (SELECT deal_id, times, ids, stages FROM ` + names.Table(olap.DealPathsTable) + ` FINAL WHERE deal_id IN ({ids}))
ARRAY JOIN arrayEnumerate(stages) AS i`, Slots: olap.Slots{"now": now.Unix(), "ids": ids}}
}

// exactQuantileSQL is percentile_cont(p) of a sorted array expression
// (linear interpolation between the order statistics around p·(n−1)),
// NaN for an empty array: exact where quantile() samples and
// quantileExact() does not interpolate.
func exactQuantileSQL(sorted, p string) string {
	h := "(" + p + " * (length(" + sorted + ") - 1))"
	at := func(idx string) string { return sorted + "[toUInt64(" + idx + "(" + h + ")) + 1]" }
	return "if(length(" + sorted + ") = 0, nan, " + at("floor") + " + (" + h + " - floor(" + h + ")) * (" + at("ceil") + " - " + at("floor") + "))"
}

// totalsArg is the bound array a query ARRAY JOINs as `total` to compute
// each figure for the whole (total = 1) and per breakdown key (total = 0)
// in one pass.
func (plan *run) totalsArg() []int16 {
	if plan.breakdown == nil {
		return []int16{1}
	}
	return []int16{0, 1}
}
