package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// A comparison (Definition.Compare, FunnelRequest.Compare) asks the same
// question over two periods — in one statement over both when the
// grouped report allows (kinds.PlanComparedInOne: additive measures, no
// pivot), else as two runs side by side, each cached and access-checked
// as any other — and sets the previous period's
// figures beside the current ones: a grouped report gains, after its
// columns, k_prev and k_change for every measure k (rows matched by their
// dimensions, a time bucket of the previous period by where it falls
// when moved forward by the comparison's shift); a per-user kind
// (manager activity, activities vs outcomes: kinds.CompareShape) gains
// them for every figure but those counted now (overdue tasks), rows
// matched by the user; a funnel's steps gain count_prev, amount_prev and
// conversion_from_first_prev.

// comparison resolves the periods of a comparison: the current one as
// the definition or request gives it, the previous by reports.CompareRange.
func comparison(mode string, period *reports.Period, field string, now time.Time) (reports.Comparison, *time.Location, error) {
	loc, err := period.Location(field)
	if err != nil {
		return reports.Comparison{}, nil, err
	}
	r, err := period.Resolve(now, field)
	if err != nil {
		return reports.Comparison{}, nil, err
	}
	return reports.CompareRange(mode, r, loc, now), loc, nil
}

// previousPeriod is period replaced by the comparison's previous range
// (the same field and zone).
func previousPeriod(period *reports.Period, c reports.Comparison) *reports.Period {
	return &reports.Period{Field: period.Field, TZ: period.TZ,
		From: c.Previous.From.Format(time.RFC3339), To: c.Previous.To.Format(time.RFC3339)}
}

// runCompared answers a definition with compare (kinds.PlanReport has
// checked its kind compares: a grouped report or a per-user kind).
func (e *Engine) runCompared(ctx context.Context, p domain.Principal, def *reports.Definition) (*reports.Result, error) {
	at := e.now() // one clock reading for the periods and the plan
	c, loc, err := comparison(def.Compare, def.Period, "period", at)
	if err != nil {
		return nil, err
	}
	cur, prev := *def, *def
	cur.Compare, prev.Compare = "", ""
	prev.Period = previousPeriod(def.Period, c)
	one, ok, err := kinds.PlanComparedInOne(&cur, p, at)
	if err != nil {
		return nil, err
	}
	if ok { // one statement over both periods
		a, err := e.cached(ctx, cacheKey("compared", p, def), func(ctx context.Context, reads *olap.Reads) (any, error) {
			now, before, err := one.Run(ctx, e.CH.Recording(reads), c.Previous)
			return [2]*reports.Result{now, before}, err
		})
		if err != nil {
			return nil, err
		}
		pair := a.val.([2]*reports.Result)
		return mergeCompared(def, cloneResult(pair[0], a), cloneResult(pair[1], a), c, loc), nil
	}
	var now, before *reports.Result
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { now, err = e.Run(gctx, p, &cur); return err })
	g.Go(func() (err error) { before, err = e.Run(gctx, p, &prev); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return mergeCompared(def, now, before, c, loc), nil
}

// mergeCompared sets before's measures beside now's: now's columns, then
// k_prev and k_change per measure; a row of before with no row of now
// (nothing in the current period) is added with the current cells null.
// The key columns are the dimensions, or a per-user kind's user; a
// column counted now (kinds.CompareShape) is not compared, and its
// definition says so.
func mergeCompared(def *reports.Definition, now, before *reports.Result, c reports.Comparison, loc *time.Location) *reports.Result {
	nd, nowOnly := kinds.CompareShape(def)
	lang := def.Lang
	out := &reports.Result{Meta: now.Meta}
	out.Columns = append([]reports.Column(nil), now.Columns...)
	var measures []int // the compared columns
	for i, col := range now.Columns[nd:] {
		if slices.Contains(nowOnly, col.Key) {
			out.Columns[nd+i].Definition = strings.TrimSpace(col.Definition + " " +
				i18n.T("С прежним периодом не сравнивается: это число на сейчас, а не за период.", "Not compared with the period before: a count now, not over the period.").In(lang))
			continue
		}
		measures = append(measures, nd+i)
		out.Columns = append(out.Columns, prevColumn(col, c, lang), changeColumn(col, lang))
	}
	grains := make([]string, nd)
	for i := range nd {
		if i < len(def.Dimensions) {
			grains[i] = def.Dimensions[i].Grain
		}
		if grains[i] == "" && now.Columns[i].Type == reports.TypeDate {
			grains[i] = "day"
		}
	}
	key := func(row []any, forward bool) string {
		parts := make([]string, nd)
		for i := range nd {
			parts[i] = fmt.Sprint(row[i])
			if forward && grains[i] != "" {
				parts[i] = shiftBucket(row[i], grains[i], c, loc)
			}
		}
		return strings.Join(parts, "\x00")
	}
	prevRows := map[string][]any{}
	var prevOrder []string
	for _, row := range before.Rows {
		k := key(row, true)
		if _, dup := prevRows[k]; !dup {
			prevOrder = append(prevOrder, k)
		}
		prevRows[k] = row
	}
	seen := map[string]bool{}
	for _, row := range now.Rows {
		k := key(row, false)
		seen[k] = true
		out.Rows = append(out.Rows, comparedRow(row, prevRows[k], measures))
	}
	for _, k := range prevOrder {
		if seen[k] {
			continue
		}
		row := prevRows[k]
		lead := make([]any, len(row))
		copy(lead, row[:nd])
		for i := range nd {
			if grains[i] != "" {
				lead[i] = shiftBucket(row[i], grains[i], c, loc)
			}
		}
		out.Rows = append(out.Rows, comparedRow(lead, row, measures))
	}
	if now.Totals != nil || before.Totals != nil {
		out.Totals = comparedRow(orNulls(now.Totals, len(now.Columns)), orNulls(before.Totals, len(now.Columns)), measures)
	}
	out.Meta.RowCount = len(out.Rows)
	out.Meta.ElapsedMS = max(now.Meta.ElapsedMS, before.Meta.ElapsedMS)
	out.Meta.SQLMS = now.Meta.SQLMS + before.Meta.SQLMS
	out.Meta.Cached = now.Meta.Cached && before.Meta.Cached
	if before.Meta.DataAsOf.Before(out.Meta.DataAsOf) {
		out.Meta.DataAsOf = before.Meta.DataAsOf
	}
	out.Meta.Truncated = now.Meta.Truncated || before.Meta.Truncated
	out.Meta.Compared = &reports.ComparedMeta{Mode: c.Mode, From: c.Previous.From, To: c.Previous.To, Partial: c.Partial}
	return out
}

func orNulls(row []any, n int) []any {
	if row == nil {
		return make([]any, n)
	}
	return row
}

// comparedRow is cur (its keys and measures; cells past len(cur) null)
// followed by prev's measure and the change, per compared column.
func comparedRow(cur, prev []any, measures []int) []any {
	out := append([]any(nil), cur...)
	for _, i := range measures {
		var p any
		if prev != nil {
			p = prev[i]
		}
		out = append(out, p, change(cur[i], p))
	}
	return out
}

// change is (cur − prev) ÷ prev as a ratio, null when either is null or
// prev is 0.
func change(cur, prev any) any {
	c, ok1 := asDecimal(cur)
	p, ok2 := asDecimal(prev)
	if !ok1 || !ok2 || p.IsZero() {
		return nil
	}
	return c.Sub(p).Div(p).InexactFloat64()
}

func asDecimal(v any) (decimal.Decimal, bool) {
	switch x := v.(type) {
	case domain.Money:
		return x.Decimal, true
	case decimal.Decimal:
		return x, true
	case int64:
		return decimal.NewFromInt(x), true
	case uint64:
		return decimal.NewFromUint64(x), true
	case int:
		return decimal.NewFromInt(int64(x)), true
	case float64:
		return decimal.NewFromFloat(x), true
	}
	return decimal.Decimal{}, false
}

// shiftBucket is a previous period's time bucket (a date cell) moved
// forward by the comparison's shift and truncated to its grain again:
// the bucket of the current period it is compared with.
func shiftBucket(v any, grain string, c reports.Comparison, loc *time.Location) string {
	s, ok := v.(string)
	if !ok {
		return fmt.Sprint(v)
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return s
	}
	return reports.GrainStart(c.Forward(d).In(loc), grain).Format(time.DateOnly)
}

// prevColumn is a measure's previous-period column.
func prevColumn(col reports.Column, c reports.Comparison, lang string) reports.Column {
	which := i18n.T("пред. период", "previous period")
	if c.Mode == reports.ComparePreviousYear {
		which = i18n.T("год назад", "a year before")
	}
	out := reports.Column{Key: col.Key + "_prev", Type: col.Type,
		LabelRU: col.LabelRU + " (" + which.RU + ")", LabelEN: col.LabelEN + " (" + which.EN + ")"}
	out.Label = i18n.T(out.LabelRU, out.LabelEN).In(lang)
	out.Definition = c.Describe(lang)
	if col.Definition != "" {
		out.Definition = col.Definition + " " + i18n.T("Здесь — ", "Here: ").In(lang) + out.Definition + "."
	}
	return out
}

// changeColumn is a measure's change column: a ratio.
func changeColumn(col reports.Column, lang string) reports.Column {
	out := reports.Column{Key: col.Key + "_change", Type: reports.TypePercent,
		LabelRU: col.LabelRU + ": изменение", LabelEN: col.LabelEN + ": change"}
	out.Label = i18n.T(out.LabelRU, out.LabelEN).In(lang)
	out.Definition = i18n.T("(Сейчас − прежде) ÷ прежде; пусто, когда прежде 0.",
		"(Now − before) ÷ before; empty when before is 0.").In(lang)
	return out
}

// funnelCompared answers a funnel request with compare: the steps of
// now's funnel (and of each breakdown group) gain the previous period's
// count, amount and conversion from the first step, matched by stage
// (and group key).
func (e *Engine) funnelCompared(ctx context.Context, p domain.Principal, req reports.FunnelRequest) (*reports.Funnel, error) {
	if err := reports.CheckCompare(req.Compare, "compare"); err != nil {
		return nil, err
	}
	cur, prev := req, req
	cur.Compare, prev.Compare = "", ""
	switch {
	case req.Mode == "current":
		return nil, apperr.Field("compare", "not_supported", "a current-mode funnel is a snapshot at as_of: ask for the other instant's as_of instead")
	case req.Period == nil:
		return nil, apperr.Field("compare", "needs_period", "a comparison needs a period to compare with the one before")
	}
	c, _, err := comparison(req.Compare, req.Period, "period", e.now())
	if err != nil {
		return nil, err
	}
	prev.Period = previousPeriod(req.Period, c)
	var now, before *reports.Funnel
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { now, err = e.Funnel(gctx, p, cur); return err })
	g.Go(func() (err error) { before, err = e.Funnel(gctx, p, prev); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	mergeSteps(now.Steps, before.Steps)
	groups := map[string][]reports.FunnelStep{}
	for _, gr := range before.Breakdown {
		groups[gr.Key] = gr.Steps
	}
	for i := range now.Breakdown {
		mergeSteps(now.Breakdown[i].Steps, groups[now.Breakdown[i].Key])
	}
	now.Meta.Compared = &reports.ComparedMeta{Mode: c.Mode, From: c.Previous.From, To: c.Previous.To, Partial: c.Partial}
	now.Meta.Cached = now.Meta.Cached && before.Meta.Cached
	if before.Meta.DataAsOf.Before(now.Meta.DataAsOf) {
		now.Meta.DataAsOf = before.Meta.DataAsOf
	}
	return now, nil
}

// mergeSteps sets prev's figures on the steps of the same stage (0 for a
// step prev lacks: no deal reached it then).
func mergeSteps(steps, prev []reports.FunnelStep) {
	byStage := map[string]reports.FunnelStep{}
	for _, s := range prev {
		byStage[s.Stage] = s
	}
	for i := range steps {
		s := byStage[steps[i].Stage]
		n, amount := s.Count, s.Amount
		steps[i].CountPrev, steps[i].AmountPrev, steps[i].ConversionFromFirstPrev = &n, &amount, s.ConversionFromFirst
	}
}
