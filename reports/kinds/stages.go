package kinds

import (
	"context"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

func init() { RegisterKind(reports.KindStagePercentages, stagesKind{}) }

type stagesKind struct{}

// stagesParams: Pipeline (required); ByStage lists stages, not groups;
// Responsible (a user id) counts only that user's deals, the same report
// for one manager as for the team.
type stagesParams struct {
	Pipeline    string `json:"pipeline"`
	ByStage     bool   `json:"by_stage,omitempty"`
	Responsible int64  `json:"responsible,omitempty"`
}

func (stagesKind) params(def *reports.Definition) (stagesParams, error) {
	var p stagesParams
	if err := decodePipelineParams(def.Params, &p, &p.Pipeline); err != nil {
		return p, err
	}
	if p.Responsible < 0 {
		return p, apperr.Field("params.responsible", "out_of_range", "a user id (a positive number)")
	}
	return p, nil
}

// Plan validates params and period.
func (k stagesKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	par, err := k.params(def)
	if err != nil {
		return nil, err
	}
	sc, err := planScope(def, p, now, par.Pipeline, false)
	if err != nil {
		return nil, err
	}
	sc.responsible = par.Responsible
	loc, err := periodLoc(def)
	if err != nil {
		return nil, err
	}
	return stagesPlan{sc: sc, byStage: par.ByStage, loc: loc}, nil
}

type stagesPlan struct {
	sc      *scope
	byStage bool
	loc     *time.Location // the period's zone: the drill's times
}

// stageFigures is one stage's count and amounts.
type stageFigures struct {
	n             int64
	amt, weighted decimal.Decimal
}

// weightedRubSQL is one deal's weighted amount: rub × its stage's
// probability (transform over the slots {ids}, {probs}) ÷ 100, rounded
// half up to the kopeck.
var weightedRubSQL = weightedRubOf("stage_id")

// weightedRubOf is weightedRubSQL for the stage an expression gives.
func weightedRubOf(stage string) string {
	return `toDecimal128(toDecimal128(rub, 4) * ` + probabilitySQL(stage) + ` / 100 + toDecimal128('0.005', 3), 2)`
}

// probabilitySQL is the probability in percent of the stage an
// expression gives (over the slots {ids}, {probs}; 0 for none).
func probabilitySQL(stage string) string { return `transform(` + stage + `, {ids}, {probs}, 0)` }

// forecastCategorySQL is the forecast category of a deal whose hand-set
// category (the empty string: none; not Nullable) and stage the expressions give: the
// one set, or the stage probability's (domain.ForecastCategoryOf; slots
// {commit_from}, {best_case_from}).
func forecastCategorySQL(category, stage string) string {
	return `if(` + category + ` != '', ` + category + `, multiIf(` + probabilitySQL(stage) + ` >= {commit_from}, 'commit', ` +
		probabilitySQL(stage) + ` >= {best_case_from}, 'best_case', 'pipeline'))`
}

// forecastCategorySlots are forecastCategorySQL's thresholds.
func forecastCategorySlots(s olap.Slots) olap.Slots {
	s["commit_from"], s["best_case_from"] = int16(domain.CommitFromProbability), int16(domain.BestCaseFromProbability)
	return s
}

// stagesDeals is the deal set the stage percentages count: the
// pipeline's deals created in the period that p may see (of one
// responsible when params.responsible is given). Its rows, by their
// current stage_id, are each number of the answer (stagesSQL) and the
// deals behind it (drillStages).
func stagesDeals(r *run) dealSet { return r.deals("", nil) }

// stagesSQL sums the deals by current stage.
func stagesSQL(set dealSet, m *pipelineMeta) olap.Fragment {
	ids, probs := m.probabilityArrays()
	return olap.Template{Text: `SELECT stage_id, count() AS n, sum(rub) AS amount, sum(` + weightedRubSQL + `) AS weighted
FROM ({rows})
GROUP BY stage_id`, Slots: olap.Slots{"ids": ids, "probs": probs, "rows": set.rows()}}
}

// Run sums p's deals by stage and renders groups (or stages).
func (pl stagesPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	figures := map[int64]stageFigures{}
	err = r.each(ctx, "stage percentages", stagesSQL(stagesDeals(r), r.meta), func(scan func(...any) error) error {
		var id int64
		var n uint64
		var f stageFigures
		if err := scan(&id, &n, &f.amt, &f.weighted); err != nil {
			return err
		}
		f.n = int64(n)
		figures[id] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := stagesResult(r.lang, r.meta, figures, pl.byStage)
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	return res, nil
}

// stageRow is one row of the result: a stage group (or a stage).
type stageRow struct {
	lead []any
	prob int16
	stageFigures
}

// stagesResult groups the figures by (stage group, probability) in
// position order, or lists every stage, with shares of the total.
func stagesResult(lang string, m *pipelineMeta, figures map[int64]stageFigures, byStage bool) *reports.Result {
	var rows []*stageRow
	index := map[string]*stageRow{}
	var total stageFigures
	for _, s := range m.Stages {
		key, lead := stageRowOf(s, byStage)
		r, ok := index[key]
		if !ok {
			r = &stageRow{lead: lead, prob: s.Probability}
			index[key] = r
			rows = append(rows, r)
		}
		f := figures[s.ID]
		r.n, r.amt, r.weighted = r.n+f.n, r.amt.Add(f.amt), r.weighted.Add(f.weighted)
		total.n, total.amt, total.weighted = total.n+f.n, total.amt.Add(f.amt), total.weighted.Add(f.weighted)
	}
	res := &reports.Result{Columns: stagesColumns(lang, byStage)}
	for _, r := range rows {
		res.Rows = append(res.Rows, append(r.lead, int64(r.prob), r.n, centsMoney(r.amt), centsMoney(r.weighted),
			nullableCell(ratio(r.n, total.n)), nullableCell(decimalRatio(r.amt, total.amt))))
	}
	res.Totals = make([]any, len(res.Columns))
	n := len(res.Columns)
	res.Totals[n-5], res.Totals[n-4], res.Totals[n-3] = total.n, centsMoney(total.amt), centsMoney(total.weighted)
	res.Totals[n-2], res.Totals[n-1] = nullableCell(ratio(total.n, total.n)), nullableCell(decimalRatio(total.amt, total.amt))
	return res
}

// stageRowOf is the row a stage adds up into: its key and its leading
// cells, those of the columns stageLeadKeys names, then its
// probability. A stage group (its name and kind) with one probability is
// one row; by stage, each stage is.
func stageRowOf(s stageMeta, byStage bool) (key string, lead []any) {
	if byStage {
		return s.Code, []any{s.Code, s.Name, s.Group, s.Kind}
	}
	return s.Group + "\x00" + s.Kind + "\x00" + strconv.Itoa(int(s.Probability)), []any{s.Group, s.Kind}
}

// stageLeadKeys are the column keys of stageRowOf's leading cells.
func stageLeadKeys(byStage bool) []string {
	if byStage {
		return []string{"stage", "stage_name", "stage_group", "stage_kind"}
	}
	return []string{"stage_group", "stage_kind"}
}

// decimalRatio is a/b as a float, nil when b is 0.
func decimalRatio(a, b decimal.Decimal) *float64 {
	if b.IsZero() {
		return nil
	}
	f, _ := a.Div(b).Float64()
	return &f
}

func stagesColumns(lang string, byStage bool) []reports.Column {
	specs := []colSpec{
		{"stage_group", i18n.T("Группа стадий", "Stage group"), reports.TypeString, i18n.T("Группа стадий воронки (текущая).", "The pipeline's stage group (current).")},
		{"stage_kind", i18n.T("Тип", "Kind"), reports.TypeString, i18n.T("Открытая, выиграна, на паузе или проиграна.", "open, won, paused or lost.")},
	}
	if byStage {
		specs = append([]colSpec{
			{"stage", i18n.T("Стадия (код)", "Stage (code)"), reports.TypeString, i18n.Text{}},
			{"stage_name", i18n.T("Стадия", "Stage"), reports.TypeString, i18n.T("Текущее название стадии.", "The stage's current name.")}}, specs...)
	}
	return kindColumns(lang, append(specs,
		colSpec{"probability", i18n.T("Вероятность, %", "Probability, %"), reports.TypeInteger, i18n.T("Вероятность успеха стадии.", "The stage's probability of winning.")},
		colSpec{"count", i18n.T("Сделок", "Deals"), reports.TypeInteger, i18n.T("Сделки воронки (созданные в периоде, если он задан) в этих стадиях сейчас.",
			"The pipeline's deals (created in the period, when one is given) now in these stages.")},
		colSpec{"amount", i18n.T("Сумма, ₽", "Amount, RUB"), reports.TypeMoney, dataset.AmountDefinition("Сумма сделок.", "The deals' amount.")},
		colSpec{"weighted_amount", i18n.T("Взвешенная сумма, ₽", "Weighted amount, RUB"), reports.TypeMoney,
			i18n.T("Сумма × вероятность / 100, по каждой сделке до копейки.", "Amount × probability / 100, per deal to the kopeck.")},
		colSpec{"count_share", i18n.T("Доля сделок", "Share of deals"), reports.TypePercent, i18n.T("Сделок здесь / сделок всего.", "Deals here / all deals.")},
		colSpec{"amount_share", i18n.T("Доля суммы", "Share of amount"), reports.TypePercent, i18n.T("Сумма здесь / сумма всего.", "Amount here / total amount.")})...)
}
