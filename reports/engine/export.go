package engine

import (
	"context"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// Export runs def for p and streams its rows to sink. A grouped report
// without a pivot reads straight from ClickHouse block by block, every
// row up to the definition's explicit limit (MaxExportRows when it names
// none: an export is the whole answer, not the first screen); the other
// kinds and pivots are bounded, run as Run runs them and are handed over
// row by row. The Result holds the columns, totals and meta, not the
// rows. Access is p's, as in Run.
func (e *Engine) Export(ctx context.Context, p domain.Principal, def *reports.Definition, sink reports.RowSink) (*reports.Result, error) {
	plan, err := kinds.PlanReport(def, p, e.now())
	if err != nil {
		return nil, err
	}
	if s, ok := plan.(kinds.Streamer); ok && s.Streams() && def.Compare == "" {
		return s.Stream(ctx, e.CH, sink)
	}
	var res *reports.Result
	if def.Compare != "" { // both periods, set side by side
		res, err = e.runCompared(ctx, p, def)
	} else {
		res, err = plan.Run(ctx, e.CH)
	}
	if err != nil {
		return nil, err
	}
	if err := sink.Begin(res.Columns, res.Meta); err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		if err := sink.Row(row); err != nil {
			return nil, err
		}
	}
	res.Rows = nil
	return res, nil
}

// PivotData is the long form of a pivot report: the same definition
// without the pivot (its column dimensions added as plain dimensions),
// every cell a row (up to MaxLimit), for a data sheet a spreadsheet pivot
// table re-slices. cols are the indexes of the pivot's column
// dimensions in the result, in the order the pivot names them.
func (e *Engine) PivotData(ctx context.Context, p domain.Principal, def *reports.Definition) (res *reports.Result, cols []int, err error) {
	flat, cols, err := compile.LongForm(def, e.now())
	if err != nil {
		return nil, nil, err
	}
	res, err = e.Run(ctx, p, flat)
	return res, cols, err
}
