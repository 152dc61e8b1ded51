package compile

import (
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// Compiled is a grouped report ready to run. Without a pivot, Main
// groups by every dimension WITH TOTALS. With one, Main holds the cells
// (every dimension); when the measures are not additive (averages,
// medians, distinct counts), Rows holds the row totals WITH TOTALS (its
// totals are the grand total) and Cols the column totals, else the
// totals are added up from the cells.
//
// MainCols, RowsCols and ColsCols say how each query's columns are read
// (Read), in the report's time zone Loc.
type Compiled struct {
	Main, Rows, Cols             *olap.Query
	MainCols, RowsCols, ColsCols []OutCol
	Loc                          *time.Location
	plan                         *Plan
}

// IsPivot reports whether c is a pivot (Rows nil too: an additive one).
func (c *Compiled) IsPivot() bool { return c.plan.IsPivot() }

// Limit is how many rows the report shows.
func (c *Compiled) Limit() int { return c.plan.limit }

// Columns are the result columns of a report without a pivot.
func (c *Compiled) Columns() []reports.Column { return plainColumns(c.MainCols) }

// FlatResult is the answer of a report without a pivot from Main's rows
// and totals row (nil when none): rows up to the limit (Meta.Truncated
// says whether more came), totals without the dimensions' cells.
func (c *Compiled) FlatResult(rows [][]any, totals []any) *reports.Result {
	res := &reports.Result{Columns: c.Columns(), Rows: rows}
	if len(rows) > c.plan.limit {
		res.Rows, res.Meta.Truncated = rows[:c.plan.limit], true
	}
	res.Totals = c.FlatTotals(totals)
	return res
}

// FlatTotals blanks the dimensions' cells of a totals row (nil stays nil).
func (c *Compiled) FlatTotals(totals []any) []any {
	if totals == nil {
		return nil
	}
	for i := range c.plan.dims {
		totals[i] = nil
	}
	return totals
}

// Period is the report's resolved period (nil when it has none).
func (c *Compiled) Period() *reports.Range { return c.plan.rng }

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
		var byCols []sortPlan
		for _, j := range pl.pivot {
			byCols = append(byCols, sortPlan{col: j})
		}
		c.Main, err = pl.query(src, all, false, byCols, reports.MaxLimit+1)
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
	c.Cols, err = pl.query(src, pl.pivot, false, nil, maxPivotColumns+1)
	return c, err
}

// query selects dims (indexes into p.dims) and every measure from src,
// grouped, ordered by order then the dims, limited to limit rows.
func (p *Plan) query(src sq.SelectBuilder, dims []int, totals bool, order []sortPlan, limit int) (*olap.Query, error) {
	q := sq.Select().FromSelect(src, "t")
	var group, orderBy []string
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
		orderBy = append(orderBy, p.alias(s.col)+map[bool]string{true: " DESC", false: ""}[s.desc])
	}
	orderBy = append(orderBy, group...)
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
