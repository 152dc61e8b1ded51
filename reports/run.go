package reports

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
)

// groupedKind is the default kind: a dataset grouped by dimensions.
type groupedKind struct{}

func init() { RegisterKind(KindGrouped, groupedKind{}) }

// validationNow resolves presets when only validating: the result does
// not depend on the instant.
var validationNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Validate checks a grouped definition: 422 errors naming the field.
func (groupedKind) Validate(def *Definition) error {
	_, err := def.plan(validationNow)
	return err
}

// Run compiles and runs a grouped definition for p.
func (groupedKind) Run(ctx context.Context, e *Engine, p domain.Principal, def *Definition) (*Result, error) {
	return e.RunGrouped(ctx, p, def)
}

// RunGrouped runs a grouped report for p: one query WITH TOTALS, or the
// three queries of a pivot. Rows beyond the limit are cut off and
// Meta.Truncated says so.
func (e *Engine) RunGrouped(ctx context.Context, p domain.Principal, def *Definition) (*Result, error) {
	start := time.Now()
	c, err := Compile(e.CH, p, def, e.now())
	if err != nil {
		return nil, err
	}
	var res *Result
	var sqlTime time.Duration
	switch {
	case len(c.plan.pivot) == 0:
		res, sqlTime, err = e.runFlat(ctx, c)
	case c.Rows == nil:
		res, sqlTime, err = e.runPivotAdditive(ctx, c)
	default:
		res, sqlTime, err = e.runPivot(ctx, c)
	}
	if err != nil {
		return nil, err
	}
	res.Meta.ElapsedMS = time.Since(start).Milliseconds()
	res.Meta.SQLMS = sqlTime.Milliseconds()
	res.Meta.RowCount = len(res.Rows)
	res.Meta.DataAsOf = e.now().UTC()
	if c.plan.rng != nil {
		res.Meta.From, res.Meta.To = c.plan.rng.From, c.plan.rng.To
	}
	return res, nil
}

// runFlat runs the one grouped query: rows up to the limit, totals.
func (e *Engine) runFlat(ctx context.Context, c *Compiled) (*Result, time.Duration, error) {
	cols := c.plan.columns()
	t := time.Now()
	rows, totals, err := e.fetch(ctx, c.Main, cols, c.plan)
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
