package pages

import (
	"strconv"

	"github.com/voronka/voronka/reports"
)

// weightedPipeline sums the weighted amount of the open stage groups of
// a stage_percentages result (won, paused and lost are not pipeline).
func weightedPipeline(res *reports.Result) (string, bool) {
	if res == nil {
		return "", false
	}
	key := "weighted_amount"
	if colIndex(res, key) < 0 {
		key = "weighted_amount_sum" // the per-manager grouped report
	}
	kind, w := colIndex(res, "stage_kind"), colIndex(res, key)
	if kind < 0 || w < 0 {
		return "", false
	}
	vals := values(res, key)
	var sum float64
	for i, r := range res.Rows {
		if cellText(r[kind]) == "open" {
			sum += vals[i]
		}
	}
	return strconv.FormatFloat(sum, 'f', 2, 64), true
}
