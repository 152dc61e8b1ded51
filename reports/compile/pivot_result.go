package compile

import "github.com/voronka/voronka/reports"

// result lays the pivot out from the row totals query's rows and its
// grand total.
func (sh *pivotShape) result(rowRows [][]any, grand []any) *reports.Result {
	p, nr := sh.p, len(sh.rowDims)
	if len(rowRows) > p.limit {
		rowRows = rowRows[:p.limit]
	}
	res := &reports.Result{Columns: sh.columns(), Rows: [][]any{}}
	for _, r := range rowRows {
		row := append([]any(nil), r[:nr]...)
		cells := sh.cells[valueKey(r[:nr])]
		for _, ck := range sh.colKeys {
			if vals, ok := cells[ck]; ok {
				row = append(row, vals...)
			} else {
				row = append(row, make([]any, len(p.measures))...)
			}
		}
		res.Rows = append(res.Rows, append(row, r[nr:]...))
	}
	totals := make([]any, nr)
	for _, t := range sh.colTot {
		totals = append(totals, t...)
	}
	if grand == nil && len(rowRows) > 0 && nr == 0 {
		grand = rowRows[0]
	}
	if grand != nil {
		totals = append(totals, grand[nr:]...)
	} else {
		totals = append(totals, make([]any, len(p.measures))...)
	}
	res.Totals = totals
	return res
}

// columns: row dimensions; per column value, each measure (key
// <measure>|<value>); the row totals (key <measure>).
func (sh *pivotShape) columns() []reports.Column {
	p, all := sh.p, sh.p.columns()
	var out []reports.Column
	for _, i := range sh.rowDims {
		out = append(out, all[i].Column)
	}
	ms := all[len(p.dims):]
	for v, ck := range sh.colKeys {
		for _, m := range ms {
			c := m.Column
			c.Key = m.Key + "|" + ck
			c.LabelRU = sh.colLbls[v] + " · " + m.LabelRU
			c.LabelEN = sh.colLbls[v] + " · " + m.LabelEN
			c.Label = labelIn(c, p.lang)
			out = append(out, c)
		}
	}
	for _, m := range ms {
		c := m.Column
		c.LabelRU = totalLabel.RU + " · " + m.LabelRU
		c.LabelEN = totalLabel.EN + " · " + m.LabelEN
		c.Label = labelIn(c, p.lang)
		out = append(out, c)
	}
	return out
}
