package kinds

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

func init() { RegisterKind(reports.KindFunnel, funnelKind{}) }

// funnelKind renders a funnel as a table: one row per step (per group
// and step with a breakdown) with its lost deals beside it; in current
// mode one row per stage, paused and lost included.
type funnelKind struct{}

// funnelParams are the kind's params.
type funnelParams struct {
	Pipeline   string `json:"pipeline"`
	Mode       string `json:"mode,omitempty"`
	AsOf       string `json:"as_of,omitempty"`
	Breakdown  string `json:"breakdown,omitempty"`
	WindowDays int    `json:"window_days,omitempty"`
}

func (funnelKind) request(def *reports.Definition) (reports.FunnelRequest, error) {
	var p funnelParams
	if err := decodeKindParams(def.Params, &p); err != nil {
		return reports.FunnelRequest{}, err
	}
	return reports.FunnelRequest{Pipeline: p.Pipeline, Period: def.Period, Mode: p.Mode, AsOf: p.AsOf,
		Breakdown: p.Breakdown, WindowDays: p.WindowDays}, nil
}

// Plan checks the params and the period and plans the funnel.
func (k funnelKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	req, err := k.request(def)
	if err != nil {
		return nil, err
	}
	fp, err := PlanFunnel(req, p, now, "params.")
	if err != nil {
		return nil, err
	}
	return funnelTablePlan{fp: fp, breakdown: req.Breakdown, lang: def.Lang}, nil
}

// funnelTablePlan runs a funnel and renders it as a table.
type funnelTablePlan struct {
	fp        *FunnelPlan
	breakdown string
	lang      string
}

func (pl funnelTablePlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	f, err := pl.fp.Funnel(ctx, db)
	if err != nil {
		return nil, err
	}
	return FunnelTable(f, pl.breakdown, pl.lang), nil
}

// FunnelTable renders a funnel answer as a table: one row per step (per
// group and step with a breakdown, breakdown naming its field) with its
// lost deals beside it; in current mode one row per stage, paused and
// lost included. It is the one table of a funnel: the report kind, the
// dashboards' panels and their XLSX all show it.
func FunnelTable(f *reports.Funnel, breakdown, lang string) *reports.Result {
	res := &reports.Result{Columns: funnelColumns(lang, f.Mode, breakdown), Meta: f.Meta}
	if f.Breakdown == nil {
		res.Rows = funnelRows(nil, f.Steps, f.Lost, f.Paused, f.Mode)
	}
	for _, g := range f.Breakdown {
		res.Rows = append(res.Rows, funnelRows([]any{g.Key, g.Label}, g.Steps, g.Lost, g.Paused, f.Mode)...)
	}
	res.Meta.RowCount = len(res.Rows)
	return res
}

// funnelRows are the table rows of one funnel, each led by lead.
func funnelRows(lead []any, steps []reports.FunnelStep, lost, paused []reports.FunnelCount, mode string) [][]any {
	var rows [][]any
	for i, s := range steps {
		row := append(append([]any(nil), lead...), s.Stage, s.Name, s.Count, s.Amount)
		if mode == reports.ModeReached {
			row = append(row, nullableCell(s.ConversionFromPrev), nullableCell(s.ConversionFromFirst),
				nullableCell(s.MedianHoursInStage), lost[i].Count, lost[i].Amount)
		} else {
			row = append(row, nullableCell(s.MedianHoursInStage))
		}
		rows = append(rows, row)
	}
	if mode == reports.ModeCurrent {
		for _, c := range append(append([]reports.FunnelCount(nil), paused...), lost...) {
			rows = append(rows, append(append([]any(nil), lead...), c.Stage, c.Name, c.Count, c.Amount, nil))
		}
	}
	return rows
}

// funnelColumns are the table's columns in lang.
func funnelColumns(lang, mode, breakdown string) []reports.Column {
	var specs []colSpec
	if b := breakdown; b != "" {
		specs = append(specs, colSpec{b, i18n.T("Разрез", "Breakdown"), reports.TypeString, i18n.T("Значение поля разреза.", "The breakdown field's value.")},
			colSpec{b + "_label", i18n.T("Название", "Label"), reports.TypeString, i18n.T("Текущее название значения.", "The value's current name.")})
	}
	specs = append(specs,
		colSpec{"stage", i18n.T("Стадия (код)", "Stage (code)"), reports.TypeString, i18n.Text{}},
		colSpec{"stage_name", i18n.T("Стадия", "Stage"), reports.TypeString, i18n.T("Текущее название стадии.", "The stage's current name.")})
	if mode == reports.ModeCurrent {
		return kindColumns(lang, append(specs,
			colSpec{"count", i18n.T("Сделок", "Deals"), reports.TypeInteger, i18n.T("Сделки воронки, созданные к моменту среза, по стадии, в которой они были в этот момент (по истории стадий).",
				"Deals of the pipeline created by the snapshot instant, by the stage they were in then (from the stage history).")},
			colSpec{"amount", i18n.T("Сумма, ₽", "Amount, RUB"), reports.TypeMoney, dataset.AmountDefinition("Текущая сумма сделок.", "The deals' current amount.")},
			colSpec{"median_hours_in_stage", i18n.T("Медиана часов в стадии", "Median hours in stage"), reports.TypeNumber,
				i18n.T("Медиана часов, которые сделки открытой стадии провели в ней к моменту среза.", "Median hours the deals of an open stage had spent in it at the snapshot instant.")})...)
	}
	return kindColumns(lang, append(specs,
		colSpec{"count", i18n.T("Дошло сделок", "Deals reached"), reports.TypeInteger, i18n.T("Сделки, созданные в периоде, которые побывали на этом шаге или дальше (пропущенные шаги считаются пройденными).",
			"Deals created in the period that were ever at this step or a later one (skipped steps count as passed).")},
		colSpec{"amount", i18n.T("Сумма, ₽", "Amount, RUB"), reports.TypeMoney, dataset.AmountDefinition("Текущая сумма этих сделок.", "Those deals' current amount.")},
		colSpec{"conversion_from_prev", i18n.T("Конверсия из предыдущего шага", "Conversion from previous step"), reports.TypePercent, i18n.T("Дошло на этот шаг / дошло на предыдущий.", "Reached this step / reached the previous one.")},
		colSpec{"conversion_from_first", i18n.T("Конверсия из первого шага", "Conversion from first step"), reports.TypePercent, i18n.T("Дошло на этот шаг / дошло на первый.", "Reached this step / reached the first one.")},
		colSpec{"median_hours_in_stage", i18n.T("Медиана часов в стадии", "Median hours in stage"), reports.TypeNumber,
			i18n.T("Медиана длительности заходов сделок когорты в стадию (до следующего перехода; незавершённый заход открытой стадии — до текущего момента, выигранной — не учитывается).",
				"Median length of the cohort's stays in the stage (until the next move; an unfinished stay counts up to now in an open stage, not at all in a won one).")},
		colSpec{"lost_count", i18n.T("Проиграно", "Lost"), reports.TypeInteger, i18n.T("Сделки когорты, сейчас в проигранной стадии, для которых этот шаг — самый дальний.",
			"Cohort deals now in a lost stage whose furthest step this is.")},
		colSpec{"lost_amount", i18n.T("Проиграно, ₽", "Lost, RUB"), reports.TypeMoney, dataset.AmountDefinition("Сумма этих сделок.", "Their amount.")})...)
}
