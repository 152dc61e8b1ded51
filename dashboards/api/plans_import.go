package api

import (
	"fmt"
	"slices"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Codes of a plan file's problems (texts in internal/i18n).
const (
	codeMissingColumn    = "missing_column"    // no manager or month column
	codeNoPlanRows       = "no_plan_rows"      // a header and nothing under it
	codeNotANumber       = "not_a_number"      // a metric cell that is no figure
	codeUnknownMonth     = "unknown_month"     // a month cell that is no month
	codeUnknownManager   = "unknown_manager"   // no active user by that name or e-mail
	codeAmbiguousManager = "ambiguous_manager" // two managers answer to the name
	codeDuplicatePlan    = "duplicate_plan"    // a manager's month and metric twice
	codeInvalidPlanFile  = "invalid_plan_file" // the 422 that lists the problems
)

// planProblem is one bad cell of a plan file: its row (as the file
// numbers it), its column's header, the XLSX cell, the code and message.
type planProblem struct {
	Row     int            `json:"row"`
	Column  string         `json:"column"`
	Cell    string         `json:"cell,omitempty"`
	Value   string         `json:"value,omitempty"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	params  map[string]any // for the message in the reader's language
}

// planImportRow is one row of a plan file as understood: whose, which
// month and pipeline, and the targets it sets.
type planImportRow struct {
	Row             int                     `json:"row"`
	ResponsibleID   int64                   `json:"responsible_id"`
	ResponsibleName string                  `json:"responsible_name"`
	Month           string                  `json:"month"`
	Pipeline        *string                 `json:"pipeline"`
	Values          map[string]domain.Money `json:"values"`
}

// planFile is a read plan file: its rows and what was wrong.
type planFile struct {
	Rows     []planImportRow
	Ignored  []string
	Problems []planProblem
}

// planRefs are the users and pipelines a file's names resolve to.
type planRefs struct {
	users     []crmcore.User
	pipelines []crmcore.Pipeline
}

// planColumn is one understood column of the header.
type planColumn struct {
	index        int
	kind, header string
}

// parsePlanFile understands a sheet: the header row, then each row's
// manager, month (defMonth when the file has no month column), pipeline
// and metric cells. Every bad cell is a problem; a blank metric cell
// sets nothing.
func parsePlanFile(sh planSheet, refs planRefs, defMonth string) planFile {
	var out planFile
	h, ok := findHeader(sh)
	if !ok {
		out.problem(planProblem{Row: 1, Column: "Менеджер", Code: codeMissingColumn,
			Message: "no manager column: the first rows hold none of Менеджер, Manager, E-mail", params: map[string]any{"column": "Менеджер"}})
		return out
	}
	header := sh.Rows[h]
	cols, ignored := planColumns(header.Cells)
	out.Ignored = ignored
	has := func(kind string) bool {
		return slices.ContainsFunc(cols, func(c planColumn) bool { return c.kind == kind })
	}
	if !has(colMonth) && defMonth == "" {
		out.problem(planProblem{Row: header.Line, Column: "Месяц", Code: codeMissingColumn,
			Message: "no month column (Месяц, Month) and no month given", params: map[string]any{"column": "Месяц"}})
	}
	if !slices.ContainsFunc(cols, func(c planColumn) bool { return slices.Contains(crmcore.PlanMetrics, c.kind) }) {
		out.problem(planProblem{Row: header.Line, Column: "Выручка, ₽", Code: codeMissingColumn,
			Message: "no metric column: Выручка, Выиграно сделок, Новые сделки, Звонки, Встречи", params: map[string]any{"column": "Выручка, ₽"}})
	}
	if len(out.Problems) > 0 {
		return out
	}
	seen := map[string]int{} // manager, month, pipeline, metric → the row that set it
	for _, r := range sh.Rows[h+1:] {
		if blankRow(r.Cells) {
			continue
		}
		row, ok := out.readRow(sh, r, cols, refs, defMonth)
		if !ok {
			continue
		}
		for _, c := range cols {
			if _, set := row.Values[c.kind]; !set {
				continue
			}
			key := fmt.Sprintf("%d %s %v %s", row.ResponsibleID, row.Month, planCodeOf(row.Pipeline), c.kind)
			if first, dup := seen[key]; dup {
				out.problem(planProblem{Row: r.Line, Column: c.header, Cell: sh.cellName(c.index, r.Line), Code: codeDuplicatePlan,
					Message: fmt.Sprintf("this manager's %s for %s is also in row %d", c.kind, row.Month, first), params: map[string]any{"first_row": first}})
			}
			seen[key] = r.Line
		}
		out.Rows = append(out.Rows, row)
	}
	if len(out.Rows) == 0 && len(out.Problems) == 0 {
		out.problem(planProblem{Row: header.Line, Column: header.Cells[cols[0].index], Code: codeNoPlanRows, Message: "no rows under the header"})
	}
	return out
}

// planColumns are the header's understood columns and the headers of
// the others.
func planColumns(cells []string) ([]planColumn, []string) {
	var cols []planColumn
	ignored := []string{}
	taken := map[string]bool{}
	for i, kind := range headerColumns(cells) {
		h := strings.TrimSpace(cells[i])
		if kind == "" || taken[kind] {
			if h != "" {
				ignored = append(ignored, h)
			}
			continue
		}
		taken[kind] = true
		cols = append(cols, planColumn{index: i, kind: kind, header: h})
	}
	return cols, ignored
}

func (f *planFile) problem(p planProblem) { f.Problems = append(f.Problems, p) }

// readRow reads one row; false when a problem left it unusable.
func (f *planFile) readRow(sh planSheet, r sheetRow, cols []planColumn, refs planRefs, defMonth string) (planImportRow, bool) {
	row := planImportRow{Row: r.Line, Month: defMonth, Values: map[string]domain.Money{}}
	before := len(f.Problems)
	for _, c := range cols {
		v := ""
		if c.index < len(r.Cells) {
			v = sh.cellText(r.Cells[c.index])
		}
		bad := func(code, msg string, params map[string]any) {
			f.problem(planProblem{Row: r.Line, Column: c.header, Cell: sh.cellName(c.index, r.Line), Value: v, Code: code, Message: msg, params: params})
		}
		switch c.kind {
		case colManager:
			u, code, msg := refs.manager(v)
			if code != "" {
				bad(code, msg, map[string]any{"value": v})
			}
			row.ResponsibleID, row.ResponsibleName = u.ID, u.Name
		case colMonth:
			m, ok := parsePlanMonth(v, sh.xlsx != nil)
			switch {
			case v == "":
				bad("required", "the month is empty", nil)
			case !ok:
				bad(codeUnknownMonth, fmt.Sprintf("%q is not a month: write 2026-03, 01.03.2026 or март 2026", v), map[string]any{"value": v})
			}
			row.Month = m
		case colPipeline:
			code, ok := refs.pipeline(v)
			if !ok {
				bad("unknown_pipeline", fmt.Sprintf("no deal pipeline %q (by code or name)", v), map[string]any{"value": v})
			}
			row.Pipeline = code
		default:
			if v == "" {
				continue
			}
			d, ok := parsePlanNumber(v)
			if !ok {
				bad(codeNotANumber, fmt.Sprintf("%q is not a number", v), map[string]any{"value": v})
				continue
			}
			value := domain.Money{Decimal: d}
			if err := crmcore.CheckPlanValue(c.kind, c.kind, value); err != nil {
				e := apperr.As(err)
				bad(e.Code, e.Message, map[string]any{"value": v})
				continue
			}
			row.Values[c.kind] = value
		}
	}
	return row, len(f.Problems) == before
}

// planCodeOf is a pipeline code for a key ("" for all pipelines).
func planCodeOf(code *string) string {
	if code == nil {
		return ""
	}
	return "=" + *code
}

// sets are the file's targets as PlanSets, one per metric, month and
// pipeline, in the order of the file.
func (f planFile) sets() []crmcore.PlanSet {
	var out []crmcore.PlanSet
	at := map[string]int{}
	for _, r := range f.Rows {
		for _, metric := range crmcore.PlanMetrics {
			v, ok := r.Values[metric]
			if !ok {
				continue
			}
			key := metric + " " + r.Month + " " + planCodeOf(r.Pipeline)
			i, seen := at[key]
			if !seen {
				i, at[key] = len(out), len(out)
				out = append(out, crmcore.PlanSet{Metric: metric, Month: r.Month, Pipeline: r.Pipeline})
			}
			out[i].Targets = append(out[i].Targets, crmcore.PlanTarget{ResponsibleID: r.ResponsibleID, Value: &v})
		}
	}
	return out
}
