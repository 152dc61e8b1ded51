package kinds

import (
	"context"
	"time"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// exportBlockRows is the block size an export reads ClickHouse in
// (BENCHMARKS.md, "Excel export": the blocks were most of the memory).
const exportBlockRows = 8192

// Stream streams a flat grouped report to sink. When the limit cuts rows
// off, Meta.Truncated says so and the totals are left out (ClickHouse
// sends them after the last row, which is not read).
func (g *groupedPlan) Stream(ctx context.Context, db *olap.DB, sink reports.RowSink) (*reports.Result, error) {
	start := time.Now()
	c, err := g.pl.WithLimit(g.exportLimit).Compile(db.Names, g.p)
	if err != nil {
		return nil, err
	}
	res := &reports.Result{Columns: c.Columns()}
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
