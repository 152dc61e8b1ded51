package compile

import (
	"fmt"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// pivotShape is what the three pivot queries are read into: the column
// values (the pivot dimensions' distinct values, in order), each with
// its column totals, and the cells by row and column.
type pivotShape struct {
	p       *Plan
	rowDims []int
	colKeys []string // per column value: key part ("" for empty)
	colLbls []string // per column value: label
	colTot  [][]any  // per column value: its measures over all rows
	cells   map[string]map[string][]any
}

// PivotResult lays out the answers of the three pivot queries — the
// column values with their totals (Cols), the cells (Main) and the row
// totals with the grand total (Rows) — as the result: row dimensions,
// then per column value each measure, then the row totals (keyed by the
// measure keys); Totals holds the column totals and the grand total.
func (c *Compiled) PivotResult(colRows, cellRows, rowRows [][]any, grand []any) (*reports.Result, error) {
	pl := c.plan
	if len(colRows) > maxPivotColumns {
		return nil, tooWide()
	}
	sh := newPivotShape(pl)
	sh.addColumns(colRows)
	sh.addCells(cellRows)
	res := sh.result(rowRows, grand)
	res.Meta.Truncated = len(rowRows) > pl.limit || len(cellRows) > reports.MaxLimit
	return res, nil
}

func newPivotShape(pl *Plan) *pivotShape {
	return &pivotShape{p: pl, rowDims: pl.dimIndexes(func(i int) bool { return !pl.isPivot(i) }),
		cells: map[string]map[string][]any{}}
}

// tooWide is the error of a pivot with too many column values.
func tooWide() error {
	return apperr.Field("pivot.columns", "too_wide",
		fmt.Sprintf("the pivot columns take more than %d distinct values; filter or pick another dimension", maxPivotColumns))
}

// subColumns are the columns of a query over some dimensions and every
// measure.
func (p *Plan) subColumns(dims []int) []OutCol {
	all := p.columns()
	var out []OutCol
	for _, i := range dims {
		out = append(out, all[i])
	}
	return append(out, all[len(p.dims):]...)
}

// valueKey joins dimension values into a key; valueLabel into a label.
func valueKey(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		if v != nil {
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, "|")
}

func (sh *pivotShape) valueLabel(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = emptyLabel.In(sh.p.lang)
		if v != nil {
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, " / ")
}

func (sh *pivotShape) addColumns(rows [][]any) {
	n := len(sh.p.pivot)
	for _, r := range rows {
		sh.colKeys = append(sh.colKeys, valueKey(r[:n]))
		sh.colLbls = append(sh.colLbls, sh.valueLabel(r[:n]))
		sh.colTot = append(sh.colTot, r[n:])
	}
}

// addCells files each cell row under its row key and column key.
func (sh *pivotShape) addCells(rows [][]any) {
	nd := len(sh.p.dims)
	for _, r := range rows {
		rk := valueKey(cellsAt(r, sh.rowDims))
		if sh.cells[rk] == nil {
			sh.cells[rk] = map[string][]any{}
		}
		sh.cells[rk][valueKey(cellsAt(r, sh.p.pivot))] = r[nd:]
	}
}
