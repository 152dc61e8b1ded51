package compile

import (
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// A comparison (Definition.Compare) in one statement: the plan's query
// over both periods at once — its period condition widened to "in the
// current period or in the previous one", and a leading group key
// _side, 1 for a row of the current period and 0 for one of the
// previous — so ClickHouse reads the rows once. Its totals are added up
// from the cells, which holds for counts, sums, minima and maxima
// (additive); a plan with other measures, a pivot, or a period on a
// looked-up field is compared by two runs instead (CanCompareInOne).

const sideAlias = "_side"

// sideColumn is _side over the base table: whether the row is in the
// current period.
func (p *Plan) sideColumn() sq.Sqlizer {
	text, args, _ := p.sideCur.ToSql()
	return sq.Expr("toInt64("+text+") AS "+sideAlias, args...)
}

// CanCompareInOne reports whether the plan's comparison can be one
// statement.
func (p *Plan) CanCompareInOne() bool {
	return len(p.pivot) == 0 && p.rng != nil && p.periodAt > 0 && p.additive()
}

// ComparedQuery is the comparison's statement and how its columns are
// read: _side, then the plan's columns. Its rows come current side
// first, each side in the plan's order, up to the plan's limit per side
// (and one more, to see a cut).
type ComparedQuery struct {
	Query *olap.Query
	Cols  []OutCol
	Loc   *time.Location
	plan  *Plan
}

// CompileCompared compiles the plan (CanCompareInOne) for p over its
// period and prev at once.
func (p *Plan) CompileCompared(names olap.Names, pr domain.Principal, prev reports.Range) (*ComparedQuery, error) {
	cp := *p
	cp.inner = append([]sq.Sqlizer(nil), p.inner...)
	cur := periodCond(p.period, *p.rng, p.loc)
	cp.inner[p.periodAt-1] = sq.Or{cur, periodCond(p.period, prev, p.loc)}
	cp.sideCur = cur
	src := cp.source(names, dataset.NewAccess(names, pr))
	q, err := cp.query(src, cp.dimIndexes(func(int) bool { return true }), false, cp.sort, 2*(cp.limit+1))
	if err != nil {
		return nil, err
	}
	side := OutCol{Column: reports.Column{Key: sideAlias, Type: reports.TypeInteger}}
	return &ComparedQuery{Query: q, Cols: append([]OutCol{side}, p.columns()...), Loc: p.loc, plan: p}, nil
}

// Results splits the statement's rows (read with Cols) into the current
// and the previous period's answers, each as the plan alone would give
// it: rows up to the limit (Meta.Truncated past it), totals added up
// from the cells when the plan has dimensions (none without, as WITH
// TOTALS gives none), and without dimensions one row even for a side
// with no rows (counts 0, the rest null).
func (c *ComparedQuery) Results(rows [][]any) (cur, prev *reports.Result) {
	p := c.plan
	nd := len(p.dims)
	split := [2][][]any{}
	for _, r := range rows {
		side := 0
		if n, ok := r[0].(int64); ok && n == 1 {
			side = 1
		}
		split[side] = append(split[side], r[1:])
	}
	one := &Compiled{plan: p, Loc: p.loc, MainCols: p.columns()}
	result := func(rows [][]any) *reports.Result {
		if nd == 0 && len(rows) == 0 {
			empty := make([]any, len(p.measures))
			for j, m := range p.measures {
				if m.agg == reports.AggCount {
					empty[j] = int64(0)
				}
			}
			rows = [][]any{empty}
		}
		var totals []any
		if nd > 0 && len(rows) > 0 {
			totals = make([]any, nd+len(p.measures))
			for _, r := range rows {
				p.fold(totals[nd:], r[nd:])
			}
		}
		return one.FlatResult(rows, totals)
	}
	return result(split[1]), result(split[0])
}

// Period is the plan's resolved period (nil when it has none).
func (p *Plan) Period() *reports.Range { return p.rng }
