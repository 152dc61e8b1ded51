package kinds

import (
	"context"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// The forecast accuracy (reports.KindForecastAccuracy): for each month
// and responsible, what the forecast said just before the month began —
// the deals then open (by their stage path) and then expected to close in
// the month (by their forecast history, deal_forecast_changes), best
// case, weighted by the probability of the stage they were in, and those
// then in the commit category — against the roubles won in the month (the
// forecast's won: deals now won, closed in the month) and the part of
// them the forecast had named. Amounts are the deals' amounts now, at the
// rate of their creation day (an amount's history is not kept), and the
// responsible is the one now. Params as the forecast's; by default the
// three months before now's. A month not yet begun has no forecast to
// judge: 422.

// accuracyPlan is the forecast plan made the accuracy's, refusing months
// not begun (explicit: the field named).
func (pl forecastPlan) accuracyPlan(first planMonth, explicit bool) (Plan, error) {
	last := pl.months[len(pl.months)-1]
	if last.start.After(pl.sc.now) {
		field := "params.months"
		if pl.sc.period {
			field = "period"
		} else if explicit && first.start.After(pl.sc.now) {
			field = "params.from"
		}
		return nil, apperr.Field(field, "not_begun", "the forecast accuracy of a month is known once it has begun: "+
			last.day[:7]+" has not")
	}
	return accuracyPlan{pl}, nil
}

type accuracyPlan struct{ forecastPlan }

// accuracyCell is one month × responsible of the accuracy.
type accuracyCell struct {
	best, weighted, commit, won, wonNamed decimal.Decimal
}

func (c *accuracyCell) add(o *accuracyCell) {
	c.best, c.weighted, c.commit = c.best.Add(o.best), c.weighted.Add(o.weighted), c.commit.Add(o.commit)
	c.won, c.wonNamed = c.won.Add(o.won), c.wonNamed.Add(o.wonNamed)
}

// row: best case, weighted, commit, won, won of the named deals, and the
// accuracy won ÷ weighted (null without a weighted forecast).
func (c *accuracyCell) row() []any {
	var ratio any
	if c.weighted.IsPositive() {
		ratio = c.won.Div(c.weighted).InexactFloat64()
	}
	return []any{centsMoney(c.best), centsMoney(c.weighted), centsMoney(c.commit), centsMoney(c.won), centsMoney(c.wonNamed), ratio}
}

func (pl accuracyPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	cells := map[forecastKey]*accuracyCell{}
	if err := pl.deals(ctx, r, cells); err != nil {
		return nil, err
	}
	res, err := monthRows(ctx, r, pl.forecastPlan, accuracyColumns(r.lang), cells)
	if err != nil {
		return nil, err
	}
	return pl.finish(r, start, res), nil
}

// accuracyFigures are the conditions on accuracyRows of the deals each
// figure of the accuracy sums (forecast_weighted the weighted roubles
// before the month, the others the roubles): the report sums by them
// and a drill lists by them.
var accuracyFigures = map[string]string{
	"forecast_best_case": "named",
	"forecast_weighted":  "named",
	"forecast_commit":    "named AND cat0 = 'commit'",
	"won":                "won_in",
	"won_forecast":       "won_in AND named",
}

// deals sums accuracyRows by responsible and month (accuracyFigures).
func (pl accuracyPlan) deals(ctx context.Context, r *run, cells map[forecastKey]*accuracyCell) error {
	rows, err := pl.accuracyRows(ctx, r)
	if err != nil {
		return err
	}
	f := accuracyFigures
	q := olap.Template{Text: `SELECT who, month,
       sumIf(rub, ` + f["forecast_best_case"] + `), sumIf(weighted0, ` + f["forecast_weighted"] + `), sumIf(rub, ` + f["forecast_commit"] + `),
       sumIf(rub, ` + f["won"] + `), sumIf(rub, ` + f["won_forecast"] + `)
FROM ({rows}) AS accuracy_rows
WHERE named OR won_in
GROUP BY who, month`, Slots: olap.Slots{"rows": rows}}
	return r.each(ctx, "forecast accuracy", q, func(scan func(...any) error) error {
		var k forecastKey
		var c accuracyCell
		if err := scan(&k.who, &k.month, &c.best, &c.weighted, &c.commit, &c.won, &c.wonNamed); err != nil {
			return err
		}
		cells[k] = &c
		return nil
	})
}

// accuracyRows selects the deals' facts once per month of the report
// (ARRAY JOIN over the months), a row a deal and month (id, who, month:
// its first day, rub, weighted0, cat0, named: then open and expected in
// the month, won_in: won in it): for month i, t0 is its first instant
// and a deal's state "before the month" is its last stage change and
// last forecast change strictly before t0. With no change before t0
// (fi = 0) arrayElement gives the arrays' defaults, 0000-00-00 and the
// empty string — what the arrays also hold for a change that left no
// date or category — so such a deal is in no month and takes its
// stage's category.
func (pl accuracyPlan) accuracyRows(ctx context.Context, r *run) (olap.Template, error) {
	stages, err := r.dealStages(ctx)
	if err != nil {
		return olap.Template{}, err
	}
	ids, kinds, _ := stages.forwardArrays()
	_, probs := stages.probabilityArrays()
	n := len(pl.months)
	starts, ends, days, nexts := make([]int64, n), make([]int64, n), make([]string, n), make([]string, n)
	for i, m := range pl.months {
		starts[i], ends[i], days[i] = m.start.Unix(), m.end.Unix(), m.day
		nexts[i] = m.end.In(m.loc).Format(time.DateOnly)
	}
	// a deal created after the months, or closed before them and not
	// reopened (closed_at is when it entered its last closed run), was
	// open at no month's start and won in none of them
	w := sq.And{sq.Eq{"_deleted": 0}, r.access().Deals("id", "responsible_id"), planMine(r.p, "responsible_id"), pl.one(),
		sq.Expr("created_at < toDateTime(?, 'UTC')", ends[n-1]), sq.Expr("ifNull(closed_at >= toDateTime(?, 'UTC'), 1)", starts[0])}
	if r.meta != nil {
		w = append(w, sq.Eq{"pipeline_id": r.meta.ID})
	}
	return olap.Template{Text: `SELECT id, toString(responsible_id) AS who, rub, i, arrayElement({days}, i) AS month,
         toDateTime(arrayElement({starts}, i), 'UTC') AS t0,
         arrayCount(t -> t < t0, times) AS si,
         if(si = 0, toInt64(0), arrayElement(stages, si)) AS stage0,
         arrayCount(t -> t < t0, fc_times) AS fi,
         arrayElement(fc_dates, fi) AS expected0,
         arrayElement(fc_cats, fi) AS category0,
         ` + weightedRubOf("stage0") + ` AS weighted0,
         ` + forecastCategorySQL("category0", "stage0") + ` AS cat0,
         transform(stage0, {ids}, {kinds}, '') = 'open'
           AND toString(expected0) >= arrayElement({days}, i) AND toString(expected0) < arrayElement({nexts}, i) AS named,
         transform(stage_id, {ids}, {kinds}, '') = 'won'
           AND ifNull(toInt64(closed_at) >= arrayElement({starts}, i) AND toInt64(closed_at) < arrayElement({ends}, i), 0) AS won_in
  FROM ` + r.db.Table(olap.DealFactsTable) + ` FINAL
  ARRAY JOIN arrayEnumerate({starts}) AS i
  WHERE {where}`, Slots: forecastCategorySlots(olap.Slots{"ids": ids, "kinds": kinds, "probs": probs,
		"starts": starts, "ends": ends, "days": days, "nexts": nexts, "where": w})}, nil
}

func accuracyColumns(lang string) []reports.Column {
	before := "до начала месяца"
	return kindColumns(lang,
		colSpec{"month", i18n.T("Месяц", "Month"), reports.TypeDate, i18n.T("Календарный месяц (московское время).", "The calendar month (Moscow time).")},
		colSpec{"responsible", i18n.T("Сотрудник (ID)", "User (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"responsible_name", i18n.T("Сотрудник", "User"), reports.TypeString, i18n.T("Ответственный за сделки сейчас.", "The deals' responsible now.")},
		colSpec{"forecast_best_case", i18n.T("Прогноз: лучший случай, ₽", "Forecast: best case, RUB"), reports.TypeMoney, dataset.AmountDefinition(
			"Сделки, открытые "+before+" и тогда ожидавшиеся к закрытию в месяце (по истории ожидаемых дат).",
			"Deals open before the month began and then expected to close in it (by the history of expected dates).")},
		colSpec{"forecast_weighted", i18n.T("Прогноз взвешенный, ₽", "Forecast: weighted, RUB"), reports.TypeMoney, i18n.T(
			"Те же сделки, каждая × вероятность стадии, в которой она была "+before+", ÷ 100, до копейки.",
			"The same deals, each × the probability of the stage it was in before the month began ÷ 100, to the kopeck.")},
		colSpec{"forecast_commit", i18n.T("Прогноз «Уверенно», ₽", "Forecast: commit, RUB"), reports.TypeMoney, i18n.T(
			"Те же сделки в категории «Уверенно» "+before+".", "The same deals in the commit category before the month began.")},
		colSpec{"won", i18n.T("Выиграно, ₽", "Won, RUB"), reports.TypeMoney, dataset.AmountDefinition(
			"Сделки, сейчас выигранные, закрытые в месяце.", "Deals now won that closed in the month.")},
		colSpec{"won_forecast", i18n.T("Выиграно из прогноза, ₽", "Won of the forecast, RUB"), reports.TypeMoney, i18n.T(
			"Та часть выигранного, что была в прогнозе.", "The part of what was won that the forecast had named.")},
		colSpec{"accuracy", i18n.T("Точность прогноза", "Forecast accuracy"), reports.TypePercent, i18n.T(
			"Выиграно ÷ взвешенный прогноз: 100 % — сбылся точно, больше — недооценили.",
			"Won ÷ the weighted forecast: 100 % came true exactly, more was an underestimate.")})
}
