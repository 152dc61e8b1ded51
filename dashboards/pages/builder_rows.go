package pages

import (
	"context"
	"slices"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// filterView is one filter row as the builder draws it: the dataset's
// fields by label, the operators the chosen field's type takes, and the
// value input that suits it (Input: text, number, date, select, multi or
// none), with the error the engine gave for this row.
type filterView struct {
	Index       int
	Row         filterRow
	Fields, Ops []option
	Input       string
	Between     bool
	Values      []choice
	Err         string
}

// choice is an option that may be selected.
type choice struct {
	Value, Label string
	Selected     bool
}

// filterViews draws the selection's rows plus one empty row to add a
// filter; errs holds the engine's message by row.
func (s *handlers) filterViews(ctx context.Context, d *pageData, ds *dataset.Dataset, rows []filterRow, errs map[int]string) []filterView {
	var fields []option
	for _, f := range ds.Info().Fields {
		fields = append(fields, option{f.Key, f.Label(d.Lang)})
	}
	out := []filterView{}
	for i, r := range append(slices.Clone(rows), filterRow{}) {
		if i >= maxFilters {
			break
		}
		v := filterView{Index: i, Row: r, Fields: fields, Err: errs[i], Input: "text"}
		if f, ok := fieldInfo(ds, r.Field); ok {
			s.fitInput(ctx, d, ds, f, &v)
		}
		out = append(out, v)
	}
	return out
}

// fitInput fills the operators of field f and the value input for the
// row's operator (the first one when none is chosen).
func (s *handlers) fitInput(ctx context.Context, d *pageData, ds *dataset.Dataset, f dataset.FieldInfo, v *filterView) {
	ops := f.Ops
	if slices.Contains(ops, reports.OpIsNull) {
		ops = append(slices.Clone(ops), opNotNull)
	}
	for _, op := range ops {
		key := "op_" + op
		if f.IsDate() && (op == reports.OpGt || op == reports.OpLt) {
			key += "_date" // after, before
		}
		v.Ops = append(v.Ops, option{op, d.T(key)})
	}
	op := v.Row.Op
	if !slices.Contains(ops, op) {
		op = ops[0]
	}
	v.Row.Op = op
	v.Between = op == reports.OpBetween
	list := op == reports.OpIn || op == reports.OpNotIn
	switch {
	case op == reports.OpIsNull || op == opNotNull:
		v.Input = "none"
	case op != reports.OpContains && op != reports.OpBetween && pickable(ds, f):
		if known := s.knownValues(ctx, d.User, ds, f); known != nil {
			v.Input, v.Values = "select", choices(known, v.Row, list)
			if list {
				v.Input = "multi"
			}
		}
	case f.IsDate():
		v.Input = "date"
	case list:
	case f.Type != reports.TypeString:
		v.Input = "number"
	}
}

// choices marks the known values the row holds; a value the row holds
// that the data lacks stays listed, selected.
func choices(known []option, r filterRow, list bool) []choice {
	picked := []string{r.V}
	if list && len(r.Vs) > 0 {
		picked = r.Vs
	}
	out := make([]choice, 0, len(known))
	for _, o := range known {
		out = append(out, choice{o.Value, o.Label, slices.Contains(picked, o.Value)})
	}
	for _, p := range picked {
		if p != "" && !slices.ContainsFunc(known, func(o option) bool { return o.Value == p }) {
			out = append(out, choice{p, p, true})
		}
	}
	return out
}
