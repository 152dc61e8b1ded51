package xlsx

import (
	"context"
	"io"
	"strings"
	"unicode"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// Runner is what an export runs a report with (reports/engine.Engine):
// the rows streamed to a sink, and a pivot's long form.
type Runner interface {
	Export(ctx context.Context, p domain.Principal, def *reports.Definition, sink reports.RowSink) (*reports.Result, error)
	PivotData(ctx context.Context, p domain.Principal, def *reports.Definition) (*reports.Result, []int, error)
}

// Export runs rep.Def for p on eng and writes the workbook to out: the
// rows streamed from ClickHouse into the data sheets, the pivot's long
// form and PivotTable, the chart. The answer is the result without its
// rows (columns, totals, meta) and how many rows were written.
func Export(ctx context.Context, eng Runner, p domain.Principal, rep Report, opt Options, out io.Writer) (*reports.Result, int, error) {
	rep.By = p
	if rep.Lang == "" {
		rep.Lang = rep.Def.Lang
	}
	w := New(rep, opt)
	defer w.Close()
	res, err := eng.Export(ctx, p, whole(rep.Def), w)
	if err != nil {
		return nil, 0, err
	}
	var pd *PivotData
	if rep.Def.Pivot != nil {
		data, cols, err := eng.PivotData(ctx, p, rep.Def)
		if err != nil {
			return nil, 0, err
		}
		pd = &PivotData{Result: data, Cols: cols}
	}
	if err := w.Finish(res, pd); err != nil {
		return nil, 0, err
	}
	_, err = w.WriteTo(out)
	return res, w.Rows(), err
}

// whole is the definition an export runs: def itself, but a pivot
// without a limit of its own (whose rows a run stops at DefaultLimit,
// the first screen) with every row up to MaxLimit — an export holds the
// whole answer unless the report sets a limit. A flat grouped report
// streams every row already (Runner.Export).
func whole(def *reports.Definition) *reports.Definition {
	if def == nil || def.Pivot == nil || def.Limit != 0 {
		return def
	}
	all := *def
	all.Limit = reports.MaxLimit
	return &all
}

// FromResult writes a result already in memory (a dashboard panel's
// table) as a workbook.
func FromResult(rep Report, res *reports.Result, out io.Writer) error {
	w := New(rep, Options{})
	defer w.Close()
	if err := w.Begin(res.Columns, res.Meta); err != nil {
		return err
	}
	for _, r := range res.Rows {
		if err := w.Row(r); err != nil {
			return err
		}
	}
	if err := w.Finish(res, nil); err != nil {
		return err
	}
	_, err := w.WriteTo(out)
	return err
}

// FileName is the file name of a report's workbook: its name and period
// ("Сделки по стадиям 2025-02-01–2025-02-28.xlsx"), safe on every
// operating system: no path separators, reserved or control characters,
// no reserved device names, no trailing dots or spaces, at most 120
// characters before the extension.
func FileName(name string, meta reports.Meta, def *reports.Definition) string {
	base := name
	if p := periodText(meta, reportLocation(def), i18n.EN); p != "" {
		base += " " + p
	}
	return SafeName(base) + ".xlsx"
}

// reservedNames are Windows device names, unusable as file names.
var reservedNames = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

// SafeName makes s usable as a file name (without extension) anywhere.
func SafeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`<>:"/\|?*`, r), unicode.IsControl(r), r == unicode.ReplacementChar:
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120])
	}
	s = strings.TrimRight(s, ". ")
	s = strings.TrimLeft(s, ". ")
	if s == "" {
		s = "report"
	}
	if reservedNames[strings.ToUpper(strings.SplitN(s, ".", 2)[0])] {
		s = "_" + s
	}
	return s
}
