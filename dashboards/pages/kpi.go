package pages

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// weightedPipeline sums the weighted amount of the open stage groups of
// a stage_percentages result (won, paused and lost are not pipeline), in
// the reader's digits with ₽.
func weightedPipeline(res *reports.Result, lang string) (string, bool) {
	if res == nil {
		return "", false
	}
	kind, w := colIndex(res, "stage_kind"), colIndex(res, "weighted_amount")
	if kind < 0 || w < 0 {
		return "", false
	}
	vals := values(res, "weighted_amount")
	var sum float64
	for i, r := range res.Rows {
		if cellText(r[kind]) == "open" {
			sum += vals[i]
		}
	}
	return cellIn(lang, reports.Column{Type: reports.TypeMoney}, sum), true
}

// personalCounts is the personal dashboard's line of how many deals of
// the period and pipeline are the user's and how many they observe (deals
// they see with another responsible), and whether they have none of
// their own.
func (s *handlers) personalCounts(ctx context.Context, q dashQuery) (string, bool, error) {
	if s.Reports == nil {
		return "", false, nil
	}
	def := reports.Definition{Dataset: "deals", Dimensions: []reports.Dimension{{Field: "responsible"}},
		Measures: []reports.Measure{{Agg: reports.AggCount}},
		Filters:  []reports.Filter{{Field: "pipeline", Op: reports.OpEq, Value: json.RawMessage(strconv.Quote(q.pl))}},
		Period:   q.period(), Lang: q.lang}
	res, err := s.Reports.Run(ctx, q.p, &def)
	if err != nil {
		return "", false, err
	}
	var own, observed int64
	counts := values(res, "count")
	for i, r := range res.Rows {
		if cellText(r[0]) == strconv.FormatInt(q.p.UserID, 10) {
			own += int64(counts[i])
		} else {
			observed += int64(counts[i])
		}
	}
	return fmt.Sprintf(q.t("my_counts"), i18n.Integer(q.lang, own), i18n.Integer(q.lang, observed)), own == 0, nil
}
