package kinds

import (
	"context"
	"fmt"
	"strconv"
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

func init() { RegisterKind(reports.KindForecast, forecastKind{}) }

// forecastKind is the sales forecast (../shared/API.md, "Plans and
// forecasts"): per month and responsible, the roubles won, the open
// deals expected to close in the month (best case, and weighted by their
// stage's probability) and the won_amount plan.
type forecastKind struct{}

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

func (forecastKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
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
	return forecastPlan{sc: sc, months: monthsFrom(first, n), byMonth: par.By == "month"}, nil
}

type forecastPlan struct {
	sc      *scope
	months  []planMonth
	byMonth bool // the team's row per month (every month, empty ones too)
}

// forecastCell is one month × responsible.
type forecastCell struct {
	won, best, weighted decimal.Decimal
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
	if pl.byMonth {
		return pl.teamByMonth(r, start, cells), nil
	}
	var keys []forecastKey
	var who []string
	for k := range cells {
		keys, who = append(keys, k), append(who, k.who)
	}
	labels, err := lookupLabels(ctx, db, "users", who)
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
	res := &reports.Result{Columns: forecastColumns(r.lang)}
	var total forecastCell
	for _, k := range keys {
		c := cells[k]
		id, _ := strconv.ParseInt(k.who, 10, 64)
		res.Rows = append(res.Rows, append([]any{k.month, id, labels[k.who]}, c.row()...))
		total.add(c)
	}
	res.Totals = append([]any{nil, nil, nil}, total.row()...)
	return pl.finish(r, start, res), nil
}

// teamByMonth sums the cells by month: a row for every month.
func (pl forecastPlan) teamByMonth(r *run, start time.Time, cells map[forecastKey]*forecastCell) *reports.Result {
	months := map[string]*forecastCell{}
	for _, m := range pl.months {
		months[m.day] = &forecastCell{}
	}
	for k, c := range cells {
		months[k.month].add(c)
	}
	cols := forecastColumns(r.lang)
	res := &reports.Result{Columns: append(cols[:1:1], cols[3:]...)}
	var total forecastCell
	for _, m := range pl.months {
		res.Rows = append(res.Rows, append([]any{m.day}, months[m.day].row()...))
		total.add(months[m.day])
	}
	res.Totals = append([]any{nil}, total.row()...)
	return pl.finish(r, start, res)
}

func (pl forecastPlan) finish(r *run, start time.Time, res *reports.Result) *reports.Result {
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	res.Meta.From, res.Meta.To = pl.months[0].start, pl.months[len(pl.months)-1].end
	return res
}

// add sums o into c (a plan only where one is set).
func (c *forecastCell) add(o *forecastCell) {
	c.won, c.best, c.weighted = c.won.Add(o.won), c.best.Add(o.best), c.weighted.Add(o.weighted)
	if o.plan != nil {
		sum := *o.plan
		if c.plan != nil {
			sum = sum.Add(*c.plan)
		}
		c.plan = &sum
	}
}

func (c forecastCell) row() []any {
	var plan any
	if c.plan != nil {
		plan = centsMoney(*c.plan)
	}
	return []any{centsMoney(c.won), centsMoney(c.best), centsMoney(c.weighted), plan}
}

// deals sums, in one pass over the deals' facts, by responsible and
// month: the roubles of the deals now won that closed in the month
// (Moscow), and of the open deals expected to close in it, as they are
// and weighted by the stage's probability (per deal, to the kopeck).
// A month is found by counting the month starts at or before the
// instant (the closing) or date (the expected close).
func (pl forecastPlan) deals(ctx context.Context, r *run, at func(forecastKey) *forecastCell) error {
	stages, err := r.dealStages(ctx)
	if err != nil {
		return err
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
	q := olap.Template{Text: `SELECT who, arrayElement({days}, i) AS month, sumIf(rub, kind = 'won'), sumIf(rub, kind = 'open'), sumIf(weighted, kind = 'open')
FROM (
  SELECT toString(responsible_id) AS who, rub, ` + weightedRubSQL + ` AS weighted, transform(stage_id, {ids}, {kinds}, '') AS kind,
         if(kind = 'won', arrayCount(s -> s <= toInt64(assumeNotNull(closed_at)), {starts}),
            arrayCount(d -> d <= toString(assumeNotNull(expected_close_at)), {days})) AS i
  FROM ` + r.db.Table(olap.DealFactsTable) + ` FINAL
  WHERE ({where}) AND (
        kind = 'won' AND ifNull(closed_at >= toDateTime({from}, 'UTC') AND closed_at < toDateTime({to}, 'UTC'), 0)
     OR kind = 'open' AND ifNull(expected_close_at >= toDate({first}) AND expected_close_at < toDate({next}), 0))
)
GROUP BY who, month`, Slots: olap.Slots{"ids": ids, "kinds": kinds, "probs": probs, "starts": starts, "days": days,
		"where": w, "from": pl.months[0].start.Unix(), "to": end.end.Unix(), "first": pl.months[0].day,
		"next": end.end.In(end.loc).Format(time.DateOnly)}}
	return r.each(ctx, "forecast deals", q, func(scan func(...any) error) error {
		var k forecastKey
		var won, best, weighted decimal.Decimal
		if err := scan(&k.who, &k.month, &won, &best, &weighted); err != nil {
			return err
		}
		c := at(k)
		c.won, c.best, c.weighted = won, best, weighted
		return nil
	})
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
		colSpec{"plan", i18n.T("План, ₽", "Plan, RUB"), reports.TypeMoney, i18n.T("План по выручке на месяц.", "The month's won-amount plan.")})
}
