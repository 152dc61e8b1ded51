package kinds

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
)

// groupedKind is the default kind: a dataset grouped by dimensions.
type groupedKind struct{}

func init() { RegisterKind(reports.KindGrouped, groupedKind{}) }

// groupedPlan is a grouped definition validated and resolved for p.
type groupedPlan struct {
	pl          *compile.Plan
	p           domain.Principal
	at          time.Time
	exportLimit int // the definition's limit, else MaxExportRows
}

// Plan validates a grouped definition (422 errors naming the field) and
// resolves its period at now.
func (groupedKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	pl, err := compile.NewPlan(def, now)
	if err != nil {
		return nil, err
	}
	g := &groupedPlan{pl: pl, p: p, at: now, exportLimit: def.Limit}
	if def.Limit == 0 {
		g.exportLimit = reports.MaxExportRows
	}
	return g, nil
}

// Run runs the grouped report: one query WITH TOTALS, or the queries of a
// pivot. Rows beyond the limit are cut off and Meta.Truncated says so.
func (g *groupedPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	c, err := g.pl.Compile(db.Names, g.p)
	if err != nil {
		return nil, err
	}
	sqlStart := time.Now()
	res, err := runCompiled(ctx, db, c)
	if err != nil {
		return nil, err
	}
	res.Meta.SQLMS = time.Since(sqlStart).Milliseconds()
	res.Meta.ElapsedMS = time.Since(start).Milliseconds()
	res.Meta.RowCount = len(res.Rows)
	res.Meta.DataAsOf = g.at.UTC()
	if r := c.Period(); r != nil {
		res.Meta.From, res.Meta.To = r.From, r.To
	}
	return res, nil
}

// runCompiled runs c's queries (a pivot's three at once) and lays their
// answers out.
func runCompiled(ctx context.Context, db *olap.DB, c *compile.Compiled) (*reports.Result, error) {
	switch {
	case !c.IsPivot():
		rows, totals, err := fetch(ctx, db, c.Main, c.MainCols, c.Loc)
		if err != nil {
			return nil, err
		}
		return c.FlatResult(rows, totals), nil
	case c.Rows == nil:
		cells, _, err := fetch(ctx, db, c.Main, c.MainCols, c.Loc)
		if err != nil {
			return nil, err
		}
		return c.AdditiveResult(cells)
	}
	var colRows, cellRows, rowRows [][]any
	var grand []any
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		colRows, _, err = fetch(gctx, db, c.Cols, c.ColsCols, c.Loc)
		return err
	})
	g.Go(func() (err error) {
		cellRows, _, err = fetch(gctx, db, c.Main, c.MainCols, c.Loc)
		return err
	})
	g.Go(func() (err error) {
		rowRows, grand, err = fetch(gctx, db, c.Rows, c.RowsCols, c.Loc)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return c.PivotResult(colRows, cellRows, rowRows, grand)
}

// Streamer is a plan whose rows an export reads as they arrive: a grouped
// report without a pivot, whose limit is then the definition's own or
// MaxExportRows (an export is the whole answer, not the first screen).
type Streamer interface {
	Streams() bool
	Stream(ctx context.Context, db *olap.DB, sink reports.RowSink) (*reports.Result, error)
}

// groupedPlan streams its rows to an export (engine.Export finds it so).
var _ Streamer = (*groupedPlan)(nil)

func (g *groupedPlan) Streams() bool { return !g.pl.IsPivot() }

// ComparedInOne is a grouped definition whose comparison is one
// statement (compile.CanCompareInOne): both periods' answers from one
// read of the rows.
type ComparedInOne struct {
	pl *compile.Plan
	p  domain.Principal
	at time.Time
}

// PlanComparedInOne plans def (without its compare) for one statement
// over both periods; ok is false when the comparison needs two runs.
func PlanComparedInOne(def *reports.Definition, p domain.Principal, now time.Time) (c *ComparedInOne, ok bool, err error) {
	if def.Kind != "" && def.Kind != reports.KindGrouped {
		return nil, false, nil
	}
	plain := *def
	plain.Compare = ""
	pl, err := compile.NewPlan(&plain, now)
	if err != nil || !pl.CanCompareInOne() {
		return nil, false, err
	}
	return &ComparedInOne{pl: pl, p: p, at: now}, true, nil
}

// Run answers the current period and prev, as two runs of the plain
// definition would (each with its own period in meta).
func (c *ComparedInOne) Run(ctx context.Context, db *olap.DB, prev reports.Range) (cur, before *reports.Result, err error) {
	start := time.Now()
	q, err := c.pl.CompileCompared(db.Names, c.p, prev)
	if err != nil {
		return nil, nil, err
	}
	rows, _, err := fetch(ctx, db, q.Query, q.Cols, q.Loc)
	if err != nil {
		return nil, nil, err
	}
	cur, before = q.Results(rows)
	for _, r := range []*reports.Result{cur, before} {
		r.Meta.SQLMS = time.Since(start).Milliseconds()
		r.Meta.ElapsedMS = r.Meta.SQLMS
		r.Meta.RowCount = len(r.Rows)
		r.Meta.DataAsOf = c.at.UTC()
	}
	if rng := c.pl.Period(); rng != nil {
		cur.Meta.From, cur.Meta.To = rng.From, rng.To
	}
	before.Meta.From, before.Meta.To = prev.From, prev.To
	return cur, before, nil
}
