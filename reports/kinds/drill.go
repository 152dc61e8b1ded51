package kinds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
)

// DrillRequest is the body of POST /api/v1/reports/drill: a definition,
// the cell of its answer (dimension column keys to values as the answer's
// rows hold them; a key left out is all of it, {} or none the grand
// total), the column the number is in (for kinds whose rows hold several
// counts of different records; a grouped report's measures all count the
// cell's rows and need none), and how to list the records.
type DrillRequest struct {
	Definition *reports.Definition        `json:"definition"`
	Cell       map[string]json.RawMessage `json:"cell"`
	Column     string                     `json:"column,omitempty"`
	compile.DrillOptions
}

// Driller is a planned report of a kind other than grouped whose numbers
// open the records behind them. Drill checks the cell (keys the answer's
// row columns, values as its rows hold them) and the column (422 on
// cell.<key> or column) and returns the drill ready to run: it lists
// exactly the records the number counted, under the plan's principal,
// derived from the same plan (period, pipeline, access, expressions).
type Driller interface {
	Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error)
}

// DrillRun runs a planned drill on the copy.
type DrillRun func(ctx context.Context, db *olap.DB) (*DrillResult, error)

// DrillResult is the records behind a number: a table whose columns
// include id, its rows sorted and limited; Meta.Total counts every
// record, Meta.Truncated says the limit cut some off.
type DrillResult struct {
	Columns []reports.Column `json:"columns"`
	Rows    [][]any          `json:"rows"`
	Meta    DrillMeta        `json:"meta"`
}

// DrillMeta is a result's meta with the records' count, the limit and
// the offset (the records of the order skipped before the rows).
type DrillMeta struct {
	reports.Meta
	Total  int64 `json:"total"`
	Limit  int   `json:"limit"`
	Offset int   `json:"offset"`
}

// Result is the records as a report's answer (no totals): what a
// workbook of them is written from.
func (r *DrillResult) Result() *reports.Result {
	return &reports.Result{Columns: r.Columns, Rows: r.Rows, Meta: r.Meta.Meta}
}

// DrillPlan is a drill into a report, validated and resolved at the
// run's clock for one principal: a grouped report's cell, or another
// kind's drill (kind).
type DrillPlan struct {
	pl   *compile.Plan
	kind DrillRun
	p    domain.Principal
	at   time.Time
	cell map[string]json.RawMessage
	opts compile.DrillOptions
}

// PlanDrill validates req's definition (422 errors name
// definition.<path>) and resolves it at now for p. A grouped report's
// cell and options are checked when it runs, against the plan; another
// kind's plan checks them here (its Driller), and a kind whose plan is
// no Driller is 422 drill_not_supported.
func PlanDrill(req DrillRequest, p domain.Principal, now time.Time) (*DrillPlan, error) {
	def := req.Definition
	if def == nil {
		return nil, apperr.Field("definition", "required", "give the report definition whose number to drill into")
	}
	if def.Compare != "" {
		return nil, apperr.Field("definition.compare", "not_supported",
			"a drill lists one period's records: leave out compare (the previous period's records: drill with meta.compared's period)")
	}
	if def.Kind != "" && def.Kind != reports.KindGrouped {
		return planKindDrill(req, p, now)
	}
	if req.Column != "" {
		return nil, apperr.Field("column", "not_allowed", "every measure of a grouped report counts the cell's rows: leave out column")
	}
	pl, err := compile.NewPlan(def, now)
	if err != nil {
		return nil, underField("definition", err)
	}
	return &DrillPlan{pl: pl, p: p, at: now, cell: req.Cell, opts: req.DrillOptions}, nil
}

// planKindDrill plans a drill into a kind other than grouped: the
// kind's own plan (as Run plans it), then its Driller.
func planKindDrill(req DrillRequest, p domain.Principal, now time.Time) (*DrillPlan, error) {
	plan, err := PlanReport(req.Definition, p, now)
	if err != nil {
		return nil, underField("definition", err)
	}
	d, ok := plan.(Driller)
	if !ok {
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: "drill_not_supported", Field: "definition.kind",
			Message: "the numbers of a " + req.Definition.Kind + " report do not open records; a funnel drills through /funnels/drill",
			Details: map[string]any{"allowed": DrillKinds()}}
	}
	run, err := d.Drill(req.Cell, req.Column, req.DrillOptions)
	if err != nil {
		return nil, err
	}
	return &DrillPlan{kind: run, p: p, at: now}, nil
}

// DrillKinds lists the kinds whose numbers open records, sorted: grouped
// and each kind marked drillable (its plans are Drillers).
func DrillKinds() []string {
	out := []string{reports.KindGrouped}
	for _, name := range KindNames() {
		if name == reports.KindGrouped {
			continue
		}
		if k, _ := lookupKind(name); k != nil {
			if _, ok := k.(interface{ drillable() }); ok {
				out = append(out, name)
			}
		}
	}
	return out
}

// Run lists the records of the cell on db, under p's access.
func (d *DrillPlan) Run(ctx context.Context, db *olap.DB) (*DrillResult, error) {
	if d.kind != nil {
		return d.kind(ctx, db)
	}
	start := time.Now()
	q, err := d.pl.Drill(db.Names, d.p, d.cell, d.opts)
	if err != nil {
		return nil, err
	}
	return runDrill(ctx, db, q, start, d.at)
}

// runDrill reads the records and their count at once.
func runDrill(ctx context.Context, db *olap.DB, q *compile.Drill, start, at time.Time) (*DrillResult, error) {
	res := &DrillResult{Columns: q.Columns()}
	var total uint64
	sqlStart := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		res.Rows, _, err = fetch(gctx, db, q.Rows, q.Cols, q.Loc)
		return err
	})
	g.Go(func() error {
		return db.Each(gctx, "drill count", q.Count, func(scan func(...any) error) error { return scan(&total) })
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res.Meta = DrillMeta{Total: int64(total), Limit: q.Limit, Offset: q.Offset, Meta: reports.Meta{
		ElapsedMS: time.Since(start).Milliseconds(), SQLMS: time.Since(sqlStart).Milliseconds(),
		RowCount: len(res.Rows), DataAsOf: at.UTC(), Truncated: int64(len(res.Rows)) < int64(total)}}
	if r := q.Period; r != nil {
		res.Meta.From, res.Meta.To = r.From, r.To
	}
	return res, nil
}

// underField prefixes the field of a 422 error with the request member
// it came from (definition.dimensions[0].grain); other errors pass.
func underField(prefix string, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Invalid {
		return err
	}
	c := *ae
	c.Field = prefix
	if ae.Field != "" {
		c.Field += "." + ae.Field
	}
	return &c
}

// drillColumn checks the answer column a kind's drill names (def when
// column is "") and returns what it lists, drills[column]: a column
// counting no records of its own (a name, a ratio, a worked-out figure)
// is 422 not_countable, a plan (plans: a target set by hand) is
// plan_not_records, a column not of the answer (cols) unknown_column,
// none required — each on column, with the drillable columns in the
// answer's order in details.allowed.
func drillColumn(column, def string, cols []reports.Column, drills map[string]string, plans []string) (string, error) {
	if column == "" {
		column = def
	}
	var allowed []string
	known := false
	for _, c := range cols {
		if _, ok := drills[c.Key]; ok {
			allowed = append(allowed, c.Key)
		}
		known = known || c.Key == column
	}
	refuse := func(code, msg string) error {
		return &apperr.Error{Kind: apperr.Invalid, Code: code, Field: "column", Message: msg, Details: map[string]any{"allowed": allowed}}
	}
	if f, ok := drills[column]; ok {
		return f, nil
	}
	switch {
	case column == "":
		return "", refuse("required", "name the answer's column the number is in")
	case slices.Contains(plans, column):
		return "", refuse("plan_not_records", "a plan is a target set by hand, not records: open the fact")
	case !known:
		return "", refuse("unknown_column", fmt.Sprintf("%q is not a column of the report", column))
	}
	return "", refuse("not_countable", fmt.Sprintf("column %q is worked out from other numbers and lists no records of its own", column))
}

// figureSet is a drill's columns that list records, each listing itself.
func figureSet(keys ...string) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = k
	}
	return m
}

// runRecords lists the records of recs whose ids ids selects, under the
// run's principal, with the run's period in the meta.
func (r *run) runRecords(ctx context.Context, recs *compile.Records, ids olap.Fragment, start time.Time) (*DrillResult, error) {
	q, err := recs.Compile(r.db.Names, r.p, olap.Template{Text: "id IN ({ids})", Slots: olap.Slots{"ids": ids}})
	if err != nil {
		return nil, err
	}
	res, err := runDrill(ctx, r.db, q, start, r.now)
	if err != nil {
		return nil, err
	}
	if r.period {
		res.Meta.From, res.Meta.To = r.from, r.to
	}
	return res, nil
}

// eachCellKey hands each key of cell (in order) to each; a key not in
// allowed is 422 not_a_row_key on cell.<key>.
func eachCellKey(cell map[string]json.RawMessage, allowed []string, each func(key string, raw json.RawMessage) error) error {
	keys := make([]string, 0, len(cell))
	for k := range cell {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return &apperr.Error{Kind: apperr.Invalid, Code: "not_a_row_key", Field: "cell." + k,
				Message: fmt.Sprintf("%q is not a key of the report's rows", k), Details: map[string]any{"allowed": allowed}}
		}
		if err := each(k, cell[k]); err != nil {
			return err
		}
	}
	return nil
}

// recordsOf is a kind's drill ready to run: the records recs lists of
// the ids that ids selects in the plan's run (the same run as the
// number's: its clock, pipeline, deal set and access).
func recordsOf(sc *scope, recs *compile.Records, ids func(context.Context, *run) (olap.Fragment, error)) DrillRun {
	return func(ctx context.Context, db *olap.DB) (*DrillResult, error) {
		start := time.Now()
		r, err := sc.start(ctx, db)
		if err != nil {
			return nil, err
		}
		f, err := ids(ctx, r)
		if err != nil {
			return nil, err
		}
		return r.runRecords(ctx, recs, f, start)
	}
}
