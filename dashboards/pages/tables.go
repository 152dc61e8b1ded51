package pages

import (
	"fmt"
	"strconv"

	"github.com/voronka/voronka/reports"
)

// tableView is a result ready for a template: cells formatted by their
// column's type; each header carries its definition (a hover away).
type tableView struct {
	Columns []reports.Column
	Rows    [][]string
	Totals  []string
	Count   int
	Note    string // rows left out ("" when all are shown)
}

// dashRows is how many rows a dashboard panel's table shows; its XLSX
// holds them all. A panel is a glance, and a 5,000-row heatmap table
// made the director's page 480 KB and its rendering most of a cached
// page's time (measured, BENCHMARKS.md "Dashboards").
const dashRows = 50

// viewTableUpTo is viewTable showing at most max rows, with a note
// saying how many there are (t translates "rows_shown").
func viewTableUpTo(res *reports.Result, max int, t func(string) string) *tableView {
	tv := viewTable(res)
	if tv != nil && len(tv.Rows) > max {
		tv.Note = fmt.Sprintf(t("rows_shown"), max, len(tv.Rows))
		tv.Rows = tv.Rows[:max]
	}
	return tv
}

// viewTable formats res for display.
func viewTable(res *reports.Result) *tableView {
	if res == nil {
		return nil
	}
	tv := &tableView{Columns: res.Columns, Count: res.Meta.RowCount}
	for _, r := range res.Rows {
		tv.Rows = append(tv.Rows, formatRow(res.Columns, r))
	}
	if res.Totals != nil {
		tv.Totals = formatRow(res.Columns, res.Totals)
	}
	return tv
}

func formatRow(cols []reports.Column, r []any) []string {
	out := make([]string, len(r))
	for i, v := range r {
		typ := ""
		if i < len(cols) {
			typ = cols[i].Type
		}
		out[i] = formatCell(typ, v)
	}
	return out
}

// formatCell shows ratios of percent columns as percentages, anything
// else as cellText does.
func formatCell(typ string, v any) string {
	if typ == reports.TypePercent && v != nil {
		if f, err := strconv.ParseFloat(fmt.Sprint(deref(v)), 64); err == nil {
			return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
		}
	}
	return cellText(deref(v))
}

// deref unwraps a *float64 cell (nil stays nil).
func deref(v any) any {
	if p, ok := v.(*float64); ok {
		if p == nil {
			return nil
		}
		return *p
	}
	return v
}
