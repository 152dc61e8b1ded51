package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// TestKindValidation: each kind names the field at fault, before or
// while running.
func TestKindValidation(t *testing.T) {
	jan := kxJanuary
	bad := reports.Period{From: "2025-02-01", To: "2025-01-01"}
	cases := []struct {
		kind   string
		period *reports.Period
		params string
		field  string
	}{
		{reports.KindFunnel, &jan, `{"pipeline":"fx","bogus":1}`, "params.bogus"},
		{reports.KindFunnel, &jan, `{"pipeline":7}`, "params.pipeline"},
		{reports.KindFunnel, &jan, `{}`, "params.pipeline"},
		{reports.KindFunnel, &jan, `{"pipeline":"fx","mode":"up"}`, "params.mode"},
		{reports.KindFunnel, nil, `{"pipeline":"fx"}`, "period"},
		{reports.KindFunnel, &bad, `{"pipeline":"fx"}`, "period.to"},
		{reports.KindFunnel, &reports.Period{Field: "closed_at", Preset: "this_year"}, `{"pipeline":"fx"}`, "period.field"},
		{reports.KindFunnel, &jan, `{"pipeline":"fx","breakdown":"password_hash"}`, "params.breakdown"},
		{reports.KindFunnel, &jan, `{"pipeline":"fx","mode":"current","window_days":3}`, "params.window_days"},
		{reports.KindFunnel, &jan, `{"pipeline":"nope"}`, "params.pipeline"},
		{reports.KindFunnel, &jan, `{"pipeline":"leads"}`, "params.pipeline"},
		{reports.KindStagePercentages, nil, `{}`, "params.pipeline"},
		{reports.KindStagePercentages, nil, `{"pipeline":"fx","by_stage":"yes"}`, "params.by_stage"},
		{reports.KindStagePercentages, nil, `{"pipeline":"nope"}`, "params.pipeline"},
		{reports.KindStageMovement, nil, `{"pipeline":"fx"}`, "period"},
		{reports.KindStageMovement, &jan, `{"pipeline":"fx","per":1}`, "params.per"},
		{reports.KindManagerActivity, &jan, `{"x":1}`, "params.x"},
		{reports.KindManagerActivity, &reports.Period{Preset: "someday"}, ``, "period.preset"},
		{reports.KindActivityOutcomes, nil, ``, "period"},
		{reports.KindActivityOutcomes, &jan, `[1]`, "params"},
	}
	s := kxReadOnly(t, kxFixture, kxNow)
	for _, c := range cases {
		def := &reports.Definition{Kind: c.kind, Period: c.period, Params: json.RawMessage(c.params)}
		_, err := s.eng.Run(context.Background(), kxDirector, def)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != c.field {
			t.Errorf("%s %v %s: error %v, want 422 on %s", c.kind, c.period, c.params, err, c.field)
		}
	}
}

// TestFunnelKindTable renders the January funnel as a table with the
// lost deals beside each step, labels in the asked language.
func TestFunnelKindTable(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	def := &reports.Definition{Kind: reports.KindFunnel, Period: &jan, Lang: "en", Params: json.RawMessage(`{"pipeline":"fx","breakdown":"responsible"}`)}
	res, err := s.eng.Run(context.Background(), kxDirector, def)
	if err != nil {
		t.Fatal(err)
	}
	kxExpect(t, "rows", kxCells(res.Rows),
		"101|Иванов Иван|new|Новая|4|19959.95|null|1.0000|24.0000|0|0.00",
		"101|Иванов Иван|qual|Квалификация|4|19959.95|1.0000|1.0000|36.0000|0|0.00",
		"101|Иванов Иван|prop|Предложение|3|10000.00|0.7500|0.7500|48.0000|1|7000.00",
		"101|Иванов Иван|won|Успех|1|1000.00|0.3333|0.2500|null|0|0.00",
		"102|Петрова Анна|new|Новая|3|15000.00|null|1.0000|24.0000|0|0.00",
		"102|Петрова Анна|qual|Квалификация|2|9000.00|0.6667|0.6667|36.0000|1|4000.00",
		"102|Петрова Анна|prop|Предложение|1|5000.00|0.5000|0.3333|1152.0000|0|0.00",
		"102|Петрова Анна|won|Успех|0|0.00|0.0000|0.0000|null|0|0.00")
	if c := res.Columns[4]; c.Key != "count" || c.Label != "Deals reached" || c.LabelRU != "Дошло сделок" || c.Definition == "" {
		t.Errorf("count column %+v", c)
	}
	if res.Meta.RowCount != 8 || res.Meta.From.IsZero() {
		t.Errorf("meta %+v", res.Meta)
	}
}
