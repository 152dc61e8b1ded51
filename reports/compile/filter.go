package compile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

func (d request) planFilters(p *Plan) error {
	for i, flt := range d.Filters {
		path := at("filters", i)
		f, err := p.field(flt.Field, path+".field")
		if err != nil {
			return err
		}
		if !slices.Contains(reports.OpsFor(f.Type), flt.Op) {
			return invalid(path+".op", "op_not_allowed", fmt.Sprintf("operator %q does not apply to %s", flt.Op, f.Key), reports.OpsFor(f.Type))
		}
		cond, err := filterCond(f, flt, p.loc, path+".value")
		if err != nil {
			return err
		}
		p.where(f, cond)
		p.pushDown(f, flt, cond)
	}
	if p.rng != nil {
		if len(p.period.Lookups) == 0 {
			p.periodAt = len(p.inner) + 1
		}
		p.where(p.period, periodCond(p.period, *p.rng, p.loc))
	}
	return nil
}

// periodCond keeps the rows whose period field falls in rng: a time in
// [From, To); a calendar date when its day starts in that range in the
// report's zone (the dates From to To, To excluded, for a period of
// whole days), compared as dates (a Date column compared with a time
// compares numbers in 18.16).
func periodCond(f dataset.Field, rng reports.Range, loc *time.Location) sq.Sqlizer {
	if f.Type != reports.TypeDate {
		return sq.Expr(f.Expr+" >= ? AND "+f.Expr+" < ?", rng.From, rng.To)
	}
	return sq.Expr(f.Expr+" >= toDate(?) AND "+f.Expr+" < toDate(?)", dayFrom(rng.From, loc), dayFrom(rng.To, loc))
}

// dayFrom is the first date whose day starts at or after t in loc, as
// YYYY-MM-DD.
func dayFrom(t time.Time, loc *time.Location) string {
	l := t.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if day.Before(l) {
		day = day.AddDate(0, 0, 1)
	}
	return day.Format(time.DateOnly)
}

// where adds a condition: on the base table when the field needs no
// lookup (before the joins), else on the joined rows.
func (p *Plan) where(f dataset.Field, cond sq.Sqlizer) {
	if len(f.Lookups) == 0 {
		p.inner = append(p.inner, cond)
	} else {
		p.outer = append(p.outer, cond)
	}
}

// decodeValue reads a filter value keeping numbers exact.
func decodeValue(raw json.RawMessage) (any, bool) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// filterCond is the condition of one filter with its values bound.
func filterCond(f dataset.Field, flt reports.Filter, loc *time.Location, path string) (sq.Sqlizer, error) {
	v, present := decodeValue(flt.Value)
	e := f.Expr
	switch flt.Op {
	case reports.OpIsNull:
		return isNullCond(e, v, present, path)
	case reports.OpIn, reports.OpNotIn:
		return inCond(f, flt.Op, v, loc, path)
	case reports.OpBetween:
		return betweenCond(f, v, loc, path)
	case reports.OpContains:
		s, ok := v.(string)
		if !ok || s == "" || len([]rune(s)) > maxText {
			return nil, apperr.Field(path, "invalid_value", fmt.Sprintf("contains takes a text of 1 to %d characters", maxText))
		}
		return sq.Expr("positionCaseInsensitiveUTF8("+e+", ?) > 0", s), nil
	}
	arg, ph, _, err := scalar(f, v, loc, path)
	if err != nil {
		return nil, err
	}
	op := map[string]string{reports.OpEq: " = ", reports.OpNe: " != ", reports.OpGt: " > ", reports.OpLt: " < "}[flt.Op]
	return sq.Expr(e+op+ph, arg), nil
}

func isNullCond(e string, v any, present bool, path string) (sq.Sqlizer, error) {
	b, ok := v.(bool)
	switch {
	case !present || v == nil || (ok && b):
		return sq.Expr("isNull(" + e + ")"), nil
	case ok:
		return sq.Expr("isNotNull(" + e + ")"), nil
	}
	return nil, apperr.Field(path, "invalid_value", "is_null takes true (is empty), false (is not empty) or nothing")
}

func inCond(f dataset.Field, op string, v any, loc *time.Location, path string) (sq.Sqlizer, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 || len(list) > MaxInValues {
		return nil, apperr.Field(path, "invalid_value", fmt.Sprintf("%s takes a list of 1 to %d values", op, MaxInValues))
	}
	args := make([]any, len(list))
	for i, item := range list {
		arg, _, _, err := scalar(f, item, loc, at(path, i))
		if err != nil {
			return nil, err
		}
		args[i] = arg
	}
	e := f.Expr
	if f.Type == reports.TypeMoney { // an IN list takes literals only: compare kopecks
		e = "toInt64(toDecimal128(" + e + ", 2) * 100)"
		for i, a := range args {
			args[i] = kopecks(a.(string))
		}
	}
	marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ") + ")"
	if op == reports.OpNotIn { // an empty value is in no list and out of none, as with ne: 18.16 kept it, 20+ drops it
		return sq.Expr("isNotNull("+e+") AND "+e+" NOT IN "+marks, args...), nil
	}
	return sq.Expr(e+" IN "+marks, args...), nil
}

// betweenCond is lo <= x <= hi; a date-only upper bound on a time field
// covers that whole day (on a date field it is that day).
func betweenCond(f dataset.Field, v any, loc *time.Location, path string) (sq.Sqlizer, error) {
	pair, ok := v.([]any)
	if !ok || len(pair) != 2 {
		return nil, apperr.Field(path, "invalid_value", "between takes a list of two values [from, to]")
	}
	lo, phLo, _, err := scalar(f, pair[0], loc, at(path, 0))
	if err != nil {
		return nil, err
	}
	hi, phHi, wholeDay, err := scalar(f, pair[1], loc, at(path, 1))
	if err != nil {
		return nil, err
	}
	if wholeDay && f.Type != reports.TypeDate {
		return sq.Expr(f.Expr+" >= "+phLo+" AND "+f.Expr+" < "+phHi, lo, hi.(time.Time).AddDate(0, 0, 1)), nil
	}
	return sq.Expr(f.Expr+" >= "+phLo+" AND "+f.Expr+" <= "+phHi, lo, hi), nil
}
