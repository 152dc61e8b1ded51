package reports

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
)

// MaxExportRows bounds an export of a grouped report that names no
// limit: about five full Excel sheets.
const MaxExportRows = 5_000_000

// exportBlockRows is the block size an export reads ClickHouse in
// (BENCHMARKS.md, "Excel export": the blocks were most of the memory).
const exportBlockRows = 8192

// RowSink receives an export as it streams: the columns and what is known
// of the result before its rows (the period), then every row in order.
// A row slice belongs to the sink once handed over.
type RowSink interface {
	Begin(cols []Column, meta Meta) error
	Row(row []any) error
}

// Export runs def for p and streams its rows to sink. A grouped report
// without a pivot reads straight from ClickHouse block by block, every
// row up to the definition's explicit limit (MaxExportRows when it names
// none: an export is the whole answer, not the first screen); the other
// kinds and pivots are bounded, run as Run runs them and are handed over
// row by row. The Result holds the columns, totals and meta, not the
// rows. Access is p's, as in Run.
func (e *Engine) Export(ctx context.Context, p domain.Principal, def *Definition, sink RowSink) (*Result, error) {
	plan, err := PlanReport(def, p, e.now())
	if err != nil {
		return nil, err
	}
	if s, ok := plan.(streamer); ok && s.streams() {
		return s.stream(ctx, e.CH, sink)
	}
	res, err := plan.Run(ctx, e.CH)
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

// stream streams a flat grouped report to sink. When the limit cuts rows
// off, Meta.Truncated says so and the totals are left out (ClickHouse
// sends them after the last row, which is not read).
func (g *groupedPlan) stream(ctx context.Context, db *olap.DB, sink RowSink) (*Result, error) {
	start := time.Now()
	pl := *g.pl
	pl.limit = g.exportLimit
	c, err := compilePlan(db.Names, g.p, &pl)
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: c.Columns()}
	res.Meta.DataAsOf = g.at.UTC()
	if r := c.Period(); r != nil {
		res.Meta.From, res.Meta.To = r.From, r.To
	}
	if err := sink.Begin(res.Columns, res.Meta); err != nil {
		return nil, err
	}
	n := 0
	ctx = olap.StreamContext(ctx, exportBlockRows)
	totals, err := scan(ctx, db, c.Main, c.MainCols, c.Loc, func(row []any) error {
		if n == c.Limit() {
			res.Meta.Truncated = true
			return errStop
		}
		n++
		return sink.Row(row)
	})
	if err != nil {
		return nil, err
	}
	res.Totals = c.FlatTotals(totals)
	res.Meta.RowCount = n
	res.Meta.ElapsedMS = time.Since(start).Milliseconds()
	return res, nil
}

// PivotData is the long form of a pivot report: the same definition
// without the pivot (its column dimensions added as plain dimensions),
// every cell a row (up to MaxLimit), for a data sheet a spreadsheet pivot
// table re-slices. cols are the indexes of the pivot's column
// dimensions in the result, in the order the pivot names them.
func (e *Engine) PivotData(ctx context.Context, p domain.Principal, def *Definition) (res *Result, cols []int, err error) {
	flat, cols, err := PivotLongForm(def, e.now())
	if err != nil {
		return nil, nil, err
	}
	res, err = e.Run(ctx, p, flat)
	return res, cols, err
}
