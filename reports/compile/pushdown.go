package compile

import (
	"slices"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// semiJoin is a filter on a lookup's column checked on the base table
// too, as key IN (SELECT key FROM lookup WHERE cond), so that the joins
// see only the rows that can pass (e.g. one pipeline's deals).
type semiJoin struct {
	lookup dataset.Lookup
	cond   sq.Sqlizer
}

// pushDown adds a semi-join for a filter when it selects the same rows
// before the joins as after: a positive match (eq, in, contains) on
// non-empty text from one plain lookup. A row whose key has no match
// gets the column's default, the empty text, which such a filter never
// passes; the filter stays on the joined rows as well.
func (p *Plan) pushDown(f dataset.Field, flt reports.Filter, cond sq.Sqlizer) {
	if len(f.Lookups) != 1 || f.Type != reports.TypeString || !slices.Contains([]string{reports.OpEq, reports.OpIn, reports.OpContains}, flt.Op) {
		return
	}
	l, ok := p.ds.FindLookup(f.Lookups[0])
	if !ok || len(l.Needs) > 0 || l.Extra != "" || l.GroupBy != "" || !slices.Contains(p.ds.Columns, l.Using) {
		return
	}
	v, _ := decodeValue(flt.Value)
	vals, isList := v.([]any)
	if !isList {
		vals = []any{v}
	}
	for _, x := range vals {
		if s, ok := x.(string); !ok || s == "" {
			return
		}
	}
	p.semi = append(p.semi, semiJoin{lookup: l, cond: cond})
}

// sql is the semi-join's condition on the base table's key column.
func (s semiJoin) sql(names olap.Names) sq.Sqlizer {
	k := s.lookup.Using
	return olap.Template{Text: k + " IN (SELECT " + k + " FROM (" + names.LookupSQL(s.lookup.Lookup) + ") WHERE {cond})", Slots: olap.Slots{"cond": s.cond}}
}
