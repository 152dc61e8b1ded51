package kinds

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

func init() { RegisterKind(reports.KindPlanFact, planFactKind{}) }

// planFactKind is план-факт (../shared/API.md, "Plans and forecasts"):
// per responsible, a metric's plan for a month against its fact so far.
type planFactKind struct{}

// planFactParams: the metric (one of domain.PlanMetrics), the month
// (YYYY-MM, Moscow; default the current one), a deal pipeline's code (a
// plan for that pipeline and only its deals; none: the plans for all
// pipelines and every deal) and the instant the answer is as of (default
// now; a later one is now).
type planFactParams struct {
	Metric   string `json:"metric"`
	Month    string `json:"month,omitempty"`
	Pipeline string `json:"pipeline,omitempty"`
	AsOf     string `json:"as_of,omitempty"` // RFC 3339
}

// Plan validates the params; a definition's period, when given, names
// the month instead of params.month (one calendar month).
func (planFactKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	var par planFactParams
	if err := decodeKindParams(def.Params, &par); err != nil {
		return nil, err
	}
	if !slices.Contains(domain.PlanMetrics, par.Metric) {
		code := "invalid_choice"
		if par.Metric == "" {
			code = "required"
		}
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: code, Field: "params.metric",
			Message: "name the plan's metric", Details: map[string]any{"allowed": domain.PlanMetrics}}
	}
	sc, err := planScope(def, p, now, par.Pipeline, false)
	if err != nil {
		return nil, err
	}
	m, err := scopeMonth(sc, par.Month)
	if err != nil {
		return nil, err
	}
	asOf := sc.now
	if sc.period && !asOf.Before(sc.to) { // a past month: as of its end, over
		asOf = sc.to
	}
	months := []planMonth{m}
	if sc.period {
		if n := monthsTouched(m, sc.to); n > maxForecastMonths {
			return nil, apperr.Field("period", "out_of_range", fmt.Sprintf("a plan-fact report covers at most %d months", maxForecastMonths))
		} else {
			months = monthsFrom(m, n)
		}
	}
	m.end = months[len(months)-1].end
	for _, mm := range months {
		m.days = append(m.days, mm.day)
	}
	if par.AsOf != "" {
		t, err := time.Parse(time.RFC3339, par.AsOf)
		if err != nil {
			return nil, apperr.Field("params.as_of", "invalid_date", "want an instant such as 2026-03-16T12:00:00+03:00")
		}
		if t.Before(asOf) {
			asOf = t.UTC().Truncate(time.Second)
		}
	}
	return planFactPlan{sc: sc, metric: par.Metric, month: m, asOf: asOf}, nil
}

// planMonth is a calendar month in Moscow: its first day (a date) and
// the instants it starts and ends.
type planMonth struct {
	day        string // 2026-03-01
	start, end time.Time
	loc        *time.Location // Moscow
	// days are the first days of the months a plan-fact report spans
	// (start is the first's, end the last's)
	days []string
}

// monthsFrom are n months from first on.
func monthsFrom(first planMonth, n int) []planMonth {
	months := []planMonth{first}
	for len(months) < n {
		next := months[len(months)-1].end.In(first.loc)
		months = append(months, planMonth{day: next.Format(time.DateOnly), start: next.UTC(), end: next.AddDate(0, 1, 0).UTC(), loc: first.loc})
	}
	return months
}

// monthsTouched counts the calendar months from first's that [.., to)
// reaches into.
func monthsTouched(first planMonth, to time.Time) int {
	n := 0
	for m := first.start.In(first.loc); m.Before(to); m = m.AddDate(0, 1, 0) {
		n++
	}
	return n
}

// resolveMonth reads YYYY-MM ("" is the month of now in Moscow).
func resolveMonth(field, s string, now time.Time) (planMonth, error) {
	msk, err := reports.Period{}.Location(field)
	if err != nil {
		return planMonth{}, err
	}
	var first time.Time
	if s == "" {
		n := now.In(msk)
		first = time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, msk)
	} else {
		m, err := time.Parse("2006-01", s)
		if err != nil || m.Format("2006-01") != s {
			return planMonth{}, apperr.Field(field, "invalid_month", strconv.Quote(s)+" is not a month: want YYYY-MM")
		}
		first = time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, msk)
	}
	return planMonth{day: first.Format(time.DateOnly), start: first.UTC(), end: first.AddDate(0, 1, 0).UTC(), loc: msk}, nil
}

// scopeMonth is the month a plan report starts at: the one its period
// (a preset such as previous_month, the way schedules and the catalog
// give it) starts in, or params' month (YYYY-MM; default now's), not
// both. A period spans every calendar month it touches: a quarter's
// plan-fact is its three months' plans against its facts.
func scopeMonth(sc *scope, month string) (planMonth, error) {
	if !sc.period {
		return resolveMonth("params.month", month, sc.now)
	}
	if month != "" {
		return planMonth{}, apperr.Field("params.month", "not_allowed", "the period gives the month; leave params.month out")
	}
	return resolveMonth("period", "", sc.from)
}

type planFactPlan struct {
	sc     *scope
	metric string
	month  planMonth
	asOf   time.Time // inclusive, to the second
}

// money reports whether the metric is roubles (else a count).
func (pl planFactPlan) money() bool { return pl.metric == "won_amount" }

// factTo is the end of the fact's window: the month's end, or just after
// as_of when that comes first (never before the month's start).
func (pl planFactPlan) factTo() time.Time {
	to := pl.asOf.Add(time.Second)
	if pl.month.end.Before(to) {
		to = pl.month.end
	}
	if to.Before(pl.month.start) {
		to = pl.month.start
	}
	return to
}

// Run reads the plans, the facts and the month's calendar.
func (pl planFactPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	plans, facts, err := pl.figures(ctx, r)
	if err != nil {
		return nil, err
	}
	cal, err := readCalendar(ctx, r, pl.month)
	if err != nil {
		return nil, err
	}
	days, passed := cal.workingDays(pl.month, pl.asOf)
	var keys []string
	for k := range plans {
		keys = append(keys, k)
	}
	for k, f := range facts {
		if _, planned := plans[k]; !planned && !f.IsZero() {
			keys = append(keys, k)
		}
	}
	labels, err := lookupLabels(ctx, db, "users", keys)
	if err != nil {
		return nil, err
	}
	sortRows(keys, func(a, b string) bool {
		if labels[a] != labels[b] {
			return labels[a] < labels[b]
		}
		return len(a) < len(b) || len(a) == len(b) && a < b
	})
	res := &reports.Result{Columns: pl.columns(r.lang)}
	var teamPlan *decimal.Decimal
	teamFact := decimal.Zero
	for _, k := range keys {
		id, _ := strconv.ParseInt(k, 10, 64)
		var plan *decimal.Decimal
		if v, ok := plans[k]; ok {
			plan = &v
			if teamPlan == nil {
				teamPlan = &decimal.Decimal{}
			}
			*teamPlan = teamPlan.Add(v)
		}
		teamFact = teamFact.Add(facts[k])
		res.Rows = append(res.Rows, append([]any{id, labels[k]}, pl.cells(plan, facts[k], days, passed)...))
	}
	res.Totals = append([]any{nil, nil}, pl.cells(teamPlan, teamFact, days, passed)...)
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	res.Meta.From, res.Meta.To = pl.month.start, pl.month.end
	return res, nil
}

// cells are plan, fact, percent, working days, days passed and forecast.
func (pl planFactPlan) cells(plan *decimal.Decimal, fact decimal.Decimal, days, passed int) []any {
	var planCell, percent, forecast any
	if plan != nil {
		planCell = pl.figure(*plan)
		if !plan.IsZero() {
			percent = fact.Div(*plan).InexactFloat64()
		}
	}
	switch {
	case !pl.asOf.Before(pl.month.end): // the month is over: the fact is final
		forecast = pl.figure(fact)
	case passed > 0:
		run := fact.Mul(decimal.NewFromInt(int64(days))).Div(decimal.NewFromInt(int64(passed)))
		forecast = pl.figure(run)
	}
	return []any{planCell, pl.figure(fact), percent, days, passed, forecast}
}

// figure is a value of the metric: roubles to the kopeck, a count whole
// (half away from zero).
func (pl planFactPlan) figure(d decimal.Decimal) any {
	if pl.money() {
		return centsMoney(d)
	}
	f, _ := d.Float64()
	return int64(math.Round(f))
}

// plansQuery selects the months' targets of the metric by responsible
// (who, v): for the pipeline, or (none) those for all pipelines; a
// manager's own only.
func (pl planFactPlan) plansQuery(r *run) sq.SelectBuilder {
	w := sq.And{sq.Eq{"_deleted": 0, "metric": pl.metric}, sq.Expr("has(?, toString(month))", pl.month.days), planMine(r.p, "responsible_id")}
	if r.meta != nil {
		w = append(w, sq.Eq{"pipeline_id": r.meta.ID})
	} else {
		w = append(w, sq.Expr("isNull(pipeline_id)"))
	}
	return sq.Select("toString(responsible_id) AS who", "toDecimal128(value, 2) AS v").From(r.db.Table("plans") + " FINAL").Where(w)
}

// figures reads the plans (summed over the months) and the facts by
// responsible in one query: a round trip less on a report that is a
// few small reads (BENCHMARKS.md, "Plans").
func (pl planFactPlan) figures(ctx context.Context, r *run) (plans, facts map[string]decimal.Decimal, err error) {
	q := olap.Template{Text: `SELECT who, sumIf(v, p = 1), countIf(p = 1), sumIf(v, p = 0)
FROM (SELECT who, v, 0 AS p FROM ({facts}) UNION ALL SELECT who, v, 1 AS p FROM ({plans}))
GROUP BY who`, Slots: olap.Slots{"facts": pl.factsQuery(r), "plans": pl.plansQuery(r)}}
	plans, facts = map[string]decimal.Decimal{}, map[string]decimal.Decimal{}
	err = r.each(ctx, "plan-fact "+pl.metric, q, func(scan func(...any) error) error {
		var who string
		var plan, fact decimal.Decimal
		var planned uint64
		if err := scan(&who, &plan, &planned, &fact); err != nil {
			return err
		}
		if planned > 0 {
			plans[who] = plan
		}
		facts[who] = fact
		return nil
	})
	return plans, facts, err
}

// planMine is a manager's restriction to their own rows (col is
// theirs) in the plan reports; nothing for those who see everyone.
func planMine(p domain.Principal, col string) sq.Sqlizer {
	if p.SeesAll() {
		return sq.Expr("1 = 1")
	}
	return sq.Eq{col: p.UserID}
}

// factsQuery selects the metric's fact by responsible (who, v): the
// records factRows lists, summed.
func (pl planFactPlan) factsQuery(r *run) sq.SelectBuilder {
	return sq.Select("who", "toDecimal128(sum(x), 2) AS v").FromSelect(pl.factRows(r), "fact_rows").GroupBy("who")
}

// factDataset is the dataset of the records the metric's fact counts.
func (pl planFactPlan) factDataset() string {
	if pl.metric == "calls" || pl.metric == "meetings" {
		return "activities"
	}
	return "deals"
}

// factRows selects the records the metric's fact counts in [month
// start, factTo), one a row (id, who: the responsible, x: the roubles or
// 1) — the report sums them (factsQuery) and a drill lists them: deals
// by their current responsible (won: now in a won stage and closed in
// the window; new: created in the window), activities by owner (done in
// the window), with the access condition ANDed in and, with a pipeline,
// only its deals (and the activities on them).
func (pl planFactPlan) factRows(r *run) sq.SelectBuilder {
	from, to := pl.month.start.Unix(), pl.factTo().Unix()
	deals := sq.And{sq.Eq{"_deleted": 0}, r.access().Deals("id", "responsible_id"), planMine(r.p, "responsible_id")}
	if r.meta != nil {
		deals = append(deals, sq.Eq{"pipeline_id": r.meta.ID})
	}
	facts := r.db.Table(olap.DealFactsTable) + " FINAL"
	switch pl.metric {
	case "won_amount", "won_count":
		x := "toUInt8(1) AS x"
		if pl.money() {
			x = "rub AS x"
		}
		return sq.Select("id", "toString(responsible_id) AS who", x).From(facts).Where(append(deals,
			sq.Expr("stage_id IN ("+r.db.Current("stages", "id")+" AND kind = 'won')"),
			sq.Expr("ifNull(closed_at >= toDateTime(?, 'UTC') AND closed_at < toDateTime(?, 'UTC'), 0)", from, to)))
	case "new_deals":
		return sq.Select("id", "toString(responsible_id) AS who", "toUInt8(1) AS x").From(facts).Where(append(deals,
			sq.Expr("created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC')", from, to)))
	}
	typ := map[string]string{"calls": "call", "meetings": "meeting"}[pl.metric]
	w := sq.And{sq.Eq{"_deleted": 0, "type": typ}, r.access().Activities("owner_id", "deal_id", "lead_id"), planMine(r.p, "owner_id"),
		sq.Expr("ifNull(done_at >= toDateTime(?, 'UTC') AND done_at < toDateTime(?, 'UTC'), 0)", from, to)}
	if r.meta != nil {
		w = append(w, olap.Template{Text: "deal_id IN ({deals})", Slots: olap.Slots{"deals": sq.Select("id").From(facts).Where(deals)}})
	}
	return sq.Select("id", "toString(owner_id) AS who", "toUInt8(1) AS x").From(r.db.Table("activities") + " FINAL").Where(w)
}

// calendar is the production calendar's exceptions in a month: a
// weekday listed as a holiday is off, a weekend day listed as a workday
// is worked.
type calendar map[string]string // day → kind

// readCalendar reads the month's listed days from the holidays mirror.
func readCalendar(ctx context.Context, r *run, m planMonth) (calendar, error) {
	last := m.end.In(m.loc).AddDate(0, 0, -1).Format(time.DateOnly)
	q := sq.Select("toString(day)", "kind").From(r.db.Table("holidays") + " FINAL").
		Where(sq.And{sq.Eq{"_deleted": 0}, sq.Expr("day >= toDate(?) AND day <= toDate(?)", m.day, last)})
	out := calendar{}
	return out, r.each(ctx, "working-days calendar", q, func(scan func(...any) error) error {
		var day, kind string
		if err := scan(&day, &kind); err != nil {
			return err
		}
		out[day] = kind
		return nil
	})
}

// working reports whether a day (at midnight, in Moscow) is worked.
func (c calendar) working(d time.Time) bool {
	switch c[d.Format(time.DateOnly)] {
	case "holiday":
		return false
	case "workday":
		return true
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// workingDays counts the month's working days and those that ended by
// asOf (a day has passed when its end, the next midnight in Moscow, is at
// or before asOf).
func (c calendar) workingDays(m planMonth, asOf time.Time) (days, passed int) {
	end := m.end.In(m.loc)
	for d := m.start.In(m.loc); d.Before(end); d = d.AddDate(0, 0, 1) {
		if !c.working(d) {
			continue
		}
		days++
		if !d.AddDate(0, 0, 1).After(asOf) {
			passed++
		}
	}
	return days, passed
}

func (pl planFactPlan) columns(lang string) []reports.Column {
	typ, unit := reports.TypeInteger, i18n.T("", "")
	if pl.money() {
		typ, unit = reports.TypeMoney, i18n.T(", ₽", ", RUB")
	}
	with := func(t i18n.Text) i18n.Text { return i18n.T(t.RU+unit.RU, t.EN+unit.EN) }
	return kindColumns(lang,
		colSpec{"responsible", i18n.T("Сотрудник (ID)", "User (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"responsible_name", i18n.T("Сотрудник", "User"), reports.TypeString, i18n.T("Ответственный менеджер.", "The responsible manager.")},
		colSpec{"plan", with(i18n.T("План", "Plan")), typ, i18n.T("План на месяц.", "The month's plan.")},
		colSpec{"fact", with(i18n.T("Факт", "Actual")), typ, planFactDefinitions[pl.metric]},
		colSpec{"percent", i18n.T("Выполнение", "Attainment"), reports.TypePercent, i18n.T("Факт / план.", "Actual / plan.")},
		colSpec{"working_days", i18n.T("Рабочих дней", "Working days"), reports.TypeInteger, i18n.T("Рабочие дни месяца по производственному календарю.", "The month's working days by the production calendar.")},
		colSpec{"working_days_passed", i18n.T("Прошло рабочих дней", "Working days passed"), reports.TypeInteger, i18n.T("Рабочие дни, закончившиеся к моменту отчёта.", "Working days that ended by the report's instant.")},
		colSpec{"forecast", with(i18n.T("Прогноз", "Forecast")), typ, i18n.T("Факт / прошедшие рабочие дни × рабочие дни месяца; по окончании месяца — факт.",
			"Actual / working days passed × the month's working days; once the month is over, the actual.")})
}

// planFactDefinitions say what each metric's fact counts.
var planFactDefinitions = map[string]i18n.Text{
	"won_amount": i18n.T("Сумма сделок, сейчас выигранных, закрытых в месяце (в рублях по курсу дня создания).", "The amount of the deals now won that closed in the month (roubles at the creation day's rate)."),
	"won_count":  i18n.T("Сделки, сейчас выигранные, закрытые в месяце.", "Deals now won that closed in the month."),
	"new_deals":  i18n.T("Сделки, созданные в месяце.", "Deals created in the month."),
	"calls":      i18n.T("Звонки, совершённые в месяце (по владельцу).", "Calls made in the month (by owner)."),
	"meetings":   i18n.T("Встречи, проведённые в месяце (по владельцу).", "Meetings held in the month (by owner)."),
}
