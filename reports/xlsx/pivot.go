package xlsx

import (
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports"
)

// PivotData is the long form of a pivot report (reports.Engine.PivotData):
// one row per cell, and which of its columns the pivot spreads out.
type PivotData struct {
	Result *reports.Result
	Cols   []int
}

// pivotSubtotals is how the PivotTable adds up each aggregation's cells.
var pivotSubtotals = map[string]string{reports.AggAvg: "Average", reports.AggMin: "Min", reports.AggMax: "Max"}

// pivotSheets writes the long form to a data sheet and puts a native
// PivotTable over it on its own sheet: the report's row dimensions as
// rows, its pivot columns as columns, each measure as a data field.
func (w *Writer) pivotSheets(pd *PivotData) error {
	res := pd.Result
	data, pivot := w.word("data"), w.word("pivot")
	if _, err := w.f.NewSheet(data); err != nil {
		return err
	}
	hs := w.labels(res.Columns)
	if err := w.f.SetSheetRow(data, "A1", &hs); err != nil {
		return err
	}
	for i, row := range res.Rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = value(v, res.Columns[j].Type, w.loc)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := w.f.SetSheetRow(data, cell, &cells); err != nil {
			return err
		}
	}
	for j, c := range res.Columns {
		col, _ := excelize.ColumnNumberToName(j + 1)
		_ = w.f.SetColStyle(data, col, w.st.cellStyle(c.Type))
		_ = w.f.SetColWidth(data, col, col, width(hs[j], c.Type, res.Rows, j))
	}
	if len(res.Rows) == 0 {
		return nil // a PivotTable needs a row of data
	}
	if _, err := w.f.NewSheet(pivot); err != nil {
		return err
	}
	return w.f.AddPivotTable(w.pivotOptions(pd, hs, data, pivot))
}

// pivotOptions places the fields: the long form's dimensions come first,
// then one column per measure.
func (w *Writer) pivotOptions(pd *PivotData, hs []string, data, pivot string) *excelize.PivotTableOptions {
	res, dims := pd.Result, len(pd.Result.Columns)-len(w.rep.Def.Measures)
	last, _ := excelize.CoordinatesToCellName(len(hs), len(res.Rows)+1)
	o := &excelize.PivotTableOptions{
		DataRange:       data + "!A1:" + last,
		PivotTableRange: pivot + "!A3:" + cellName(len(hs)+4, len(res.Rows)+8),
		RowGrandTotals:  true, ColGrandTotals: true, ShowDrill: true, ShowRowHeaders: true, ShowColHeaders: true,
		ShowLastColumn: true, PivotTableStyleName: "PivotStyleLight16",
	}
	for j := 0; j < dims; j++ {
		f := excelize.PivotTableField{Data: hs[j], DefaultSubtotal: false}
		if slices.Contains(pd.Cols, j) {
			o.Columns = append(o.Columns, f)
		} else {
			o.Rows = append(o.Rows, f)
		}
	}
	for k, m := range w.rep.Def.Measures {
		sub := pivotSubtotals[m.Agg]
		if sub == "" {
			sub = "Sum"
		}
		o.Data = append(o.Data, excelize.PivotTableField{Data: hs[dims+k], Name: "Σ " + hs[dims+k], Subtotal: sub})
	}
	return o
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}
