package kinds

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/dataset"
)

func init() { RegisterKind(reports.KindStaleDeals, staleKind{}) }

// staleKind is stale deals (reports.KindStaleDeals): the definition is
// written once for the copy, in staleRowsSQL; crmcore/stale writes it
// once for PostgreSQL, and tests hold the two to each other.
type staleKind struct{}

func (staleKind) drillable() {}

// staleParams: a deal pipeline's code (none: every deal pipeline) and
// one responsible user (0: everyone the caller may see). A definition's
// period (optional) narrows the deals to those created in it; the
// idleness is always as of the run.
type staleParams struct {
	Pipeline    string `json:"pipeline,omitempty"`
	Responsible int64  `json:"responsible,omitempty"`
}

func (staleKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	var par staleParams
	if err := decodeKindParams(def.Params, &par); err != nil {
		return nil, err
	}
	if par.Responsible < 0 {
		return nil, apperr.Field("params.responsible", "out_of_range", "a user id (a positive number)")
	}
	sc, err := planScope(def, p, now, par.Pipeline, false)
	if err != nil {
		return nil, err
	}
	sc.responsible = par.Responsible
	return stalePlan{sc: sc}, nil
}

type stalePlan struct{ sc *scope }

// staleFigures are the drillable columns: the stale deals' (count,
// amount, idle_avg, idle_max) and those without a next task (no_task),
// each a condition on staleRowsSQL's rows.
var staleFigures = map[string]string{
	"count": "stale", "amount": "stale", "idle_avg": "stale", "idle_max": "stale", "no_task": "no_task",
}

// staleRowsSQL is the definition on the copy: one row per open deal (its
// stage neither won nor lost) the run may see — id, who, stage_id, rub,
// days (whole 24-hour periods idle at {now}: since the later of its last
// stage change, its creation without one, and its last activity, an
// activity's done_at or its created_at while not done), rule (the
// stage's stale_days, 0 none), stale (rule > 0 and days ≥ rule) and
// no_task (no task on it not done).
func (r *run) staleRowsSQL(stages *pipelineMeta) olap.Fragment {
	var open, ids []int64
	var rules []int32
	for _, s := range stages.Stages {
		if s.Kind != domain.KindWon && s.Kind != domain.KindLost {
			open = append(open, s.ID)
		}
		ids, rules = append(ids, s.ID), append(rules, s.StaleDays)
	}
	if len(open) == 0 { // no open stage anywhere: no deal (and no empty array, whose type 18.16 cannot tell)
		open, ids, rules = []int64{0}, []int64{0}, []int32{0}
	}
	w := sq.And{sq.Eq{"_deleted": 0}, r.access().Deals("id", "responsible_id"), sq.Expr("has(?, stage_id)", open)}
	if r.meta != nil {
		w = append(w, sq.Eq{"pipeline_id": r.meta.ID})
	}
	if r.responsible != 0 {
		w = append(w, sq.Eq{"responsible_id": r.responsible})
	}
	if r.period { // the deals created in the period
		w = append(w, sq.Expr("created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC')", r.from.Unix(), r.to.Unix()))
	}
	return olap.Template{Text: `SELECT id, toString(responsible_id) AS who, stage_id, rub,
       greatest(if(empty(times), created_at, arrayReduce('max', times)), last_at) AS since,
       intDiv(greatest(toInt64({now}) - toInt64(since), 0), 86400) AS days,
       transform(stage_id, {ids}, {rules}, toInt32(0)) AS rule,
       rule > 0 AND days >= rule AS stale,
       open_tasks = 0 AS no_task
  FROM (SELECT id, responsible_id, stage_id, rub, times, created_at
          FROM ` + r.db.Table(olap.DealFactsTable) + ` FINAL
         WHERE {where}) AS open_deals
  ANY LEFT JOIN (
        SELECT assumeNotNull(deal_id) AS id, max(ifNull(done_at, created_at)) AS last_at,
               countIf(type = 'task' AND isNull(done_at)) AS open_tasks
          FROM ` + r.db.Table("activities") + ` FINAL
         WHERE _deleted = 0 AND isNotNull(deal_id) AND ({access})
         GROUP BY id) AS deal_acts USING id`,
		Slots: olap.Slots{"now": r.now.Unix(), "ids": ids, "rules": rules, "where": w,
			"access": r.access().Activities("owner_id", "deal_id", "lead_id")}}
}

// staleKey is a row: a responsible (as text) and a stage.
type staleKey struct {
	who   string
	stage int64
}

// staleCell is one row's figures.
type staleCell struct {
	n, noTask      int64
	amount         decimal.Decimal
	daysSum, maxDs int64
}

func (c *staleCell) add(o staleCell) {
	c.n, c.noTask, c.amount, c.daysSum = c.n+o.n, c.noTask+o.noTask, c.amount.Add(o.amount), c.daysSum+o.daysSum
	c.maxDs = max(c.maxDs, o.maxDs)
}

func (c staleCell) row() []any {
	var avg, most any
	if c.n > 0 {
		avg, most = float64(c.daysSum)/float64(c.n), c.maxDs
	}
	return []any{c.n, centsMoney(c.amount), avg, most, c.noTask}
}

func (pl stalePlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	stages, err := r.dealStages(ctx)
	if err != nil {
		return nil, err
	}
	q := olap.Template{Text: `SELECT who, stage_id, countIf(stale), sumIf(rub, stale), toInt64(sumIf(days, stale)), toInt64(maxIf(days, stale)), countIf(no_task)
FROM ({rows}) AS stale_rows
GROUP BY who, stage_id
HAVING countIf(stale) > 0 OR countIf(no_task) > 0`, Slots: olap.Slots{"rows": r.staleRowsSQL(stages)}}
	cells := map[staleKey]staleCell{}
	err = r.each(ctx, "stale deals", q, func(scan func(...any) error) error {
		var k staleKey
		var c staleCell
		var n, noTask uint64
		if err := scan(&k.who, &k.stage, &n, &c.amount, &c.daysSum, &c.maxDs, &noTask); err != nil {
			return err
		}
		c.n, c.noTask = int64(n), int64(noTask)
		cells[k] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	res, err := pl.result(ctx, r, stages, cells)
	if err != nil {
		return nil, err
	}
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	return res, nil
}

// result labels the rows and sorts them by the responsible's name (then
// id) and the stage's pipeline and position; the totals are the team's.
func (pl stalePlan) result(ctx context.Context, r *run, stages *pipelineMeta, cells map[staleKey]staleCell) (*reports.Result, error) {
	var keys []staleKey
	var who []string
	for k := range cells {
		keys, who = append(keys, k), append(who, k.who)
	}
	labels, err := lookupLabels(ctx, r.db, "users", who)
	if err != nil {
		return nil, err
	}
	order, pipes := map[int64]int{}, map[int64]string{}
	for i, s := range stages.Stages {
		order[s.ID] = i
	}
	names, err := r.pipelineNames(ctx)
	if err != nil {
		return nil, err
	}
	sortRows(keys, func(a, b staleKey) bool {
		switch {
		case labels[a.who] != labels[b.who]:
			return labels[a.who] < labels[b.who]
		case a.who != b.who:
			return len(a.who) < len(b.who) || len(a.who) == len(b.who) && a.who < b.who
		}
		return order[a.stage] < order[b.stage]
	})
	res := &reports.Result{Columns: staleColumns(r.lang)}
	var total staleCell
	for _, k := range keys {
		s, _ := stages.byID(k.stage)
		id, _ := strconv.ParseInt(k.who, 10, 64)
		var rule any
		if s.StaleDays > 0 {
			rule = int64(s.StaleDays)
		}
		if pipes[k.stage] == "" {
			pipes[k.stage] = names[s.pipelineID]
		}
		res.Rows = append(res.Rows, append([]any{id, labels[k.who], k.stage, pipes[k.stage], s.Name, rule}, cells[k].row()...))
		total.add(cells[k])
	}
	res.Totals = append([]any{nil, nil, nil, nil, nil, nil}, total.row()...)
	return res, nil
}

// pipelineNames are the deal pipelines' current names by id.
func (r *run) pipelineNames(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	q := olap.SQL(r.db.Current("pipelines", "id, name") + " AND entity = 'deal'")
	err := r.each(ctx, "pipeline names", q, func(scan func(...any) error) error {
		var id int64
		var name string
		err := scan(&id, &name)
		out[id] = name
		return err
	})
	return out, err
}

// Drill lists the deals behind a row (cell {responsible, stage_id}, a
// key left out all of it): column count, amount, idle_avg or idle_max
// (the default count) the stale deals, no_task those without a next
// task — the rows staleRowsSQL gives the number.
func (pl stalePlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	figure, err := drillColumn(column, "count", staleColumns(pl.sc.lang), staleFigures, nil)
	if err != nil {
		return nil, err
	}
	cond, slots := figure, olap.Slots{}
	err = eachCellKey(cell, []string{"responsible", "stage_id"}, func(k string, raw json.RawMessage) error {
		id, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return apperr.Field("cell."+k, "invalid_value", "give the id, a whole number, as the report's rows hold it")
		}
		if k == "responsible" {
			cond, slots["who"] = cond+" AND who = {who}", strconv.FormatInt(id, 10)
		} else {
			cond, slots["stage"] = cond+" AND stage_id = {stage}", id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	loc, err := (&reports.Period{}).Location("period")
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords("deals", loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	return recordsOf(pl.sc, recs, func(ctx context.Context, r *run) (olap.Fragment, error) {
		stages, err := r.dealStages(ctx)
		if err != nil {
			return nil, err
		}
		slots["rows"] = r.staleRowsSQL(stages)
		return olap.Template{Text: "SELECT id FROM ({rows}) AS stale_rows WHERE " + cond, Slots: slots}, nil
	}), nil
}

func staleColumns(lang string) []reports.Column {
	return kindColumns(lang,
		colSpec{"responsible", i18n.T("Сотрудник (ID)", "User (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"responsible_name", i18n.T("Сотрудник", "User"), reports.TypeString, i18n.T("Ответственный за сделки.", "The deals' responsible.")},
		colSpec{"stage_id", i18n.T("Стадия (ID)", "Stage (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"pipeline_name", i18n.T("Воронка", "Pipeline"), reports.TypeString, i18n.T("Воронка стадии.", "The stage's pipeline.")},
		colSpec{"stage_name", i18n.T("Стадия", "Stage"), reports.TypeString, i18n.T("Стадия, в которой сделки сейчас.", "The stage the deals are in now.")},
		colSpec{"stale_days", i18n.T("Правило, дней", "Rule, days"), reports.TypeInteger, i18n.T(
			"Через сколько дней без активности открытая сделка стадии застаивается; пусто — правила нет.",
			"After how many days without activity an open deal in the stage is stale; empty for no rule.")},
		colSpec{"count", i18n.T("Застоявшихся", "Stale deals"), reports.TypeInteger, i18n.T(
			"Открытые сделки, простоявшие не меньше дней, чем велит правило стадии: с последней смены стадии или последнего дела (выполнения, а у невыполненного — создания), что позже; день — 24 часа.",
			"Open deals idle at least as many days as the stage's rule: since their last stage change or last activity (its completion, or creation while not done), whichever is later; a day is 24 hours.")},
		colSpec{"amount", i18n.T("Сумма застоявшихся, ₽", "Stale amount, RUB"), reports.TypeMoney, dataset.AmountDefinition(
			"Сумма застоявшихся сделок.", "The stale deals' amount.")},
		colSpec{"idle_avg", i18n.T("Дней без активности, в среднем", "Days idle, average"), reports.TypeNumber, i18n.T(
			"Среднее число полных дней без активности у застоявшихся сделок.", "The stale deals' whole days idle, on average.")},
		colSpec{"idle_max", i18n.T("Дней без активности, наибольшее", "Days idle, most"), reports.TypeInteger, i18n.T(
			"Наибольшее число полных дней без активности у застоявшихся сделок.", "The most whole days idle of a stale deal.")},
		colSpec{"no_task", i18n.T("Без следующей задачи", "Without a next task"), reports.TypeInteger, i18n.T(
			"Открытые сделки, у которых нет невыполненной задачи (с правилом стадии или без).",
			"Open deals with no task still to do (whether or not the stage has a rule).")})
}
