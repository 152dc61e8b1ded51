package compile

import (
	"cmp"
	"slices"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// additive reports whether every measure's totals follow from its cells:
// counts, and sums, minima and maxima of numbers.
func (p *Plan) additive() bool {
	for _, m := range p.measures {
		numeric := m.field.Type == reports.TypeInteger || m.field.Type == reports.TypeNumber || m.field.Type == reports.TypeMoney
		if m.agg != reports.AggCount && !((m.agg == reports.AggSum || m.agg == reports.AggMin || m.agg == reports.AggMax) && numeric) {
			return false
		}
	}
	return true
}

// AdditiveResult lays out a pivot whose totals follow from its cells
// (Compiled.Rows is nil): the cells query's answer alone, the row,
// column and grand totals added up, the rows sorted and limited as the
// SQL of the other pivots would.
func (c *Compiled) AdditiveResult(cellRows [][]any) (*reports.Result, error) {
	pl := c.plan
	sh := newPivotShape(pl)
	rows, grand := sh.addUp(cellRows)
	if len(sh.colKeys) > maxPivotColumns {
		return nil, tooWide()
	}
	sh.addCells(cellRows)
	pl.sortRows(rows, sh.rowDims)
	res := sh.result(rows, grand)
	res.Meta.Truncated = len(rows) > pl.limit || len(cellRows) > reports.MaxLimit
	return res, nil
}

// addUp reads the column values (in the cells' order, which is theirs)
// with their totals, and returns the rows (row dims, then row totals)
// and the grand total.
func (sh *pivotShape) addUp(cellRows [][]any) (rows [][]any, grand []any) {
	pl, nd, nr := sh.p, len(sh.p.dims), len(sh.rowDims)
	rowIdx, colIdx := map[string]int{}, map[string]int{}
	for _, r := range cellRows {
		rowVals, colVals := cellsAt(r, sh.rowDims), cellsAt(r, pl.pivot)
		ck, rk := valueKey(colVals), valueKey(rowVals)
		if _, ok := colIdx[ck]; !ok {
			colIdx[ck] = len(sh.colKeys)
			sh.addColumns([][]any{append(colVals, make([]any, len(pl.measures))...)})
		}
		if _, ok := rowIdx[rk]; !ok {
			rowIdx[rk] = len(rows)
			rows = append(rows, append(rowVals, make([]any, len(pl.measures))...))
		}
		if grand == nil {
			grand = make([]any, nr+len(pl.measures))
		}
		pl.fold(rows[rowIdx[rk]][nr:], r[nd:])
		pl.fold(sh.colTot[colIdx[ck]], r[nd:])
		pl.fold(grand[nr:], r[nd:])
	}
	return rows, grand
}

// cellsAt is the cells of r at the given indexes.
func cellsAt(r []any, idx []int) []any {
	out := make([]any, 0, len(idx))
	for _, i := range idx {
		out = append(out, r[i])
	}
	return out
}

// fold adds the measures ms into the totals acc.
func (p *Plan) fold(acc, ms []any) {
	for j, m := range p.measures {
		acc[j] = combine(m.agg, acc[j], ms[j])
	}
}

// combine is a total of two values of one measure (nil is no value).
func combine(agg string, a, b any) any {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case agg == reports.AggMin && compareCells(b, a) < 0, agg == reports.AggMax && compareCells(b, a) > 0:
		return b
	case agg == reports.AggMin || agg == reports.AggMax:
		return a
	}
	switch x := a.(type) {
	case int64:
		return x + b.(int64)
	case float64:
		return x + b.(float64)
	case domain.Money:
		return domain.Money{Decimal: x.Add(b.(domain.Money).Decimal)}
	}
	return a
}

// compareCells orders two cells of one column as ClickHouse does:
// numbers by value, text byte-wise, NULL last.
func compareCells(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case int64:
		return cmp.Compare(x, b.(int64))
	case float64:
		return cmp.Compare(x, b.(float64))
	case domain.Money:
		return x.Cmp(b.(domain.Money).Decimal)
	case string:
		return strings.Compare(x, b.(string))
	}
	return 0
}

// sortRows orders pivot rows (row dims, then row totals) by the sort
// keys, then by the row dimensions, NULL last either way.
func (p *Plan) sortRows(rows [][]any, rowDims []int) {
	pos := func(col int) int {
		if col >= len(p.dims) {
			return len(rowDims) + col - len(p.dims)
		}
		return slices.Index(rowDims, col)
	}
	slices.SortStableFunc(rows, func(a, b []any) int {
		for _, s := range p.sort {
			i := pos(s.col)
			c := compareCells(a[i], b[i])
			if s.desc && a[i] != nil && b[i] != nil {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		for i := range rowDims {
			if c := compareCells(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}
