package compile

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// The rows a drill lists at most (meta.total counts them all).
const (
	DefaultDrillLimit = 10_000
	MaxDrillLimit     = reports.MaxLimit
)

// DrillOptions say how a drill lists its records: Sort by record column
// keys (then by id), up to Limit rows (0: DefaultDrillLimit) after the
// first Offset of that order (a page: meta.total still counts them all).
type DrillOptions struct {
	Sort   []reports.Sort `json:"sort,omitempty"`
	Limit  int            `json:"limit,omitempty"`
	Offset int            `json:"offset,omitempty"`
}

// Drill is the records behind a number, ready to run: Rows lists them
// (sorted, up to Limit after the first Offset), Count counts them all.
// Both read the same rows the number was computed from: the plan's
// source (dataset, access, filters, period, lookups) and its conditions
// on the joined rows, plus the cell's. Cols say how Rows' columns are read, in zone Loc.
type Drill struct {
	Rows, Count *olap.Query
	Cols        []OutCol
	Loc         *time.Location
	Limit       int
	Offset      int
	Period      *reports.Range
}

// Columns are the record columns.
func (d *Drill) Columns() []reports.Column { return plainColumns(d.Cols) }

// Drill compiles the records behind one cell of the plan's answer for p:
// cell maps dimension column keys (as in the answer's columns) to values
// as the answer's rows hold them (null: the rows where the dimension is
// empty); a dimension left out is all of it, {} the grand total. Each
// value is bound and compared with the dimension's own expression (its
// grain in the report's zone), so the records are the rows the cell
// counted. Errors are 422s naming cell.<key>, sort[i].by, limit or
// offset.
func (pl *Plan) Drill(names olap.Names, p domain.Principal, cell map[string]json.RawMessage, opts DrillOptions) (*Drill, error) {
	inner, outer, err := pl.cellConds(cell)
	if err != nil {
		return nil, err
	}
	rec, err := pl.records(opts)
	if err != nil {
		return nil, err
	}
	return rec.compile(names, p, inner, outer)
}

// cellConds are the cell's conditions: on the base table for a
// dimension that needs no lookup (before the joins, as filters go), else
// on the joined rows. Keys are checked in order, so errors are stable.
func (pl *Plan) cellConds(cell map[string]json.RawMessage) (inner, outer []sq.Sqlizer, err error) {
	keys := make([]string, 0, len(cell))
	for k := range cell {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i := slices.IndexFunc(pl.dims, func(d dimPlan) bool { return d.key == k })
		if i < 0 {
			var allowed []string
			for _, d := range pl.dims {
				allowed = append(allowed, d.key)
			}
			return nil, nil, invalid("cell."+k, "not_a_dimension", fmt.Sprintf("%q is not a dimension of the report", k), allowed)
		}
		d := pl.dims[i]
		cond, err := pl.cellCond(d, cell[k], "cell."+k)
		if err != nil {
			return nil, nil, err
		}
		if len(d.field.Lookups) == 0 {
			inner = append(inner, cond)
		} else {
			outer = append(outer, cond)
		}
	}
	return inner, outer, nil
}

// cellCond is dimension d equal to the raw value: a value of the
// dimension's column type (a grain's is a date), or null for its empty
// group.
func (pl *Plan) cellCond(d dimPlan, raw json.RawMessage, path string) (sq.Sqlizer, error) {
	expr, args := pl.dimSQL(d)
	v, ok := decodeValue(raw)
	if !ok {
		return nil, apperr.Field(path, "invalid_value", "give a value as the report's rows hold it")
	}
	if v == nil {
		return sq.Expr("isNull("+expr+")", args...), nil
	}
	f := d.field
	if d.grain != "" {
		f.Type = reports.TypeDate // the start of the grain's period, a date
	}
	arg, ph, _, err := cellScalar(f, v, pl.loc, path)
	if err != nil {
		return nil, err
	}
	return sq.Expr(expr+" = "+ph, append(args, arg)...), nil
}

// cellScalar is a filter value's conversion, but a time must be an
// RFC 3339 instant, as the answer's rows hold one (a date would mean a
// midnight no row of the answer shows).
func cellScalar(f dataset.Field, v any, loc *time.Location, path string) (any, string, bool, error) {
	if s, ok := v.(string); ok && f.Type == reports.TypeDateTime {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			e := apperr.Field(path, "invalid_value", f.Key+" takes an RFC 3339 time 2025-01-31T09:00:00+03:00")
			e.Details = map[string]any{"want": f.Type}
			return nil, "", false, e
		}
	}
	return scalar(f, v, loc, path)
}
