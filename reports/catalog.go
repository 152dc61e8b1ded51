package reports

import (
	"encoding/json"

	"github.com/voronka/voronka/internal/apperr"
)

// The standard catalog: the ready reports a Bitrix24-style CRM ships,
// under stable ids (GET /api/v1/reports/{id}/run). Grouped ones run on
// the datasets; the rest are report kinds of their own. Each has a
// default period that ?from=&to= replace (WithPeriod).
func init() {
	for _, r := range standardCatalog() {
		RegisterStandard(r)
	}
}

// catalogJSON is a JSON literal for definitions written in code.
func catalogJSON(s string) json.RawMessage { return json.RawMessage(s) }

func standardCatalog() []StandardReport {
	return []StandardReport{
		{ID: "deals_by_stage", NameRU: "Сделки по стадиям", NameEN: "Deals by stage",
			Description: "Сделки воронки «Продажи», созданные в периоде, по текущей стадии: число, сумма и взвешенная сумма.",
			Definition: Definition{Dataset: "deals",
				Dimensions: []Dimension{{Field: "stage_position"}, {Field: "stage_name"}},
				Measures:   []Measure{{Agg: AggCount}, {Field: "amount", Agg: AggSum}, {Field: "weighted_amount", Agg: AggSum}},
				Filters:    []Filter{{Field: "pipeline", Op: "eq", Value: catalogJSON(`"sales"`)}},
				Period:     &Period{Preset: "this_year"}, Chart: &Chart{Type: "bar"}}},
		{ID: "sales_funnel", NameRU: "Воронка продаж", NameEN: "Sales funnel",
			Description: "Конверсия сделок «Продаж», созданных в периоде, по шагам воронки; проигранные — по последнему достигнутому шагу.",
			Definition: Definition{Kind: KindFunnel, Params: catalogJSON(`{"pipeline":"sales","mode":"reached"}`),
				Period: &Period{Preset: "last_90_days"}, Chart: &Chart{Type: "bar"}}},
		{ID: "manager_effectiveness", NameRU: "Эффективность менеджеров", NameEN: "Manager effectiveness",
			Description: "По ответственным: сделки, созданные в периоде, сколько из них выиграно и проиграно, доля побед и сумма.",
			Definition: Definition{Dataset: "deals",
				Dimensions: []Dimension{{Field: "responsible_name"}},
				Measures: []Measure{{Agg: AggCount}, {Field: "won", Agg: AggSum}, {Field: "lost", Agg: AggSum},
					{Field: "won", Agg: AggAvg}, {Field: "amount", Agg: AggSum}},
				Period: &Period{Preset: "this_quarter"}, Sort: []Sort{{By: "count", Desc: true}}, Chart: &Chart{Type: "bar"}}},
		{ID: "manager_activity", NameRU: "Активность менеджеров", NameEN: "Manager activity",
			Description: "Звонки, письма, встречи, задачи, созданные, продвинутые и выигранные сделки по сотрудникам и по команде.",
			Definition:  Definition{Kind: KindManagerActivity, Period: &Period{Preset: "this_month"}, Chart: &Chart{Type: "table"}}},
		{ID: "won_by_month", NameRU: "Выигранные сделки по месяцам", NameEN: "Won deals by month",
			Description: "Число и сумма сделок в выигранных стадиях по месяцу закрытия.",
			Definition: Definition{Dataset: "deals",
				Dimensions: []Dimension{{Field: "closed_at", Grain: "month"}},
				Measures:   []Measure{{Agg: AggCount}, {Field: "amount", Agg: AggSum}},
				Filters:    []Filter{{Field: "stage_kind", Op: "eq", Value: catalogJSON(`"won"`)}},
				Period:     &Period{Field: "closed_at", Preset: "this_year"}, Chart: &Chart{Type: "line"}}},
		{ID: "deals_by_source", NameRU: "Сделки по источникам", NameEN: "Deals by source",
			Description: "Сделки, созданные в периоде, по источнику: число, выиграно, сумма.",
			Definition: Definition{Dataset: "deals",
				Dimensions: []Dimension{{Field: "source_name"}},
				Measures:   []Measure{{Agg: AggCount}, {Field: "won", Agg: AggSum}, {Field: "amount", Agg: AggSum}},
				Period:     &Period{Preset: "this_year"}, Sort: []Sort{{By: "count", Desc: true}}, Chart: &Chart{Type: "pie"}}},
		{ID: "invoices_issued_vs_paid", NameRU: "Счета: выставлено и оплачено", NameEN: "Invoices issued vs paid",
			Description: "Суммы счетов по месяцу выставления и статусу (выставлен, оплачен, черновик, отменён).",
			Definition: Definition{Dataset: "invoices",
				Dimensions: []Dimension{{Field: "issued_at", Grain: "month"}, {Field: "status"}},
				Measures:   []Measure{{Field: "amount", Agg: AggSum}},
				Pivot:      &Pivot{Columns: []string{"status"}},
				Period:     &Period{Field: "issued_at", Preset: "this_year"}, Chart: &Chart{Type: "stacked_bar"}}},
		{ID: "payments_expected_vs_received", NameRU: "Платежи: ожидается и получено", NameEN: "Payments expected vs received",
			Description: "Суммы платежей по плановому месяцу: запланированные (ожидаются) и оплаченные (получены).",
			Definition: Definition{Dataset: "payments",
				Dimensions: []Dimension{{Field: "planned_at", Grain: "month"}, {Field: "status"}},
				Measures:   []Measure{{Field: "amount", Agg: AggSum}},
				Pivot:      &Pivot{Columns: []string{"status"}},
				Period:     &Period{Field: "planned_at", Preset: "this_year"}, Chart: &Chart{Type: "stacked_bar"}}},
		{ID: "lost_by_reason_and_stage", NameRU: "Проигранные сделки по причинам и стадиям", NameEN: "Lost deals by reason and stage",
			Description: "Переходы в проигранные стадии в периоде: из какой стадии и по какой причине.",
			Definition: Definition{Dataset: "stage_changes",
				Dimensions: []Dimension{{Field: "from_stage_name"}, {Field: "reason"}},
				Measures:   []Measure{{Agg: AggCount}},
				Filters:    []Filter{{Field: "to_stage_kind", Op: "eq", Value: catalogJSON(`"lost"`)}},
				Period:     &Period{Field: "changed_at", Preset: "this_year"}, Chart: &Chart{Type: "bar"}}},
		{ID: "lead_conversion_by_source", NameRU: "Конверсия лидов по источникам", NameEN: "Lead conversion by source",
			Description: "Лиды, созданные в периоде, по источнику: сколько и какая доля стала сделками.",
			Definition: Definition{Dataset: "leads",
				Dimensions: []Dimension{{Field: "source_name"}},
				Measures:   []Measure{{Agg: AggCount}, {Field: "converted", Agg: AggSum}, {Field: "converted", Agg: AggAvg}},
				Period:     &Period{Preset: "this_year"}, Sort: []Sort{{By: "count", Desc: true}}, Chart: &Chart{Type: "bar"}}},
		{ID: "stage_percentages", NameRU: "Проценты по стадиям", NameEN: "Stage percentages",
			Description: "Сделки «Продаж» по группам стадий с вероятностью: число, сумма, взвешенная сумма, доли.",
			Definition:  Definition{Kind: KindStagePercentages, Params: catalogJSON(`{"pipeline":"sales"}`), Chart: &Chart{Type: "table"}}},
		{ID: "stage_movement", NameRU: "Движение по стадиям", NameEN: "Stage movement",
			Description: "Что было с каждой сделкой после захода в стадию: дальше, перескок, назад, проигрыш, пауза, осталась; время в стадии.",
			Definition: Definition{Kind: KindStageMovement, Params: catalogJSON(`{"pipeline":"sales"}`),
				Period: &Period{Preset: "last_30_days"}, Chart: &Chart{Type: "table"}}},
		{ID: "activities_vs_outcomes", NameRU: "Дела и результаты", NameEN: "Activities vs outcomes",
			Description: "Звонки, письма и встречи по сделкам на выигранную сделку и на переход вперёд, по сотрудникам.",
			Definition:  Definition{Kind: KindActivityOutcomes, Period: &Period{Preset: "this_month"}, Chart: &Chart{Type: "table"}}},
		{ID: "pipeline_snapshot", NameRU: "Срез воронки", NameEN: "Pipeline snapshot",
			Description: "Сделки «Продаж» по стадии, в которой они находятся сейчас или находились на выбранную дату.",
			Definition:  Definition{Kind: KindFunnel, Params: catalogJSON(`{"pipeline":"sales","mode":"current"}`), Chart: &Chart{Type: "bar"}}},
		{ID: "plan_fact", NameRU: "План-факт по выручке", NameEN: "Revenue plan vs actual",
			Description: "План по выручке каждого менеджера на месяц, факт, процент выполнения, рабочие дни и прогноз по темпу.",
			Definition: Definition{Kind: KindPlanFact, Params: catalogJSON(`{"metric":"won_amount"}`),
				Period: &Period{Preset: "this_month"}, Chart: &Chart{Type: "table"}}},
		{ID: "sales_forecast", NameRU: "Прогноз продаж", NameEN: "Sales forecast",
			Description: "По месяцам и менеджерам: выиграно, открытые сделки с ожидаемым закрытием в месяце (лучший случай, взвешенно и по категориям прогноза) и план.",
			Definition:  Definition{Kind: KindForecast, Params: catalogJSON(`{}`), Chart: &Chart{Type: "table"}}},
		{ID: "forecast_accuracy", NameRU: "Точность прогноза", NameEN: "Forecast accuracy",
			Description: "За три прошедших месяца: каким был прогноз к началу месяца (лучший случай, взвешенный, «Уверенно») и сколько выиграли на деле.",
			Definition:  Definition{Kind: KindForecastAccuracy, Params: catalogJSON(`{}`), Chart: &Chart{Type: "table"}}},
		{ID: "stale_deals", NameRU: "Застоявшиеся сделки", NameEN: "Stale deals",
			Description: "По менеджерам и стадиям: открытые сделки без активности дольше правила стадии (сколько, на какую сумму, сколько дней простоя в среднем и наибольшее) и сделки без следующей задачи.",
			Definition:  Definition{Kind: KindStaleDeals, Params: catalogJSON(`{}`), Chart: &Chart{Type: "table"}}},
		{ID: "receivables_by_age", NameRU: "Дебиторская задолженность по срокам", NameEN: "Receivables by age",
			Description: "Неоплаченный остаток выставленных счетов в рублях по дням просрочки на сегодня (по Москве): срок не наступил, 0–30, 31–60, 61–90, более 90 дней; по менеджерам и компаниям.",
			Definition:  Definition{Kind: KindReceivables, Params: catalogJSON(`{}`), Chart: &Chart{Type: "table"}}},
		{ID: "acts_vs_payments", NameRU: "Акты и оплаты по месяцам", NameEN: "Acts signed vs payments received",
			Description: "По месяцам (по Москве): сумма подписанных актов и полученных оплат в рублях.",
			Definition:  Definition{Kind: KindActsPayments, Period: &Period{Preset: "this_year"}, Chart: &Chart{Type: "bar"}}},
		{ID: "payments_planned_vs_received", NameRU: "Оплаты: план и факт по месяцам", NameEN: "Payments planned vs received",
			Description: "По месяцам (по Москве): запланированные платежи по плановой дате и полученные по дате оплаты, в рублях.",
			Definition:  Definition{Kind: KindPaymentsPlanFact, Period: &Period{Preset: "this_year"}, Chart: &Chart{Type: "bar"}}},
	}
}

// WithPeriod is the report's definition with its period replaced by
// [from, to] (dates or RFC 3339, as Period takes them), keeping the date
// field and time zone the report decides by; empty from and to keep the
// default period.
func (r StandardReport) WithPeriod(from, to string) Definition {
	def := r.Definition
	if from == "" && to == "" {
		return def
	}
	p := Period{From: from, To: to}
	if def.Period != nil {
		p.Field, p.TZ = def.Period.Field, def.Period.TZ
	}
	def.Period = &p
	return def
}

// WithAsOf is def with the instant of its snapshot set to asOf: a date
// (the end of that day in the period's zone) or an RFC 3339 instant. Only
// a funnel in current mode (the catalog's pipeline_snapshot, «Срез
// воронки») is a snapshot; any other definition refuses an as_of (422 on
// field as_of), as does a value that is neither. An empty asOf keeps def.
func WithAsOf(def Definition, asOf string) (Definition, error) {
	if asOf == "" {
		return def, nil
	}
	var params map[string]json.RawMessage
	if def.Kind != KindFunnel || json.Unmarshal(def.Params, &params) != nil || string(params["mode"]) != `"current"` {
		return def, apperr.Field("as_of", "not_allowed", "as_of applies to a pipeline snapshot (a funnel in mode current) only")
	}
	per := Period{}
	if def.Period != nil {
		per = *def.Period
	}
	loc, err := per.Location("period")
	if err != nil {
		return def, err
	}
	if _, _, err := ParseBound(asOf, loc, "as_of"); err != nil {
		return def, err
	}
	params["as_of"], _ = json.Marshal(asOf)
	def.Params, _ = json.Marshal(params)
	return def, nil
}

// IsSnapshot reports whether def takes an as_of (WithAsOf).
func IsSnapshot(def Definition) bool {
	_, err := WithAsOf(def, "2000-01-01")
	return err == nil
}
