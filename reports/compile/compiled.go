package compile

import (
	"time"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// Compiled is a grouped report ready to run. Without a pivot, Main
// groups by every dimension WITH TOTALS. With one, Main holds the cells
// (every dimension); when the measures are not additive (averages,
// medians, distinct counts), Rows holds the row totals WITH TOTALS (its
// totals are the grand total) and Cols the column totals, else the
// totals are added up from the cells.
//
// MainCols, RowsCols and ColsCols say how each query's columns are read
// (Read), in the report's time zone Loc.
type Compiled struct {
	Main, Rows, Cols             *olap.Query
	MainCols, RowsCols, ColsCols []OutCol
	Loc                          *time.Location
	plan                         *Plan
}

// IsPivot reports whether c is a pivot (Rows nil too: an additive one).
func (c *Compiled) IsPivot() bool { return c.plan.IsPivot() }

// Limit is how many rows the report shows.
func (c *Compiled) Limit() int { return c.plan.limit }

// Columns are the result columns of a report without a pivot.
func (c *Compiled) Columns() []reports.Column { return plainColumns(c.MainCols) }

// FlatResult is the answer of a report without a pivot from Main's rows
// and totals row (nil when none): rows up to the limit (Meta.Truncated
// says whether more came), totals without the dimensions' cells.
func (c *Compiled) FlatResult(rows [][]any, totals []any) *reports.Result {
	res := &reports.Result{Columns: c.Columns(), Rows: rows}
	if len(rows) > c.plan.limit {
		res.Rows, res.Meta.Truncated = rows[:c.plan.limit], true
	}
	res.Totals = c.FlatTotals(totals)
	return res
}

// FlatTotals blanks the dimensions' cells of a totals row (nil stays nil).
func (c *Compiled) FlatTotals(totals []any) []any {
	if totals == nil {
		return nil
	}
	for i := range c.plan.dims {
		totals[i] = nil
	}
	return totals
}

// Period is the report's resolved period (nil when it has none).
func (c *Compiled) Period() *reports.Range { return c.plan.rng }
