package compile

import (
	"strings"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// grainFuncs truncate a time to its grain in a time zone (all take the
// zone argument in ClickHouse 18.16 and current releases alike).
var grainFuncs = map[string]string{
	"day": "toDate", "week": "toMonday", "month": "toStartOfMonth",
	"quarter": "toStartOfQuarter", "year": "toStartOfYear",
}

// dimSQL is a dimension's expression; a grain truncates in the report's
// time zone, bound as a value.
func (p *Plan) dimSQL(d dimPlan) (string, []any) {
	if d.grain == "" {
		return d.field.Expr, nil
	}
	return grainFuncs[d.grain] + "(" + d.field.Expr + ", ?)", []any{p.tz()}
}

// measureSQL is a measure's aggregate. Money averages run at six
// decimals, truncated (rounded to the kopeck when read); medians are exact: the
// middle of the sorted values, or the mean of the two middle ones
// (money in kopecks as integers: ClickHouse 18.16 cannot sort decimal
// arrays).
func measureSQL(m measurePlan) string {
	e := m.field.Expr
	switch m.agg {
	case reports.AggCount:
		if m.field.Key == "" {
			return "count()"
		}
		return "count(" + e + ")"
	case reports.AggCountDistinct: // 18.16 answers NULL over no rows of a Nullable field, 20+ answers 0
		return "ifNull(uniqExact(" + e + "), 0)"
	case reports.AggAvg:
		if m.field.Type == reports.TypeMoney { // avg of no decimals throws in 18.16
			return "if(count(" + e + ") = 0, NULL, sum(toDecimal128(" + e + ", 6)) / greatest(count(" + e + "), 1))"
		}
		return "avg(" + e + ")"
	case reports.AggMedian:
		return medianSQL(m.field)
	}
	return m.agg + "(" + e + ")" // sum, min, max
}

func medianSQL(f dataset.Field) string {
	v := "toFloat64(" + f.Expr + ")"
	switch f.Type {
	case reports.TypeMoney:
		v = "toInt64(toDecimal128(" + f.Expr + ", 2) * 100)"
	case reports.TypeInteger:
		v = "toInt64(" + f.Expr + ")"
	}
	sorted := "arraySort(groupArray(" + v + "))"
	n := "count(" + f.Expr + ")"
	return "if(" + n + " = 0, NULL, (arrayElement(" + sorted + ", intDiv(" + n + " + 1, 2)) + arrayElement(" +
		sorted + ", intDiv(" + n + ", 2) + 1)) / 2)"
}

// source is the dataset's rows for the report: the base table's current
// state (FINAL, not deleted) under the access condition and the
// conditions on its own columns, then each lookup the report needs
// joined in turn (olap.JoinLookups: ClickHouse 18.16 joins one table per
// SELECT).
func (p *Plan) source(names olap.Names, acc dataset.Access) sq.SelectBuilder {
	lookups := p.ds.LookupOrder(p.lookups)
	src := sq.Select(p.baseColumns(lookups)...).From(names.Table(p.ds.Table) + " FINAL").Where("_deleted = 0").Where(p.ds.Access(acc))
	for _, c := range p.inner {
		src = src.Where(c)
	}
	for _, s := range p.semi {
		src = src.Where(s.sql(names))
	}
	return names.JoinLookups(src, "l", dataset.Joins(lookups))
}

// baseColumns are the base table's columns the report reads: those the
// fields used mention, and the lookups' keys and extra expressions.
func (p *Plan) baseColumns(lookups []dataset.Lookup) []string {
	exprs := append([]string(nil), p.exprs...)
	for _, l := range lookups {
		exprs = append(exprs, l.Using, l.Extra)
	}
	cols := p.ds.ColumnsIn(strings.Join(exprs, " "))
	if len(cols) == 0 {
		cols = p.ds.Columns[:1]
	}
	return cols
}
