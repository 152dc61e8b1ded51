package compile

import (
	"slices"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// maxPivotColumns bounds the distinct values of the pivot dimensions.
const maxPivotColumns = 200

// Compile validates def and compiles it to ClickHouse SQL over the tables
// names qualifies, for principal p, resolving period presets at now. It
// needs no database. Identifiers come only from the dataset; every value
// from def is a bound argument; p's access condition is always ANDed in.
func Compile(names olap.Names, p domain.Principal, def *reports.Definition, now time.Time) (*Compiled, error) {
	pl, err := NewPlan(def, now)
	if err != nil {
		return nil, err
	}
	return pl.Compile(names, p)
}

// Compile compiles a validated plan for p over the tables names
// qualifies.
func (pl *Plan) Compile(names olap.Names, p domain.Principal) (*Compiled, error) {
	src := pl.source(names, dataset.NewAccess(names, p))
	var err error
	c := &Compiled{plan: pl, Loc: pl.loc, MainCols: pl.columns()}
	all := pl.dimIndexes(func(int) bool { return true })
	if len(pl.pivot) == 0 {
		c.Main, err = pl.query(src, all, true, pl.sort, pl.limit+1)
		return c, err
	}
	if pl.additive() { // totals follow from the cells: one query, by column values first
		c.Main, err = pl.query(src, all, false, pl.pivotOrder(), reports.MaxLimit+1)
		return c, err
	}
	rows := pl.dimIndexes(func(i int) bool { return !pl.isPivot(i) })
	c.RowsCols, c.ColsCols = pl.subColumns(rows), pl.subColumns(pl.pivot)
	if c.Main, err = pl.query(src, all, false, nil, reports.MaxLimit+1); err != nil {
		return nil, err
	}
	if c.Rows, err = pl.query(src, rows, true, pl.sort, pl.limit+1); err != nil {
		return nil, err
	}
	c.Cols, err = pl.query(src, pl.pivot, false, pl.pivotOrder(), maxPivotColumns+1)
	return c, err
}

// query selects dims (indexes into p.dims) and every measure from src,
// grouped, ordered by order then the dims, limited to limit rows.
func (p *Plan) query(src sq.SelectBuilder, dims []int, totals bool, order []sortPlan, limit int) (*olap.Query, error) {
	q := sq.Select().FromSelect(src, "t")
	var group, orderBy []string
	if p.sideCur != nil { // a comparison's statement: the period's side first, the current one first
		q, group, orderBy = q.Column(sideAlias), append(group, sideAlias), append(orderBy, sideAlias+" DESC")
	}
	for _, i := range dims {
		expr, args := p.dimSQL(p.dims[i])
		q = q.Column(sq.Expr(expr+" AS "+dimAlias(i), args...))
		group = append(group, dimAlias(i))
	}
	for j, m := range p.measures {
		q = q.Column(measureSQL(m) + " AS " + measureAlias(j))
	}
	for _, c := range p.outer {
		q = q.Where(c)
	}
	for _, s := range order {
		term := s.expr
		if term == "" {
			term = p.alias(s.col)
		}
		orderBy = append(orderBy, term+map[bool]string{true: " DESC", false: ""}[s.desc])
	}
	for _, g := range group {
		if !slices.Contains(orderBy, g) {
			orderBy = append(orderBy, g)
		}
	}
	if len(group) > 0 {
		clause := strings.Join(group, ", ")
		if totals {
			clause += " WITH TOTALS"
		}
		q = q.GroupBy(clause).OrderBy(orderBy...)
	}
	text, args, err := q.Limit(uint64(limit)).ToSql()
	if err != nil {
		return nil, err
	}
	return &olap.Query{SQL: text, Args: args}, nil
}

func dimAlias(i int) string     { return "d" + strconv.Itoa(i) }
func measureAlias(j int) string { return "m" + strconv.Itoa(j) }

// alias is the SQL alias of result column i (dims, then measures).
func (p *Plan) alias(i int) string {
	if i < len(p.dims) {
		return dimAlias(i)
	}
	return measureAlias(i - len(p.dims))
}

func (p *Plan) isPivot(i int) bool {
	for _, j := range p.pivot {
		if j == i {
			return true
		}
	}
	return false
}

func (p *Plan) dimIndexes(keep func(int) bool) []int {
	var out []int
	for i := range p.dims {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// grainFuncs truncate a time to its grain in a time zone (all take the
// zone argument in ClickHouse 18.16 and current releases alike).
var grainFuncs = map[string]string{
	"day": "toDate", "week": "toMonday", "month": "toStartOfMonth",
	"quarter": "toStartOfQuarter", "year": "toStartOfYear",
}

// dimSQL is a dimension's expression; a grain truncates a time in the
// report's time zone, bound as a value, and a calendar date (a Date
// column) as it is: a date has no zone, and 18.16 refuses one for it.
func (p *Plan) dimSQL(d dimPlan) (string, []any) {
	switch {
	case d.grain == "":
		return d.field.Expr, nil
	case d.field.Type == reports.TypeDate:
		return grainFuncs[d.grain] + "(" + d.field.Expr + ")", nil
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
	if p.sideCur != nil {
		src = src.Column(p.sideColumn())
	}
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
