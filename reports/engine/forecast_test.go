package engine

import (
	"testing"

	"github.com/voronka/voronka/reports"
)

// fcExtra adds to pfFixture what the forecast reads: expected close
// dates of open deals, a stage of 60 %, a USD deal (90 ₽ from 01-01), a
// deal won at May's first instant in Moscow and April's plan of M1.
//
//	D8  M1 fx new 10 %   1 000.00   expected 04-15 (April), category best_case by hand
//	D9  M1 fx new 10 %   1 000.00   expected 03-31 (March)
//	D11 M2 fx prop 60 %  33 333.33  expected 05-01 (May): weighted 19 999.998 → 20 000.00
//	D12 M2 fy new 10 %   100 USD = 9 000.00, expected 04-30 (April): weighted 900.00
//	D13 M1 fx new        expected 06-01 (after the months)
//	D14 M1 fx new        expected 02-27 (overdue: before them)
//	D15 M1 fx lost       expected 04-10 (not open)
//	D16 M2 fx won        12 345.67 closed 04-30 21:00:00 UTC = 05-01 00:00 Moscow (May)
const fcExtra = `
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2026-01-01', 90);
INSERT INTO stages (id, pipeline_id, code, name, position, kind, probability, stage_group) OVERRIDING SYSTEM VALUE VALUES
    (907, 900, 'prop', 'Предложение', 4, 'open', 60, 'Предложение');
UPDATE deals SET expected_close_at = '2026-04-15', forecast_category = 'best_case' WHERE id = 8;
UPDATE deals SET expected_close_at = '2026-03-31' WHERE id = 9;
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at, expected_close_at)
OVERRIDING SYSTEM VALUE VALUES
    (11, 'D11', 900, 907, 33333.33, 'RUB', 102, '2026-03-01 09:00Z', '2026-03-01 09:00Z', NULL, '2026-05-01'),
    (12, 'D12', 910, 911, 100,      'USD', 102, '2026-03-01 09:00Z', '2026-03-01 09:00Z', NULL, '2026-04-30'),
    (13, 'D13', 900, 901, 500,      'RUB', 101, '2026-03-01 09:00Z', '2026-03-01 09:00Z', NULL, '2026-06-01'),
    (14, 'D14', 900, 901, 700,      'RUB', 101, '2026-02-01 09:00Z', '2026-02-01 09:00Z', NULL, '2026-02-27'),
    (15, 'D15', 900, 906, 900,      'RUB', 101, '2026-03-01 09:00Z', '2026-03-02 09:00Z', '2026-03-02 09:00Z', '2026-04-10'),
    (16, 'D16', 900, 904, 12345.67, 'RUB', 102, '2026-03-01 09:00Z', '2026-04-30 21:00Z', '2026-04-30 21:00:00Z', NULL);
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at) VALUES
    ('won_amount', '2026-04-01', NULL, 101, 180000, now());
`

// TestForecastByHand: March to May 2026 of the fixture, columns
// month|responsible|name|won|best case|weighted|plan|commit|best_case|
// pipeline (D1, D3, D4 are M1's March wins; D6, D7 M2's; D10 M4's; by
// category: D11 at 60 % is commit, D8 best_case by hand, the 10 % deals
// pipeline).
func TestForecastByHand(t *testing.T) {
	s := kxReadOnly(t, pfFixture+fcExtra, pfNow)
	for _, tc := range []struct {
		name, params string
		want         []string
		total        string
	}{
		{"every pipeline", `{"from": "2026-03", "months": 3}`, []string{
			"2026-03-01|101|Иванов Иван|155000.00|1000.00|100.00|200000.00|0.00|0.00|1000.00",
			"2026-03-01|104|Кузнецов Пётр|10000.00|0.00|0.00|null|0.00|0.00|0.00",
			"2026-03-01|102|Петрова Анна|110000.00|0.00|0.00|100000.00|0.00|0.00|0.00",
			"2026-03-01|103|Сидоров Олег|0.00|0.00|0.00|50000.00|0.00|0.00|0.00",
			"2026-04-01|101|Иванов Иван|0.00|1000.00|100.00|180000.00|0.00|1000.00|0.00",
			"2026-04-01|102|Петрова Анна|0.00|9000.00|900.00|null|0.00|0.00|9000.00",
			"2026-05-01|102|Петрова Анна|12345.67|33333.33|20000.00|null|33333.33|0.00|0.00"},
			"null|null|null|287345.67|44333.33|21100.00|530000.00|33333.33|1000.00|10000.00"},
		{"pipeline fx", `{"from": "2026-03", "months": 3, "pipeline": "fx"}`, []string{
			"2026-03-01|101|Иванов Иван|155000.00|1000.00|100.00|150000.00|0.00|0.00|1000.00",
			"2026-03-01|104|Кузнецов Пётр|10000.00|0.00|0.00|null|0.00|0.00|0.00",
			"2026-03-01|102|Петрова Анна|40000.00|0.00|0.00|null|0.00|0.00|0.00",
			"2026-04-01|101|Иванов Иван|0.00|1000.00|100.00|null|0.00|1000.00|0.00",
			"2026-05-01|102|Петрова Анна|12345.67|33333.33|20000.00|null|33333.33|0.00|0.00"},
			"null|null|null|217345.67|35333.33|20200.00|150000.00|33333.33|1000.00|1000.00"},
		{"one month, by default now's (April)", `{"months": 1}`, []string{
			"2026-04-01|101|Иванов Иван|0.00|1000.00|100.00|180000.00|0.00|1000.00|0.00",
			"2026-04-01|102|Петрова Анна|0.00|9000.00|900.00|null|0.00|0.00|9000.00"},
			"null|null|null|0.00|10000.00|1000.00|180000.00|0.00|1000.00|9000.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := kxRun(t, s.eng, kxDirector, reports.KindForecast, nil, tc.params)
			kxExpect(t, "rows", kxCells(res.Rows), tc.want...)
			kxExpect(t, "totals", kxCells([][]any{res.Totals}), tc.total)
		})
	}
	// a period gives the months it touches: 03-15 … 05-02 is March to May
	res := kxRun(t, s.eng, kxDirector, reports.KindForecast, &reports.Period{From: "2026-03-15", To: "2026-05-02"}, `{}`)
	if got := kxCells([][]any{res.Totals}); got[0] != "null|null|null|287345.67|44333.33|21100.00|530000.00|33333.33|1000.00|10000.00" {
		t.Errorf("March to May by period: totals %v", got)
	}
	// the team by month, every month: June has D13 (500 at 10 %)
	res = kxRun(t, s.eng, kxDirector, reports.KindForecast, nil, `{"from": "2026-03", "months": 4, "by": "month"}`)
	kxExpect(t, "by month", kxCells(res.Rows),
		"2026-03-01|275000.00|1000.00|100.00|350000.00|0.00|0.00|1000.00",
		"2026-04-01|0.00|10000.00|1000.00|180000.00|0.00|1000.00|9000.00",
		"2026-05-01|12345.67|33333.33|20000.00|null|33333.33|0.00|0.00",
		"2026-06-01|0.00|500.00|50.00|null|0.00|0.00|500.00")
	kxExpect(t, "by month, totals", kxCells([][]any{res.Totals}), "null|287345.67|44833.33|21150.00|530000.00|33333.33|1000.00|10500.00")
	// a manager: their own rows only
	res = kxRun(t, s.eng, pfM2, reports.KindForecast, nil, `{"from": "2026-03", "months": 3}`)
	kxExpect(t, "M2", kxCells(res.Rows),
		"2026-03-01|102|Петрова Анна|110000.00|0.00|0.00|100000.00|0.00|0.00|0.00",
		"2026-04-01|102|Петрова Анна|0.00|9000.00|900.00|null|0.00|0.00|9000.00",
		"2026-05-01|102|Петрова Анна|12345.67|33333.33|20000.00|null|33333.33|0.00|0.00")
}

func TestForecastBadInput(t *testing.T) {
	s := kxReadOnly(t, "", pfNow)
	month := reports.Period{Preset: "this_month"}
	kxRefuses(t, s.eng, reports.KindForecast, []kxBadParam{
		{`{"months": 0}`, nil, "params.months out_of_range"},
		{`{"months": 25}`, nil, "params.months out_of_range"},
		{`{"months": "3"}`, nil, "params.months invalid_type"},
		{`{"from": "2026/03"}`, nil, "params.from invalid_month"},
		{`{"metric": "calls"}`, nil, "params.metric"},
		{`{"by": "stage"}`, nil, "params.by invalid_choice"},
		{`{"months": 2}`, &month, "params.from not_allowed"},
		{`{}`, &reports.Period{From: "2026-01-01", To: "2028-02-01"}, "params.months out_of_range"},
		{`{"pipeline": "nope"}`, nil, "params.pipeline"},
	})
}
