package kinds

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// The money reports (issue 19: receivables by age, acts against
// payments, payments planned against received) are grouped reports set
// side by side: each money column of the answer is the one measure of a
// grouped definition over a dataset, grouped by the same row keys, and
// the rows are matched by those keys. So every figure has the dataset's
// access, rates and lookups, and its drill is that grouped definition's
// drill into the row's cell: exactly the records the figure sums.

// sideKind is a kind planned by build into side parts.
type sideKind struct {
	build func(def *reports.Definition, now time.Time) (*sideSpec, error)
}

func (sideKind) drillable() {}

// sideKey is one row key of the answer: its column, and the column each
// part's grouped answer has it under (the dimension's key: a date's
// carries its grain, signed_at_month).
type sideKey struct {
	key   string
	label i18n.Text
	typ   string
	def   i18n.Text
}

// sidePart is one money column: its grouped definition (its dimensions
// give the row keys in sideSpec.keys' order, cols their column keys; its
// one measure is the figure).
type sidePart struct {
	key   string
	label i18n.Text
	def   i18n.Text
	grp   reports.Definition
	cols  []string
}

// sideSpec is what build makes of a definition: the row keys, the money
// columns, a total column (its definition covers every part's rows;
// "" none), how rows are ordered (by these key columns), and the
// answer's period (from, to; zero for none).
type sideSpec struct {
	keys     []sideKey
	parts    []sidePart
	total    *sidePart
	order    []string
	from, to time.Time
}

// sidePlan is a side report planned for a principal at an instant.
type sidePlan struct {
	spec  *sideSpec
	plans []*groupedPlan // one per part, the total's last
	p     domain.Principal
	now   time.Time
	lang  string
}

// Plan builds the parts and plans each grouped definition (their errors
// are the definition's: a bad period is 422 on period).
func (k sideKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	spec, err := k.build(def, now)
	if err != nil {
		return nil, err
	}
	sp := &sidePlan{spec: spec, p: p, now: now.UTC(), lang: def.Lang}
	for _, part := range sp.all() {
		g, err := (groupedKind{}).Plan(&part.grp, p, now)
		if err != nil {
			return nil, err
		}
		sp.plans = append(sp.plans, g.(*groupedPlan))
	}
	return sp, nil
}

// all lists the parts, the total last.
func (sp *sidePlan) all() []sidePart {
	out := slices.Clone(sp.spec.parts)
	if sp.spec.total != nil {
		out = append(out, *sp.spec.total)
	}
	return out
}

// Run runs the parts at once and sets their figures side by side; a row
// key one part lacks has 0 there. Totals add the columns up.
func (sp *sidePlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	results := make([]*reports.Result, len(sp.spec.parts))
	g, gctx := errgroup.WithContext(ctx)
	for i := range sp.spec.parts {
		g.Go(func() (err error) {
			results[i], err = sp.plans[i].Run(gctx, db)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := &reports.Result{Columns: sp.columns()}
	byKey := map[string][]any{}
	for i, part := range sp.spec.parts {
		if err := sp.merge(res, byKey, part, i, results[i]); err != nil {
			return nil, err
		}
	}
	sp.finish(res)
	res.Meta = reports.Meta{ElapsedMS: time.Since(start).Milliseconds(), RowCount: len(res.Rows), DataAsOf: sp.now,
		From: sp.spec.from, To: sp.spec.to}
	return res, nil
}

// merge adds part i's figures (the last column of its answer) to the
// rows by key, making a row of zeros for a key not seen yet.
func (sp *sidePlan) merge(res *reports.Result, byKey map[string][]any, part sidePart, i int, r *reports.Result) error {
	idx := make([]int, len(part.cols))
	for j, c := range part.cols {
		if idx[j] = columnIndex(r.Columns, c); idx[j] < 0 {
			return fmt.Errorf("side report: part %s lacks column %s", part.key, c)
		}
	}
	n := len(sp.spec.keys)
	for _, row := range r.Rows {
		keyCells := make([]any, n)
		for j, at := range idx {
			keyCells[j] = row[at]
		}
		b, _ := json.Marshal(keyCells)
		out, ok := byKey[string(b)]
		if !ok {
			out = append(keyCells, make([]any, len(res.Columns)-n)...)
			for c := n; c < len(out); c++ {
				out[c] = domain.Money{}
			}
			byKey[string(b)] = out
			res.Rows = append(res.Rows, out)
		}
		if v, ok := row[len(row)-1].(domain.Money); ok {
			out[n+i] = v
		}
	}
	return nil
}

// finish fills the total column, orders the rows and adds the totals.
func (sp *sidePlan) finish(res *reports.Result) {
	n, parts := len(sp.spec.keys), len(sp.spec.parts)
	for _, row := range res.Rows {
		if sp.spec.total != nil {
			sum := decimal.Zero
			for c := n; c < n+parts; c++ {
				sum = sum.Add(row[c].(domain.Money).Decimal)
			}
			row[n+parts] = domain.Money{Decimal: sum}
		}
	}
	order := make([]int, len(sp.spec.order))
	for i, k := range sp.spec.order {
		order[i] = columnIndex(res.Columns, k)
	}
	sort.SliceStable(res.Rows, func(a, b int) bool {
		for _, c := range order {
			if x, y := cellText(res.Rows[a][c]), cellText(res.Rows[b][c]); x != y {
				return x < y
			}
		}
		return false
	})
	res.Totals = make([]any, len(res.Columns))
	for c := n; c < len(res.Columns); c++ {
		sum := decimal.Zero
		for _, row := range res.Rows {
			sum = sum.Add(row[c].(domain.Money).Decimal)
		}
		res.Totals[c] = domain.Money{Decimal: sum}
	}
}

// cellText orders cells: empty ones last, else by their text.
func cellText(v any) string {
	if v == nil {
		return "\uffff"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (sp *sidePlan) columns() []reports.Column {
	var specs []colSpec
	for _, k := range sp.spec.keys {
		specs = append(specs, colSpec{k.key, k.label, k.typ, k.def})
	}
	for _, part := range sp.all() {
		specs = append(specs, colSpec{part.key, part.label, reports.TypeMoney, part.def})
	}
	return kindColumns(sp.lang, specs...)
}

// columnIndex is the index of key in cols, -1 when absent.
func columnIndex(cols []reports.Column, key string) int {
	return slices.IndexFunc(cols, func(c reports.Column) bool { return c.Key == key })
}
