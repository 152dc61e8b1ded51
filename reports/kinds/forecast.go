package kinds

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

func init() {
	RegisterKind(reports.KindForecast, forecastKind{})
	RegisterKind(reports.KindForecastAccuracy, forecastKind{accuracy: true})
}

// forecastKind is the sales forecast (../shared/API.md, "Plans and
// forecasts"): per month and responsible, the roubles won, the open
// deals expected to close in the month (best case, weighted by their
// stage's probability, and by forecast category) and the won_amount
// plan. With accuracy it is the forecast accuracy of months begun
// (forecast_accuracy.go): the same months, params and rows, with the
// forecast as it stood just before each month against what was won.
type forecastKind struct{ accuracy bool }

// forecastParams: the first month (YYYY-MM, Moscow; default the current
// one), how many months (1–maxForecastMonths, default 3) and a deal
// pipeline's code (its deals and plans; none: every deal and the plans
// for all pipelines). A definition's period instead gives the months it
// touches.
type forecastParams struct {
	Pipeline string `json:"pipeline,omitempty"`
	From     string `json:"from,omitempty"`
	Months   *int   `json:"months,omitempty"`
	By       string `json:"by,omitempty"` // "responsible" (default) or "month": the team's row per month
	// Responsible narrows the deals and plans to one responsible user
	// (0: everyone the caller may see), as a dashboard's manager filter.
	Responsible int64 `json:"responsible,omitempty"`
}

// maxForecastMonths bounds a forecast to two years of months.
const maxForecastMonths = 24

func (k forecastKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	var par forecastParams
	if err := decodeKindParams(def.Params, &par); err != nil {
		return nil, err
	}
	sc, err := planScope(def, p, now, par.Pipeline, false)
	if err != nil {
		return nil, err
	}
	if sc.period && (par.From != "" || par.Months != nil) {
		return nil, apperr.Field("params.from", "not_allowed", "the period gives the months; leave params.from and params.months out")
	}
	n := 3
	if par.Months != nil {
		n = *par.Months
	}
	first, err := resolveMonth("params.from", par.From, sc.now)
	if k.accuracy && par.From == "" && err == nil { // the months before now's
		first = monthsFrom(backMonths(first, n), 1)[0]
	}
	if sc.period { // the months the period touches
		first, err = resolveMonth("period", "", sc.from)
		n = monthsTouched(first, sc.to)
	}
	if err != nil {
		return nil, err
	}
	if n < 1 || n > maxForecastMonths {
		return nil, apperr.Field("params.months", "out_of_range", fmt.Sprintf("from 1 to %d months", maxForecastMonths))
	}
	if par.By != "" && par.By != "responsible" && par.By != "month" {
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: "invalid_choice", Field: "params.by",
			Message: "rows by responsible or by month", Details: map[string]any{"allowed": []string{"responsible", "month"}}}
	}
	sc.responsible = par.Responsible
	pl := forecastPlan{sc: sc, months: monthsFrom(first, n), byMonth: par.By == "month"}
	if k.accuracy {
		return pl.accuracyPlan(first, par.From != "")
	}
	return pl, nil
}

type forecastPlan struct {
	sc      *scope
	months  []planMonth
	byMonth bool // the team's row per month (every month, empty ones too)
}

// backMonths is the month n months before m.
func backMonths(m planMonth, n int) planMonth {
	start := m.start.In(m.loc).AddDate(0, -n, 0)
	return planMonth{day: start.Format(time.DateOnly), start: start.UTC(), end: start.AddDate(0, 1, 0).UTC(), loc: m.loc}
}

// forecastCell is one month × responsible: won, best case, weighted,
// the best case by category (commit, best_case, pipeline) and the plan.
type forecastCell struct {
	won, best, weighted decimal.Decimal
	cats                [3]decimal.Decimal
	plan                *decimal.Decimal
}

type forecastKey struct{ month, who string }

func (pl forecastPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	cells := map[forecastKey]*forecastCell{}
	at := func(k forecastKey) *forecastCell {
		c, ok := cells[k]
		if !ok {
			c = &forecastCell{}
			cells[k] = c
		}
		return c
	}
	if err := pl.deals(ctx, r, at); err != nil {
		return nil, err
	}
	if err := pl.plans(ctx, r, at); err != nil {
		return nil, err
	}
	res, err := monthRows(ctx, r, pl, forecastColumns(r.lang), cells)
	if err != nil {
		return nil, err
	}
	return pl.finish(r, start, res), nil
}

// monthCell is a cell of a report by month × responsible.
type monthCell[T any] interface {
	*T
	add(o *T)
	row() []any
}

// monthRows renders cells by month × responsible (months in order, then
// the responsible's name, then id), with totals; or, by month, the
// team's row of every month. cols lead with month, responsible and
// responsible_name, then one per cell value.
func monthRows[T any, C monthCell[T]](ctx context.Context, r *run, pl forecastPlan, cols []reports.Column, cells map[forecastKey]C) (*reports.Result, error) {
	if pl.byMonth {
		months := map[string]C{}
		for _, m := range pl.months {
			months[m.day] = new(T)
		}
		for k, c := range cells {
			months[k.month].add(c)
		}
		res := &reports.Result{Columns: append(cols[:1:1], cols[3:]...)}
		var total C = new(T)
		for _, m := range pl.months {
			res.Rows = append(res.Rows, append([]any{m.day}, months[m.day].row()...))
			total.add(months[m.day])
		}
		res.Totals = append([]any{nil}, total.row()...)
		return res, nil
	}
	var keys []forecastKey
	var who []string
	for k := range cells {
		keys, who = append(keys, k), append(who, k.who)
	}
	labels, err := lookupLabels(ctx, r.db, "users", who)
	if err != nil {
		return nil, err
	}
	sortRows(keys, func(a, b forecastKey) bool {
		switch {
		case a.month != b.month:
			return a.month < b.month
		case labels[a.who] != labels[b.who]:
			return labels[a.who] < labels[b.who]
		}
		return len(a.who) < len(b.who) || len(a.who) == len(b.who) && a.who < b.who
	})
	res := &reports.Result{Columns: cols}
	var total C = new(T)
	for _, k := range keys {
		c := cells[k]
		id, _ := strconv.ParseInt(k.who, 10, 64)
		res.Rows = append(res.Rows, append([]any{k.month, id, labels[k.who]}, c.row()...))
		total.add(c)
	}
	res.Totals = append([]any{nil, nil, nil}, total.row()...)
	return res, nil
}

func (pl forecastPlan) finish(r *run, start time.Time, res *reports.Result) *reports.Result {
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	res.Meta.From, res.Meta.To = pl.months[0].start, pl.months[len(pl.months)-1].end
	return res
}

// add sums o into c (a plan only where one is set).
func (c *forecastCell) add(o *forecastCell) {
	c.won, c.best, c.weighted = c.won.Add(o.won), c.best.Add(o.best), c.weighted.Add(o.weighted)
	for i := range c.cats {
		c.cats[i] = c.cats[i].Add(o.cats[i])
	}
	if o.plan != nil {
		sum := *o.plan
		if c.plan != nil {
			sum = sum.Add(*c.plan)
		}
		c.plan = &sum
	}
}

func (c *forecastCell) row() []any {
	var plan any
	if c.plan != nil {
		plan = centsMoney(*c.plan)
	}
	return []any{centsMoney(c.won), centsMoney(c.best), centsMoney(c.weighted), plan,
		centsMoney(c.cats[0]), centsMoney(c.cats[1]), centsMoney(c.cats[2])}
}

// forecastFigures are the conditions on dealRows of the deals each
// figure of the forecast sums (won and best_case the roubles, weighted
// the weighted roubles, the categories the roubles): the report sums by
// them and a drill lists by them.
var forecastFigures = map[string]string{
	"won":           "kind = 'won'",
	"best_case":     "kind = 'open'",
	"weighted":      "kind = 'open'",
	"cat_commit":    "kind = 'open' AND cat = 'commit'",
	"cat_best_case": "kind = 'open' AND cat = 'best_case'",
	"cat_pipeline":  "kind = 'open' AND cat = 'pipeline'",
}

// deals sums dealRows, in one pass over the deals' facts, by
// responsible and month (forecastFigures).
func (pl forecastPlan) deals(ctx context.Context, r *run, at func(forecastKey) *forecastCell) error {
	rows, err := pl.dealRows(ctx, r)
	if err != nil {
		return err
	}
	f := forecastFigures
	q := olap.Template{Text: `SELECT who, month, sumIf(rub, ` + f["won"] + `), sumIf(rub, ` + f["best_case"] + `), sumIf(weighted, ` + f["weighted"] + `),
       sumIf(rub, ` + f["cat_commit"] + `), sumIf(rub, ` + f["cat_best_case"] + `), sumIf(rub, ` + f["cat_pipeline"] + `)
FROM ({rows}) AS forecast_rows
GROUP BY who, month`, Slots: olap.Slots{"rows": rows}}
	return r.each(ctx, "forecast deals", q, func(scan func(...any) error) error {
		var k forecastKey
		var c forecastCell
		if err := scan(&k.who, &k.month, &c.won, &c.best, &c.weighted, &c.cats[0], &c.cats[1], &c.cats[2]); err != nil {
			return err
		}
		*at(k) = c
		return nil
	})
}

// dealRows selects, one row a deal, what the forecast sums (id, who,
// month: its first day, rub, weighted, kind, cat): the deals now won
// that closed in a month (Moscow), and the open deals expected to close
// in one, as they are, weighted by the stage's probability (per deal,
// to the kopeck) and by forecast category (forecastCategorySQL).
// A month is found by counting the month starts at or before the
// instant (the closing) or date (the expected close).
func (pl forecastPlan) dealRows(ctx context.Context, r *run) (olap.Template, error) {
	stages, err := r.dealStages(ctx)
	if err != nil {
		return olap.Template{}, err
	}
	ids, kinds, _ := stages.forwardArrays()
	_, probs := stages.probabilityArrays()
	starts, days := make([]int64, len(pl.months)), make([]string, len(pl.months))
	for i, m := range pl.months {
		starts[i], days[i] = m.start.Unix(), m.day
	}
	end := pl.months[len(pl.months)-1]
	w := sq.And{sq.Eq{"_deleted": 0}, r.access().Deals("id", "responsible_id"), planMine(r.p, "responsible_id"), pl.one()}
	if r.meta != nil {
		w = append(w, sq.Eq{"pipeline_id": r.meta.ID})
	}
	return olap.Template{Text: `SELECT id, toString(responsible_id) AS who, rub, ` + weightedRubSQL + ` AS weighted, transform(stage_id, {ids}, {kinds}, '') AS kind,
         ` + forecastCategorySQL("ifNull(forecast_category, '')", "stage_id") + ` AS cat,
         if(kind = 'won', arrayCount(s -> s <= toInt64(assumeNotNull(closed_at)), {starts}),
            arrayCount(d -> d <= toString(assumeNotNull(expected_close_at)), {days})) AS i,
         arrayElement({days}, i) AS month
  FROM ` + r.db.Table(olap.DealFactsTable) + ` FINAL
  WHERE ({where}) AND (
        kind = 'won' AND ifNull(closed_at >= toDateTime({from}, 'UTC') AND closed_at < toDateTime({to}, 'UTC'), 0)
     OR kind = 'open' AND ifNull(expected_close_at >= toDate({first}) AND expected_close_at < toDate({next}), 0))`,
		Slots: forecastCategorySlots(olap.Slots{"ids": ids, "kinds": kinds, "probs": probs, "starts": starts, "days": days,
			"where": w, "from": pl.months[0].start.Unix(), "to": end.end.Unix(), "first": pl.months[0].day,
			"next": end.end.In(end.loc).Format(time.DateOnly)})}, nil
}

// one is params.responsible's condition (none: everyone).
func (pl forecastPlan) one() sq.Sqlizer {
	if pl.sc.responsible == 0 {
		return sq.Expr("1 = 1")
	}
	return sq.Eq{"responsible_id": pl.sc.responsible}
}

// plans reads the won_amount plans of the months by responsible.
func (pl forecastPlan) plans(ctx context.Context, r *run, at func(forecastKey) *forecastCell) error {
	days := make([]string, len(pl.months))
	for i, m := range pl.months {
		days[i] = m.day
	}
	w := sq.And{sq.Eq{"_deleted": 0, "metric": "won_amount"}, sq.Expr("has(?, toString(month))", days), planMine(r.p, "responsible_id"), pl.one()}
	if r.meta != nil {
		w = append(w, sq.Eq{"pipeline_id": r.meta.ID})
	} else {
		w = append(w, sq.Expr("isNull(pipeline_id)"))
	}
	q := sq.Select("toString(responsible_id) AS who", "toString(month) AS m", "sum(value)").From(r.db.Table("plans")+" FINAL").Where(w).GroupBy("who", "m")
	return r.each(ctx, "forecast plans", q, func(scan func(...any) error) error {
		var k forecastKey
		var v decimal.Decimal
		if err := scan(&k.who, &k.month, &v); err != nil {
			return err
		}
		at(k).plan = &v
		return nil
	})
}

func forecastColumns(lang string) []reports.Column {
	return kindColumns(lang,
		colSpec{"month", i18n.T("Месяц", "Month"), reports.TypeDate, i18n.T("Календарный месяц (московское время).", "The calendar month (Moscow time).")},
		colSpec{"responsible", i18n.T("Сотрудник (ID)", "User (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"responsible_name", i18n.T("Сотрудник", "User"), reports.TypeString, i18n.T("Ответственный за сделки.", "The deals' responsible.")},
		colSpec{"won", i18n.T("Выиграно, ₽", "Won, RUB"), reports.TypeMoney, dataset.AmountDefinition(
			"Сделки, сейчас выигранные, закрытые в месяце.", "Deals now won that closed in the month.")},
		colSpec{"best_case", i18n.T("Лучший случай, ₽", "Best case, RUB"), reports.TypeMoney, dataset.AmountDefinition(
			"Открытые сделки с ожидаемой датой закрытия в месяце.", "Open deals expected to close in the month.")},
		colSpec{"weighted", i18n.T("Взвешенный прогноз, ₽", "Weighted, RUB"), reports.TypeMoney, i18n.T(
			"Те же сделки, каждая × вероятность её стадии ÷ 100, до копейки.", "The same deals, each × its stage's probability ÷ 100, to the kopeck.")},
		colSpec{"plan", i18n.T("План, ₽", "Plan, RUB"), reports.TypeMoney, i18n.T("План по выручке на месяц.", "The month's won-amount plan.")},
		categoryColumn("commit"), categoryColumn("best_case"), categoryColumn("pipeline"))
}

// categoryLabels name the forecast categories (domain.ForecastCategories).
var categoryLabels = map[string]i18n.Text{
	"commit":    i18n.T("Уверенно", "Commit"),
	"best_case": i18n.T("Вероятно", "Best case"),
	"pipeline":  i18n.T("Возможно", "Pipeline"),
}

// categoryColumn is the forecast's column of one category: cat_<code>.
func categoryColumn(code string) colSpec {
	l := categoryLabels[code]
	return colSpec{"cat_" + code, i18n.T(l.RU+", ₽", "Category "+strings.ToLower(l.EN)+", RUB"), reports.TypeMoney, i18n.T(
		"Открытые сделки с ожидаемой датой закрытия в месяце в категории прогноза «"+l.RU+"»: заданной в сделке или, если не задана, по вероятности стадии ("+
			fmt.Sprintf("«Уверенно» от %d %%, «Вероятно» от %d %%, остальные «Возможно»).", domain.CommitFromProbability, domain.BestCaseFromProbability),
		"Open deals expected to close in the month in the forecast category "+l.EN+": set on the deal or, when not, by the stage's probability ("+
			fmt.Sprintf("commit from %d %%, best case from %d %%, the rest pipeline).", domain.CommitFromProbability, domain.BestCaseFromProbability))}
}
