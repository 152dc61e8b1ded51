package olap

import (
	"strconv"

	sq "github.com/Masterminds/squirrel"
)

// Lookup is a mirror table joined to rows by key, current state only:
// `ANY LEFT JOIN (SELECT Select FROM table FINAL WHERE _deleted = 0
// [GROUP BY GroupBy]) USING (Using)`; rows without a match get the
// columns' defaults. Extra ("expr AS name, …") is computed on the joined
// row. All of it is SQL written in code, never request text.
type Lookup struct {
	Table   string
	Select  string // the right side's columns, renamed, join key(s) included
	Using   string // the join key column(s), comma-separated
	GroupBy string // optional GROUP BY of the right side
	Extra   string // optional "expr AS name, …" computed after the join
}

// LookupSQL is the right side of a lookup join.
func (n Names) LookupSQL(l Lookup) string {
	q := n.Current(l.Table, l.Select)
	if l.GroupBy != "" {
		q += " GROUP BY " + l.GroupBy
	}
	return q
}

// JoinLookups joins each lookup to the rows of src in turn, one per
// SELECT (ClickHouse 18.16 joins one table per SELECT): every column of
// the rows so far, the lookup's columns and its Extra ones. alias names
// the subqueries (<alias>0, <alias>r0, …).
func (n Names) JoinLookups(src sq.SelectBuilder, alias string, lookups []Lookup) sq.SelectBuilder {
	for i, l := range lookups {
		cols := "*"
		if l.Extra != "" {
			cols += ", " + l.Extra
		}
		k := strconv.Itoa(i)
		src = sq.Select(cols).FromSelect(src, alias+k).
			JoinClause("ANY LEFT JOIN (" + n.LookupSQL(l) + ") AS " + alias + "r" + k + " USING (" + l.Using + ")")
	}
	return src
}
