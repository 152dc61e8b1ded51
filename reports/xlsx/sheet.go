package xlsx

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// dataSheet is one streamed data sheet: title row, header row, rows.
type dataSheet struct {
	name  string
	sw    *excelize.StreamWriter
	row   int // last sheet row written
	first int // the report row number of its first data row (1-based)
	types []string
	buf   []any // the row being written, reused
}

// openSheet starts the next data sheet, whose first row is the report's
// row first: widths from the held rows, frozen header, title and header
// rows.
func (w *Writer) openSheet(first int) error {
	name := w.word("sheet")
	if n := len(w.sheets); n > 0 {
		name = fmt.Sprintf("%s (%d)", name, n+1)
		if _, err := w.f.NewSheet(name); err != nil {
			return err
		}
	} else if err := w.f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	d := &dataSheet{name: name, sw: sw, first: first, buf: make([]any, len(w.cols))}
	w.sheets = append(w.sheets, name)
	if err := d.layout(w); err != nil {
		return err
	}
	w.data = d
	return d.head(w)
}

// layout sets the column widths and styles and freezes the header; it
// must come before the first row.
func (d *dataSheet) layout(w *Writer) error {
	hs := w.headers()
	if w.widths == nil { // the first sheet's, kept for the continuations
		for i, c := range w.cols {
			w.widths = append(w.widths, width(hs[i], c.Type, w.held, i))
		}
	}
	for i, c := range w.cols {
		d.types = append(d.types, c.Type)
		if err := d.sw.SetColWidth(i+1, i+1, w.widths[i]); err != nil {
			return err
		}
		if err := d.sw.SetColStyle(i+1, i+1, w.st.cellStyle(c.Type)); err != nil {
			return err
		}
	}
	return d.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headRows, TopLeftCell: "A3", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A3", ActiveCell: "A3", Pane: "bottomLeft"}}})
}

// head writes the title and header rows.
func (d *dataSheet) head(w *Writer) error {
	if err := d.sw.SetRow("A1", []any{excelize.Cell{StyleID: w.st.title, Value: w.title(d.first)}}); err != nil {
		return err
	}
	hs := w.headers()
	cells := make([]any, len(hs))
	for i, h := range hs {
		cells[i] = excelize.Cell{StyleID: w.st.header, Value: h}
	}
	d.row = headRows
	return d.sw.SetRow("A2", cells, excelize.RowOpts{Height: 30})
}

// row writes one data row, continuing on a new sheet when this one is
// full.
func (d *dataSheet) write(w *Writer, row []any) error {
	if d.row-headRows >= w.opt.maxRows() {
		if err := w.continueSheet(); err != nil {
			return err
		}
		return w.data.write(w, row)
	}
	for i := range d.buf {
		d.buf[i] = nil
		if i < len(row) {
			d.buf[i] = value(row[i], d.types[i], w.loc)
		}
	}
	d.row++
	return d.sw.SetRow("A"+strconv.Itoa(d.row), d.buf)
}

// continueSheet closes a full sheet with a note naming the next one and
// opens it.
func (w *Writer) continueSheet() error {
	next := fmt.Sprintf("%s (%d)", w.word("sheet"), len(w.sheets)+1)
	if err := w.data.close(w, nil, fmt.Sprintf(w.word("continued"), next)); err != nil {
		return err
	}
	return w.openSheet(w.rows)
}

// close ends the sheet: the table (header with filters) over its rows,
// then a note (continuation or truncation) or the totals, then flush.
func (d *dataSheet) close(w *Writer, totals []any, note string) error {
	last := d.row
	if last == headRows { // no rows: say so
		d.row++
		if err := d.sw.SetRow("A"+strconv.Itoa(d.row), []any{excelize.Cell{StyleID: w.st.note, Value: w.word("no_rows")}}); err != nil {
			return err
		}
	}
	if totals != nil {
		if err := d.totals(w, totals); err != nil {
			return err
		}
	}
	if note == "" && w.meta.Truncated {
		note = fmt.Sprintf(w.word("truncated"), w.rows)
	}
	if note != "" {
		d.row++
		if err := d.sw.SetRow("A"+strconv.Itoa(d.row), []any{excelize.Cell{StyleID: w.st.note, Value: note}}); err != nil {
			return err
		}
	}
	if last > headRows {
		lastCell, _ := excelize.CoordinatesToCellName(len(w.cols), last)
		if err := d.sw.AddTable(&excelize.Table{Range: "A2:" + lastCell, Name: "Report" + strconv.Itoa(len(w.sheets)),
			StyleName: "TableStyleLight1"}); err != nil {
			return err
		}
	}
	return d.sw.Flush()
}

// totals writes the totals row: "Итого" in the first empty cell.
func (d *dataSheet) totals(w *Writer, totals []any) error {
	cells := make([]any, len(w.cols))
	labelled := false
	for i := range w.cols {
		var v any
		if i < len(totals) {
			v = value(totals[i], d.types[i], w.loc)
		}
		if v == nil && !labelled {
			v, labelled = w.word("total"), true
			cells[i] = excelize.Cell{StyleID: w.st.totalStyle("string"), Value: v}
			continue
		}
		cells[i] = excelize.Cell{StyleID: w.st.totalStyle(d.types[i]), Value: v}
	}
	d.row++
	return d.sw.SetRow("A"+strconv.Itoa(d.row), cells)
}
