// Package xlsx renders report results as Excel workbooks with excelize:
// a title row (report, period, generation time), typed cells under a
// frozen, filterable header, a totals row, continuation sheets past
// Excel's row limit, a parameters sheet, a native PivotTable over a data
// sheet for pivot reports and native charts for funnels, stage
// percentages and time series. Data sheets are streamed: a million rows
// are never held in memory.
package xlsx

import (
	"archive/zip"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// ContentType is the MIME type of an XLSX file.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Report is what a workbook says about its report besides the rows.
type Report struct {
	Name string              // the title
	Lang string              // "ru" (default) or "en"
	Def  *reports.Definition // for the parameters sheet, pivot and charts; nil for a bare table
	By   domain.Principal    // whose access the rows were read with
	Now  time.Time           // generation time
	// Params, when set, say in words what the rows were chosen by (a
	// dashboard panel's pipeline, manager…): the parameters sheet lists
	// them in place of the definition's fields, and Def then only picks
	// the chart. PeriodName names the period as it was chosen ("Этот
	// год"), shown before its dates.
	Params     []Param
	PeriodName string
}

// Param is one line of the parameters sheet: a label and its value, both
// in the report's language.
type Param struct{ Label, Value string }

// Options tune a workbook; the zero value is Excel's limits.
type Options struct {
	// MaxRows is the number of data rows on one sheet before the rest
	// continue on the next (default: what fits under Excel's 1,048,576
	// rows with the title, header and note rows). Tests make it small.
	MaxRows int
}

// headRows are the title and header rows above the data on each sheet.
const headRows = 2

func (o Options) maxRows() int {
	if o.MaxRows > 0 {
		return o.MaxRows
	}
	return excelize.TotalRows - headRows - 1 // one row left for the continuation note
}

// Writer builds one workbook; it is a reports.RowSink. Call Begin, Row
// for each row, Finish, then WriteTo, and Close in any case.
type Writer struct {
	rep    Report
	opt    Options
	loc    *time.Location
	f      *excelize.File
	st     *styles
	cols   []reports.Column
	meta   reports.Meta
	data   *dataSheet // the sheet rows go to now
	sheets []string   // data sheets written, in order
	rows   int        // data rows written in all
	held   [][]any    // the first rows, kept until column widths are known
	widths []float64  // the data columns' widths
}

// held rows decide the column widths.
const widthSample = 200

// New starts a workbook for rep.
func New(rep Report, opt Options) *Writer {
	rep.Lang = i18n.Parse(rep.Lang)
	if rep.Now.IsZero() {
		rep.Now = time.Now()
	}
	return &Writer{rep: rep, opt: opt, loc: reportLocation(rep.Def), f: excelize.NewFile()}
}

// reportLocation is the report's time zone (Moscow by default).
func reportLocation(def *reports.Definition) *time.Location {
	p := reports.Period{}
	if def != nil && def.Period != nil {
		p = *def.Period
	}
	loc, err := p.Location("period")
	if err != nil {
		loc, _ = time.LoadLocation(reports.DefaultTZ)
	}
	return loc
}

// Begin records the columns and the period; rows follow.
func (w *Writer) Begin(cols []reports.Column, meta reports.Meta) error {
	w.cols, w.meta = cols, meta
	st, err := newStyles(w.f, w.rep.Lang)
	w.st = st
	return err
}

// Row adds one result row (the API's cell values).
func (w *Writer) Row(row []any) error {
	w.rows++
	if w.data == nil {
		w.held = append(w.held, row)
		if len(w.held) < widthSample {
			return nil
		}
		return w.release()
	}
	return w.data.write(w, row)
}

// release opens the first sheet with widths from the held rows and
// writes them.
func (w *Writer) release() error {
	if err := w.openSheet(1); err != nil {
		return err
	}
	held := w.held
	w.held = nil
	for _, r := range held {
		if err := w.data.write(w, r); err != nil {
			return err
		}
	}
	return nil
}

// Finish ends the data sheets with res's totals (res.Meta completes the
// period and counts) and adds the parameters sheet, then the pivot
// (pivotData: the long form, with the pivot's column indexes) and chart
// sheets where the report has them.
func (w *Writer) Finish(res *reports.Result, pivot *PivotData) error {
	if res != nil {
		w.meta = res.Meta
	}
	if w.data == nil {
		if err := w.release(); err != nil {
			return err
		}
	}
	var totals []any
	if res != nil {
		totals = res.Totals
	}
	if err := w.data.close(w, totals, ""); err != nil {
		return err
	}
	if err := w.paramsSheet(); err != nil {
		return err
	}
	if pivot != nil {
		if err := w.pivotSheets(pivot); err != nil {
			return err
		}
	}
	if err := w.chartSheet(); err != nil {
		return err
	}
	return w.f.SetDocProps(&excelize.DocProperties{Title: w.rep.Name, Creator: "Voronka",
		Created: w.rep.Now.UTC().Format(time.RFC3339)})
}

// WriteTo writes the finished workbook. excelize's WriteTo builds the
// whole zip in a bytes.Buffer first (as large as the file: ~50 MB for a
// million rows); its zip writer is pointed at out instead, so the
// archive streams and the buffer stays empty.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	cw := &countWriter{w: out}
	w.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(cw) })
	_, err := w.f.WriteTo(io.Discard)
	return cw.n, err
}

// countWriter counts what passes through.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Close releases the temporary files of the streamed sheets.
func (w *Writer) Close() error { return w.f.Close() }

// Rows is the number of data rows written.
func (w *Writer) Rows() int { return w.rows }

// Sheets lists the data sheets, in order.
func (w *Writer) Sheets() []string { return w.sheets }
