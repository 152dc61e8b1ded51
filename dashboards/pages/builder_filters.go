package pages

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// opNotNull is the builder's "is not empty": is_null with value false.
const opNotNull = "not_null"

// filterRow is one filter row of the builder form: field, operator and
// the value as typed (V; a list separated by ";" for in and not_in), the
// upper bound of between (V2), or the values picked in a list (Vs).
type filterRow struct {
	Field, Op, V, V2 string
	Vs               []string
}

// encode adds the row's form fields under prefix p (f0_…).
func (r filterRow) encode(v url.Values, p string) {
	v.Set(p+"field", r.Field)
	for k, x := range map[string]string{"op": r.Op, "v": r.V, "v2": r.V2} {
		if x != "" {
			v.Set(p+k, x)
		}
	}
	v[p+"vs"] = r.Vs
}

// filter is the definition's filter for row i of a dataset; an operator
// left unchosen is the field's first. Values are typed by the field:
// numbers as JSON numbers (decimal comma allowed), the rest as text, so
// the engine judges them and names filters[i].value when they are wrong.
func (r filterRow) filter(ds *dataset.Dataset, i int) (reports.Filter, error) {
	f := reports.Filter{Field: r.Field, Op: r.Op}
	typ := ""
	if ds != nil {
		if fi, ok := fieldInfo(ds, r.Field); ok {
			typ = fi.Type
			if f.Op == "" {
				f.Op = fi.Ops[0]
			}
		}
	}
	var v any
	switch f.Op {
	case reports.OpIsNull:
		return f, nil
	case opNotNull:
		f.Op, v = reports.OpIsNull, false
	case reports.OpBetween:
		lo, hi := strings.TrimSpace(r.V) != "", strings.TrimSpace(r.V2) != ""
		switch {
		case !lo && !hi:
			return f, apperr.Field(valueField(i), codeNoValue, "enter both values")
		case !lo || !hi:
			return f, apperr.Field(valueField(i), codeBetweenOne, "between takes both values; for one bound choose greater than or less than")
		}
		v = []any{typed(typ, r.V), typed(typ, r.V2)}
	case reports.OpIn, reports.OpNotIn:
		v = r.list(typ)
	default:
		if strings.TrimSpace(r.V) == "" {
			return f, apperr.Field(valueField(i), codeNoValue, "enter a value")
		}
		v = typed(typ, r.V)
	}
	raw, err := json.Marshal(v)
	f.Value = raw
	return f, err
}

// valueField is the field of row i's value in a definition.
func valueField(i int) string { return "filters[" + strconv.Itoa(i) + "].value" }

// list is an in/not_in row's values: those picked, else the typed text
// split at ";".
func (r filterRow) list(typ string) []any {
	items := r.Vs
	if len(items) == 0 {
		items = strings.Split(r.V, ";")
	}
	out := []any{}
	for _, s := range items {
		if strings.TrimSpace(s) != "" {
			out = append(out, typed(typ, s))
		}
	}
	return out
}

// typed is a value as JSON of the field's type: a number for numeric
// fields when it reads as one, else the text itself.
func typed(typ, s string) any {
	switch typ {
	case reports.TypeInteger, reports.TypeNumber, reports.TypeMoney, reports.TypePercent:
		n := strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(strings.TrimSpace(s))
		var num json.Number
		if json.Unmarshal([]byte(n), &num) == nil {
			return num
		}
		return s
	case reports.TypeString:
		return s
	}
	return strings.TrimSpace(s)
}

// rowFromFilter is the form row of a saved filter.
func rowFromFilter(f reports.Filter) filterRow {
	r := filterRow{Field: f.Field, Op: f.Op}
	dec := json.NewDecoder(bytes.NewReader(f.Value))
	dec.UseNumber()
	var v any
	if len(f.Value) > 0 && dec.Decode(&v) != nil {
		return r
	}
	switch x := v.(type) {
	case bool:
		if f.Op == reports.OpIsNull && !x {
			r.Op = opNotNull
		}
	case []any:
		for _, item := range x {
			r.Vs = append(r.Vs, valueText(item))
		}
		r.V = strings.Join(r.Vs, "; ")
		if f.Op == reports.OpBetween && len(r.Vs) == 2 {
			r.V, r.V2, r.Vs = r.Vs[0], r.Vs[1], nil
		}
	case nil:
	default:
		r.V = valueText(x)
	}
	return r
}

func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return cellText(v)
}

// fieldInfo finds a field of ds with its operators.
func fieldInfo(ds *dataset.Dataset, key string) (dataset.FieldInfo, bool) {
	for _, f := range ds.Info().Fields {
		if f.Key == key {
			return f, true
		}
	}
	return dataset.FieldInfo{}, false
}
