package xlsx_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports"
)

// readBack opens a workbook with excelize's reader and returns a
// sheet's raw cell values (numbers as stored, dates as date numbers).
func readBack(t *testing.T, file []byte, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("not an XLSX file: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v (sheets %v)", sheet, err, f.GetSheetList())
	}
	return f, rows
}

// sameRow compares a sheet row with a result row (the API's cells),
// cell by cell by column type; "" stands for nil.
func sameRow(t *testing.T, what string, got []string, want []any, cols []reports.Column) {
	t.Helper()
	for i, c := range cols {
		g := ""
		if i < len(got) {
			g = got[i]
		}
		if !sameCell(g, want[i], c.Type) {
			t.Errorf("%s, column %s: cell %q, want %v", what, c.Key, g, jsonText(want[i]))
		}
	}
}

// sameCell reads one raw cell as the column type says and compares.
func sameCell(got string, want any, typ string) bool {
	w := jsonText(want)
	switch {
	case w == "null":
		return got == ""
	case typ == reports.TypeDate:
		n, err := strconv.ParseFloat(got, 64)
		d, _ := excelize.ExcelDateToTime(n, false)
		return err == nil && `"`+d.Format(time.DateOnly)+`"` == w
	case typ == reports.TypeDateTime:
		n, err := strconv.ParseFloat(got, 64)
		d, _ := excelize.ExcelDateToTime(n, false)
		var wt time.Time
		json.Unmarshal([]byte(w), &wt)
		return err == nil && d.Format("2006-01-02 15:04") == wt.Format("2006-01-02 15:04")
	}
	if wf, err := strconv.ParseFloat(trimQuotes(w), 64); err == nil {
		gf, err := strconv.ParseFloat(got, 64)
		return err == nil && math.Abs(gf-wf) <= 1e-9*math.Max(1, math.Abs(wf))
	}
	return `"`+got+`"` == w || got == w
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func trimQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

func labels(cols []reports.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.LabelRU
	}
	return out
}

func fmtRow(r []string) string { return fmt.Sprintf("%q", r) }
