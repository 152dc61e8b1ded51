package reports

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
)

// groupedKind is the default kind: a dataset grouped by dimensions.
type groupedKind struct{}

func init() { RegisterKind(KindGrouped, groupedKind{}) }

// groupedPlan is a grouped definition validated and resolved for p.
type groupedPlan struct {
	pl *plan
	p  domain.Principal
	at time.Time
}

// Plan validates a grouped definition (422 errors naming the field) and
// resolves its period at now.
func (groupedKind) Plan(def *Definition, p domain.Principal, now time.Time) (Plan, error) {
	pl, err := def.plan(now)
	if err != nil {
		return nil, err
	}
	return &groupedPlan{pl: pl, p: p, at: now}, nil
}

// Run runs the grouped report: one query WITH TOTALS, or the queries of a
// pivot. Rows beyond the limit are cut off and Meta.Truncated says so.
func (g *groupedPlan) Run(ctx context.Context, db *olap.DB) (*Result, error) {
	start := time.Now()
	c, err := compilePlan(db.Names, g.p, g.pl)
	if err != nil {
		return nil, err
	}
	var res *Result
	var sqlTime time.Duration
	switch {
	case len(c.plan.pivot) == 0:
		res, sqlTime, err = runFlat(ctx, db, c)
	case c.Rows == nil:
		res, sqlTime, err = runPivotAdditive(ctx, db, c)
	default:
		res, sqlTime, err = runPivot(ctx, db, c)
	}
	if err != nil {
		return nil, err
	}
	res.Meta.ElapsedMS = time.Since(start).Milliseconds()
	res.Meta.SQLMS = sqlTime.Milliseconds()
	res.Meta.RowCount = len(res.Rows)
	res.Meta.DataAsOf = g.at.UTC()
	if c.plan.rng != nil {
		res.Meta.From, res.Meta.To = c.plan.rng.From, c.plan.rng.To
	}
	return res, nil
}

// runFlat runs the one grouped query: rows up to the limit, totals.
func runFlat(ctx context.Context, db *olap.DB, c *Compiled) (*Result, time.Duration, error) {
	cols := c.plan.columns()
	t := time.Now()
	rows, totals, err := fetch(ctx, db, c.Main, cols, c.plan)
	if err != nil {
		return nil, 0, err
	}
	res := &Result{Columns: plainColumns(cols), Rows: rows}
	if len(rows) > c.plan.limit {
		res.Rows, res.Meta.Truncated = rows[:c.plan.limit], true
	}
	if totals != nil {
		for i := range c.plan.dims {
			totals[i] = nil
		}
		res.Totals = totals
	}
	return res, time.Since(t), nil
}

// plainColumns drops the reading details.
func plainColumns(cols []outCol) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = c.Column
	}
	return out
}

// PivotLongForm is a pivot definition without its pivot: its column
// dimensions added as plain dimensions, every cell a row (up to
// MaxLimit); cols are the indexes of the pivot's column dimensions in
// its result, in the order the pivot names them.
func PivotLongForm(def *Definition, now time.Time) (*Definition, []int, error) {
	pl, err := def.plan(now)
	if err != nil {
		return nil, nil, err
	}
	flat := *def
	flat.Pivot, flat.Sort, flat.Limit, flat.Dimensions = nil, nil, MaxLimit, nil
	for _, d := range pl.dims {
		flat.Dimensions = append(flat.Dimensions, Dimension{Field: d.field.Key, Grain: d.grain})
	}
	return &flat, pl.pivot, nil
}
