package kinds

import (
	"encoding/json"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

func init() {
	RegisterKind(reports.KindReceivables, sideKind{build: buildReceivables})
	RegisterKind(reports.KindActsPayments, sideKind{build: monthly(actsPart, receivedPart)})
	RegisterKind(reports.KindPaymentsPlanFact, sideKind{build: monthly(plannedPart, receivedPart)})
}

// receivablesParams are the receivables' params: the day ages count on
// (YYYY-MM-DD, default today in Moscow) and the row keys.
type receivablesParams struct {
	AsOf string `json:"as_of,omitempty"`
	By   string `json:"by,omitempty"`
}

// The receivables' row keys (params.by).
const (
	byResponsibleCompany = "responsible_company"
	byResponsible        = "responsible"
	byCompany            = "company"
)

// ageBucket is one age column: days past due from lo to hi inclusive
// (hi -1: no upper bound; lo below 0: not yet due, due after the day).
type ageBucket struct {
	key    string
	label  i18n.Text
	lo, hi int
}

// ageBuckets partition every due date: not yet due, then by days past it.
var ageBuckets = []ageBucket{
	{"not_due", i18n.T("Срок не наступил", "Not yet due"), -1, -1},
	{"days_0_30", i18n.T("0–30 дней", "0–30 days"), 0, 30},
	{"days_31_60", i18n.T("31–60 дней", "31–60 days"), 31, 60},
	{"days_61_90", i18n.T("61–90 дней", "61–90 days"), 61, 90},
	{"days_over_90", i18n.T("Более 90 дней", "Over 90 days"), 91, -1},
}

// dueFilter is the bucket's condition on due_at for asOf: a range of
// Moscow due dates.
func (b ageBucket) dueFilter(asOf time.Time) reports.Filter {
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	var v any
	switch {
	case b.lo < 0: // due after asOf
		v = []string{day(asOf.AddDate(0, 0, 1)), "2105-12-30"}
	case b.hi < 0: // due on asOf − lo or before
		return reports.Filter{Field: "due_at", Op: reports.OpLt, Value: mustJSON(day(asOf.AddDate(0, 0, -b.lo+1)))}
	default:
		v = []string{day(asOf.AddDate(0, 0, -b.hi)), day(asOf.AddDate(0, 0, -b.lo))}
	}
	return reports.Filter{Field: "due_at", Op: reports.OpBetween, Value: mustJSON(v)}
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// buildReceivables: the invoices issued with something left to pay (of
// those issued in the period, when there is one), the rest in roubles
// (the invoices dataset's outstanding) per age bucket.
func buildReceivables(def *reports.Definition, now time.Time) (*sideSpec, error) {
	var prm receivablesParams
	if err := decodeKindParams(def.Params, &prm); err != nil {
		return nil, err
	}
	var per *reports.Period
	if def.Period != nil { // the invoices issued in it
		if def.Period.Field != "" && def.Period.Field != "issued_at" {
			return nil, apperr.Field("period.field", "not_allowed", "the period picks invoices by issued_at; leave period.field out")
		}
		p := *def.Period
		p.Field = "issued_at"
		per = &p
	}
	loc, _ := time.LoadLocation(reports.DefaultTZ)
	l := now.In(loc)
	asOf := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	if prm.AsOf != "" {
		d, err := time.Parse(time.DateOnly, prm.AsOf)
		if err != nil {
			return nil, apperr.Field("params.as_of", "invalid_date", "want a date YYYY-MM-DD such as 2025-03-31")
		}
		asOf = d
	}
	spec := &sideSpec{}
	var dims []reports.Dimension
	switch prm.By {
	case "", byResponsibleCompany, byResponsible, byCompany:
	default:
		return nil, apperr.Field("params.by", "invalid_value", "must be one of: responsible_company, responsible, company")
	}
	if prm.By != byCompany {
		spec.keys = append(spec.keys, keyOf("responsible", i18n.T("Ответственный (ID)", "Responsible (id)"), reports.TypeInteger),
			keyOf("responsible_name", i18n.T("Ответственный", "Responsible"), reports.TypeString))
		spec.order = append(spec.order, "responsible_name", "responsible")
	}
	if prm.By != byResponsible {
		spec.keys = append(spec.keys, keyOf("company", i18n.T("Компания (ID)", "Company (id)"), reports.TypeInteger),
			keyOf("company_name", i18n.T("Компания", "Company"), reports.TypeString))
		spec.order = append(spec.order, "company_name", "company")
	}
	var cols []string
	for _, k := range spec.keys {
		dims = append(dims, reports.Dimension{Field: k.key})
		cols = append(cols, k.key)
	}
	part := func(key string, label, what i18n.Text, extra ...reports.Filter) sidePart {
		filters := append([]reports.Filter{
			{Field: "status", Op: reports.OpEq, Value: mustJSON("issued")},
			{Field: "outstanding", Op: reports.OpGt, Value: mustJSON(0)}}, extra...)
		return sidePart{key: key, label: label, def: what, cols: cols, grp: reports.Definition{Dataset: "invoices",
			Dimensions: dims, Measures: []reports.Measure{{Field: "outstanding", Agg: reports.AggSum}},
			Filters: filters, Period: per, Limit: reports.MaxLimit, Lang: def.Lang}}
	}
	for _, b := range ageBuckets {
		what := i18n.T("Не оплачено по счетам со сроком оплаты позже "+asOf.Format("02.01.2006")+", ₽.",
			"Left to pay on invoices due after "+asOf.Format(time.DateOnly)+", RUB.")
		if b.lo >= 0 {
			what = i18n.T("Не оплачено по счетам, просроченным на "+b.label.RU+" на "+asOf.Format("02.01.2006")+", ₽.",
				"Left to pay on invoices "+b.label.EN+" past due on "+asOf.Format(time.DateOnly)+", RUB.")
		}
		spec.parts = append(spec.parts, part(b.key, b.label, what, b.dueFilter(asOf)))
	}
	total := part("total", i18n.T("Всего", "Total"), i18n.T("Не оплачено по выставленным счетам, ₽.", "Left to pay on the issued invoices, RUB."))
	spec.total = &total
	return spec, nil
}

func keyOf(key string, label i18n.Text, typ string) sideKey {
	return sideKey{key: key, label: label, typ: typ}
}

// moneyMonth is one column of a monthly money report: a dataset's amount
// by the month of one of its dates, under filters.
type moneyMonth struct {
	key, dataset, date string
	label, def         i18n.Text
	filters            []reports.Filter
}

var (
	actsPart = moneyMonth{key: "acts", dataset: "acts", date: "signed_at",
		label: i18n.T("Акты подписаны", "Acts signed"), def: i18n.T("Сумма актов, подписанных в месяце, ₽.", "The acts signed in the month, RUB.")}
	receivedPart = moneyMonth{key: "received", dataset: "payments", date: "paid_at",
		label: i18n.T("Оплаты получены", "Payments received"), def: i18n.T("Оплаченные платежи по дате оплаты, ₽.", "Paid payments by the date paid, RUB."),
		filters: []reports.Filter{{Field: "status", Op: reports.OpEq, Value: mustJSON("paid")}}}
	plannedPart = moneyMonth{key: "planned", dataset: "payments", date: "planned_at",
		label: i18n.T("Оплаты запланированы", "Payments planned"), def: i18n.T("Запланированные платежи по плановой дате, ₽.", "Planned payments by the planned date, RUB."),
		filters: []reports.Filter{{Field: "status", Op: reports.OpEq, Value: mustJSON("planned")}}}
)

// monthly builds a report of these columns per Moscow month of the
// period (default: this year), each column over its own date field.
func monthly(cols ...moneyMonth) func(def *reports.Definition, now time.Time) (*sideSpec, error) {
	return func(def *reports.Definition, now time.Time) (*sideSpec, error) {
		if err := decodeKindParams(def.Params, &struct{}{}); err != nil {
			return nil, err
		}
		per := reports.Period{Preset: "this_year"}
		if def.Period != nil {
			per = *def.Period
		}
		if per.Field != "" {
			return nil, apperr.Field("period.field", "not_allowed", "each column decides by its own date; leave period.field out")
		}
		rng, err := per.Resolve(now, "period")
		if err != nil {
			return nil, err
		}
		spec := &sideSpec{keys: []sideKey{{key: "month", label: i18n.T("Месяц", "Month"), typ: reports.TypeDate}},
			order: []string{"month"}, from: rng.From, to: rng.To}
		for _, c := range cols {
			p := per
			p.Field = c.date
			spec.parts = append(spec.parts, sidePart{key: c.key, label: c.label, def: c.def, cols: []string{c.date + "_month"},
				grp: reports.Definition{Dataset: c.dataset, Dimensions: []reports.Dimension{{Field: c.date, Grain: "month"}},
					Measures: []reports.Measure{{Field: "amount", Agg: reports.AggSum}}, Filters: c.filters, Period: &p,
					Limit: reports.MaxLimit, Lang: def.Lang}})
		}
		return spec, nil
	}
}
