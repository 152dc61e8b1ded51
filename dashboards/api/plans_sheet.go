package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/internal/apperr"
)

// planSheet is an uploaded plan file as a grid of text: its rows with
// the numbers the file gives them (CSV lines, XLSX rows), how it was
// read, and for XLSX the cells' raw values (numbers as Excel stores
// them, dates as serial days).
type planSheet struct {
	Format, Encoding, Separator string
	Rows                        []sheetRow
	xlsx                        *excelize.File // nil for CSV
}

// sheetRow is one row of a sheet: its number in the file and its cells.
type sheetRow struct {
	Line  int
	Cells []string
}

// maxPlanRows bounds a plan file (a year of a large team, every
// pipeline, with room to spare).
const maxPlanRows = 20000

// xlsxMagic starts every XLSX (a ZIP archive).
var xlsxMagic = []byte("PK\x03\x04")

// readPlanSheet reads an uploaded plan file: XLSX (by its content) or
// CSV (comma, semicolon or tab, UTF-8 with or without BOM, or
// Windows-1251).
func readPlanSheet(data []byte) (planSheet, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return planSheet{}, apperr.Field("file", "required", "the file is empty")
	}
	if bytes.HasPrefix(data, xlsxMagic) {
		return readPlanXLSX(data)
	}
	return readPlanCSV(data)
}

func readPlanCSV(data []byte) (planSheet, error) {
	text, enc, err := intake.ToUTF8(data, "")
	if err != nil {
		return planSheet{}, err
	}
	sep := csvSeparator(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
	sh := planSheet{Format: "csv", Encoding: enc, Separator: string(sep)}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return sh, nil
		}
		if err != nil {
			return planSheet{}, apperr.Field("file", "not_csv", "the file is neither XLSX nor readable CSV: "+err.Error())
		}
		line, _ := r.FieldPos(0)
		if sh.Rows = append(sh.Rows, sheetRow{Line: line, Cells: row}); len(sh.Rows) > maxPlanRows+20 {
			return planSheet{}, apperr.Field("file", "too_many", "at most 20000 rows in one file")
		}
	}
}

// csvSeparator is whichever of ; , and tab the first line holds most of
// (a semicolon file's decimal commas sit in later lines).
func csvSeparator(text string) rune {
	head, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(head, ",")
	for _, c := range []rune{';', '\t'} {
		if k := strings.Count(head, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

// readPlanXLSX reads the first sheet whose first rows hold a manager
// column (else the first sheet), with raw cell values.
func readPlanXLSX(data []byte) (planSheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return planSheet{}, apperr.Field("file", "unreadable", "the file starts as XLSX but cannot be opened: "+err.Error())
	}
	var first [][]string
	for i, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return planSheet{}, apperr.Field("file", "unreadable", "sheet "+name+" cannot be read: "+err.Error())
		}
		if i == 0 {
			first = rows
		}
		if _, ok := findHeader(sheetOf(rows)); ok {
			first = rows
			break
		}
	}
	if len(first) > maxPlanRows+20 {
		return planSheet{}, apperr.Field("file", "too_many", "at most 20000 rows in one file")
	}
	sh := sheetOf(first)
	sh.xlsx = f
	return sh, nil
}

// sheetOf is XLSX rows as a sheet (row n of the file is rows[n-1]).
func sheetOf(rows [][]string) planSheet {
	sh := planSheet{Format: "xlsx"}
	for i, r := range rows {
		sh.Rows = append(sh.Rows, sheetRow{Line: i + 1, Cells: r})
	}
	return sh
}

// excelNumber is a number as XLSX stores it (1234567.89, 1.5E+6).
var excelNumber = regexp.MustCompile(`^-?\d+(\.\d+)?([Ee][-+]?\d+)?$`)

// cellText is a cell's value as text: an XLSX number in its shortest
// exact form (Excel stores 1234567.89 as 1234567.8899999999).
func (sh planSheet) cellText(v string) string {
	v = strings.TrimSpace(v)
	if sh.xlsx != nil && excelNumber.MatchString(v) {
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
	}
	return v
}

// cellName is the XLSX name of a cell (C5), "" for CSV.
func (sh planSheet) cellName(col, line int) string {
	if sh.xlsx == nil {
		return ""
	}
	name, _ := excelize.CoordinatesToCellName(col+1, line)
	return name
}
