package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// pfFixture is March 2026 (Moscow: [02-28 21:00, 03-31 21:00) UTC) for
// the plan-fact report, times UTC. The month has 22 working days: 22
// weekdays, less 03-09 (a holiday moved from Sunday 03-08, from the
// preloaded calendar), plus Saturday 03-14 listed as a workday here. By
// pfAsOf (03-16 12:00 Moscow) 10 have ended: 2–6, 10–13 and 14.
//
//	D1  M1 fx won  100 000  closed 03-01 00:00:00 Moscow (in)
//	D2  M1 fx won   50 000  closed 02-28 23:59:59 Moscow (February)
//	D3  M1 fx won   30 000  closed 03-31 23:59 Moscow (after as_of; in by the month's end); created 03-20
//	D4  M1 fx won   25 000  closed 03-10; created 03-01 00:00:00 Moscow (new in March)
//	D5  M1 fx lost  60 000  closed 03-05; created 02-28 23:59:59 Moscow (not new)
//	D6  M2 fx won   40 000  closed 03-12; created 03-02 (new)
//	D7  M2 fy won   70 000  closed 03-03 (another pipeline)
//	D8  M1 fx open          created 03-16 11:59:59 Moscow (new: as_of is inclusive)
//	D9  M1 fx open          created 03-16 12:00:01 Moscow (after as_of)
//	D10 M4 fx won   10 000  closed 03-04 (no plan)
//
// M2 observes D1. Calls: M1 A1 (03-02) and A3 (03-01 00:00:00 Moscow)
// count; A2 (02-28 23:59:59 Moscow), A4 (not done) and A8 (03-20) do not;
// M2 A5 (03-05, on D7). M1 holds a meeting A6 (03-03). Plans for March,
// all pipelines: won_amount M1 200 000, M2 100 000, M3 50 000; won_count
// M1 4; calls M1 10, M2 5; new_deals M3 5; for fx: won_amount M1 150 000;
// February's won_amount of M1 (999) is another month.
const pfFixture = `
INSERT INTO users (id, email, name, role, password_hash) OVERRIDING SYSTEM VALUE VALUES
    (100, 'dir@pf.local', 'Орлова Марина', 'director', 'x'),
    (101, 'm1@pf.local', 'Иванов Иван', 'manager', 'x'),
    (102, 'm2@pf.local', 'Петрова Анна', 'manager', 'x'),
    (103, 'm3@pf.local', 'Сидоров Олег', 'manager', 'x'),
    (104, 'm4@pf.local', 'Кузнецов Пётр', 'manager', 'x');
INSERT INTO holidays (day, kind, name) VALUES ('2026-03-14', 'workday', 'Рабочая суббота');
INSERT INTO pipelines (id, code, name, entity) OVERRIDING SYSTEM VALUE VALUES
    (900, 'fx', 'Продажи', 'deal'), (910, 'fy', 'Сервис', 'deal');
INSERT INTO stages (id, pipeline_id, code, name, position, kind, probability, stage_group) OVERRIDING SYSTEM VALUE VALUES
    (901, 900, 'new', 'Новая', 1, 'open', 10, 'Новые'), (904, 900, 'won', 'Успех', 2, 'won', 100, 'Победа'),
    (906, 900, 'lost', 'Отказ', 3, 'lost', 0, 'Поражение'),
    (911, 910, 'new', 'Новая', 1, 'open', 10, 'Новые'), (914, 910, 'won', 'Успех', 2, 'won', 100, 'Победа');
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
OVERRIDING SYSTEM VALUE VALUES
    (1,  'D1',  900, 904, 100000, 'RUB', 101, '2026-02-10 09:00Z',    '2026-02-28 21:00Z', '2026-02-28 21:00:00Z'),
    (2,  'D2',  900, 904, 50000,  'RUB', 101, '2026-02-11 09:00Z',    '2026-02-28 21:00Z', '2026-02-28 20:59:59Z'),
    (3,  'D3',  900, 904, 30000,  'RUB', 101, '2026-03-20 09:00Z',    '2026-03-31 21:00Z', '2026-03-31 20:59:00Z'),
    (4,  'D4',  900, 904, 25000,  'RUB', 101, '2026-02-28 21:00:00Z', '2026-03-10 10:00Z', '2026-03-10 10:00Z'),
    (5,  'D5',  900, 906, 60000,  'RUB', 101, '2026-02-28 20:59:59Z', '2026-03-05 10:00Z', '2026-03-05 10:00Z'),
    (6,  'D6',  900, 904, 40000,  'RUB', 102, '2026-03-02 06:00Z',    '2026-03-12 08:00Z', '2026-03-12 08:00Z'),
    (7,  'D7',  910, 914, 70000,  'RUB', 102, '2026-02-20 09:00Z',    '2026-03-03 09:00Z', '2026-03-03 09:00Z'),
    (8,  'D8',  900, 901, 1000,   'RUB', 101, '2026-03-16 08:59:59Z', '2026-03-16 08:59:59Z', NULL),
    (9,  'D9',  900, 901, 1000,   'RUB', 101, '2026-03-16 09:00:01Z', '2026-03-16 09:00:01Z', NULL),
    (10, 'D10', 900, 904, 10000,  'RUB', 104, '2026-02-25 09:00Z',    '2026-03-04 09:00Z', '2026-03-04 09:00Z');
INSERT INTO deal_observers (deal_id, user_id) VALUES (1, 102);
INSERT INTO activities (type, subject, owner_id, deal_id, due_at, done_at, created_at) VALUES
    ('call',    'A1', 101, NULL, NULL, '2026-03-02 07:00Z',    '2026-03-02 07:00Z'),
    ('call',    'A2', 101, NULL, NULL, '2026-02-28 20:59:59Z', '2026-02-28 20:00Z'),
    ('call',    'A3', 101, NULL, NULL, '2026-02-28 21:00:00Z', '2026-02-28 20:00Z'),
    ('call',    'A4', 101, NULL, '2026-03-10 09:00Z', NULL,   '2026-03-01 09:00Z'),
    ('call',    'A5', 102, 7,    NULL, '2026-03-05 09:00Z',    '2026-03-05 09:00Z'),
    ('meeting', 'A6', 101, 1,    '2026-03-03 09:00Z', '2026-03-03 10:00Z', '2026-03-01 09:00Z'),
    ('email',   'A7', 102, 6,    NULL, '2026-03-06 09:00Z',    '2026-03-06 09:00Z'),
    ('call',    'A8', 101, 4,    NULL, '2026-03-20 09:00Z',    '2026-03-20 09:00Z');
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at) VALUES
    ('won_amount', '2026-03-01', NULL, 101, 200000, now()), ('won_amount', '2026-03-01', NULL, 102, 100000, now()),
    ('won_amount', '2026-03-01', NULL, 103, 50000, now()),  ('won_count', '2026-03-01', NULL, 101, 4, now()),
    ('calls', '2026-03-01', NULL, 101, 10, now()), ('calls', '2026-03-01', NULL, 102, 5, now()),
    ('new_deals', '2026-03-01', NULL, 103, 5, now()), ('won_amount', '2026-03-01', 900, 101, 150000, now()),
    ('won_amount', '2026-02-01', NULL, 101, 999, now());
`

var (
	pfNow  = time.Date(2026, 4, 5, 9, 0, 0, 0, time.UTC)
	pfAsOf = `"as_of": "2026-03-16T09:00:00Z"`
	pfM1   = domain.Principal{UserID: 101, Role: domain.RoleManager}
	pfM2   = domain.Principal{UserID: 102, Role: domain.RoleManager}
)

func pfRun(t *testing.T, s *kxStores, p domain.Principal, params string) (rows []string, total string) {
	t.Helper()
	res := kxRun(t, s.eng, p, reports.KindPlanFact, nil, "{"+params+"}")
	return kxCells(res.Rows), kxCells([][]any{res.Totals})[0]
}

// TestPlanFactByHand: every row of the fixture's March worked out above,
// columns responsible|name|plan|fact|percent|working days|passed|forecast
// (forecast = fact ÷ 10 × 22; counts rounded to whole numbers).
func TestPlanFactByHand(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	for _, tc := range []struct {
		name, params string
		want         []string
		total        string
	}{
		{"won_amount", `"metric": "won_amount", "month": "2026-03", ` + pfAsOf, []string{
			"101|Иванов Иван|200000.00|125000.00|0.6250|22|10|275000.00", // D1 + D4
			"104|Кузнецов Пётр|null|10000.00|null|22|10|22000.00",
			"102|Петрова Анна|100000.00|110000.00|1.1000|22|10|242000.00", // D6 + D7
			"103|Сидоров Олег|50000.00|0.00|0.0000|22|10|0.00"},
			"null|null|350000.00|245000.00|0.7000|22|10|539000.00"},
		{"won_amount of pipeline fx", `"metric": "won_amount", "month": "2026-03", "pipeline": "fx", ` + pfAsOf, []string{
			"101|Иванов Иван|150000.00|125000.00|0.8333|22|10|275000.00",
			"104|Кузнецов Пётр|null|10000.00|null|22|10|22000.00",
			"102|Петрова Анна|null|40000.00|null|22|10|88000.00"}, // D6 only
			"null|null|150000.00|175000.00|1.1667|22|10|385000.00"},
		{"won_count", `"metric": "won_count", "month": "2026-03", ` + pfAsOf, []string{
			"101|Иванов Иван|4|2|0.5000|22|10|4", // 4.4
			"104|Кузнецов Пётр|null|1|null|22|10|2",
			"102|Петрова Анна|null|2|null|22|10|4"},
			"null|null|4|5|1.2500|22|10|11"},
		{"new_deals", `"metric": "new_deals", "month": "2026-03", ` + pfAsOf, []string{
			"101|Иванов Иван|null|2|null|22|10|4",  // D4, D8
			"102|Петрова Анна|null|1|null|22|10|2", // D6
			"103|Сидоров Олег|5|0|0.0000|22|10|0"},
			"null|null|5|3|0.6000|22|10|7"}, // 6.6
		{"calls", `"metric": "calls", "month": "2026-03", ` + pfAsOf, []string{
			"101|Иванов Иван|10|2|0.2000|22|10|4", // A1, A3
			"102|Петрова Анна|5|1|0.2000|22|10|2"},
			"null|null|15|3|0.2000|22|10|7"},
		{"calls of pipeline fx", `"metric": "calls", "month": "2026-03", "pipeline": "fx", ` + pfAsOf, nil, // A8 is after as_of
			"null|null|null|0|null|22|10|0"},
		{"meetings", `"metric": "meetings", "month": "2026-03", ` + pfAsOf, []string{
			"101|Иванов Иван|null|1|null|22|10|2"},
			"null|null|null|1|null|22|10|2"},
		{"the month over: forecast is the fact", `"metric": "won_amount", "month": "2026-03"`, []string{
			"101|Иванов Иван|200000.00|155000.00|0.7750|22|22|155000.00", // D3 too
			"104|Кузнецов Пётр|null|10000.00|null|22|22|10000.00",
			"102|Петрова Анна|100000.00|110000.00|1.1000|22|22|110000.00",
			"103|Сидоров Олег|50000.00|0.00|0.0000|22|22|0.00"},
			"null|null|350000.00|275000.00|0.7857|22|22|275000.00"},
		{"before the month: no run rate", `"metric": "won_amount", "month": "2026-03", "as_of": "2026-02-20T00:00:00Z"`, []string{
			"101|Иванов Иван|200000.00|0.00|0.0000|22|0|null",
			"102|Петрова Анна|100000.00|0.00|0.0000|22|0|null",
			"103|Сидоров Олег|50000.00|0.00|0.0000|22|0|null"},
			"null|null|350000.00|0.00|0.0000|22|0|null"},
		{"February", `"metric": "won_amount", "month": "2026-02"`, []string{ // 19 working days: 23rd is off
			"101|Иванов Иван|999.00|50000.00|50.0501|19|19|50000.00"}, // D2
			"null|null|999.00|50000.00|50.0501|19|19|50000.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, total := pfRun(t, s, kxDirector, tc.params)
			kxExpect(t, "rows", rows, tc.want...)
			kxExpect(t, "totals", []string{total}, tc.total)
		})
	}
}

// A period names the month: previous_month (the monthly letter's) is
// February, as of its end; this_month is March as of now.
func TestPlanFactOfPeriod(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	e := s.eng.Clone()
	e.Now = func() time.Time { return time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC) }
	res := kxRun(t, e, kxDirector, reports.KindPlanFact, &reports.Period{Preset: "previous_month"}, `{"metric": "won_amount"}`)
	kxExpect(t, "February", kxCells(res.Rows), "101|Иванов Иван|999.00|50000.00|50.0501|19|19|50000.00")
	res = kxRun(t, e, kxDirector, reports.KindPlanFact, &reports.Period{Preset: "this_month"}, `{"metric": "won_amount"}`)
	kxExpect(t, "March", kxCells(res.Rows)[:1], "101|Иванов Иван|200000.00|125000.00|0.6250|22|10|275000.00")
	// February and March: both months' plans against both months' facts, 19 + 22 working days
	res = kxRun(t, s.eng, kxDirector, reports.KindPlanFact, &reports.Period{From: "2026-02-10", To: "2026-03-31"}, `{"metric": "won_amount"}`)
	kxExpect(t, "two months", kxCells(res.Rows),
		"101|Иванов Иван|200999.00|205000.00|1.0199|41|41|205000.00",
		"104|Кузнецов Пётр|null|10000.00|null|41|41|10000.00",
		"102|Петрова Анна|100000.00|110000.00|1.1000|41|41|110000.00",
		"103|Сидоров Олег|50000.00|0.00|0.0000|41|41|0.00")
	kxExpect(t, "two months' team", kxCells([][]any{res.Totals}), "null|null|350999.00|325000.00|0.9259|41|41|325000.00")
}

// A manager sees their own row only: M2 observes D1 but it is M1's.
func TestPlanFactManagerSeesOwnRow(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	rows, total := pfRun(t, s, pfM1, `"metric": "won_amount", "month": "2026-03", `+pfAsOf)
	kxExpect(t, "M1", rows, "101|Иванов Иван|200000.00|125000.00|0.6250|22|10|275000.00")
	kxExpect(t, "M1 totals", []string{total}, "null|null|200000.00|125000.00|0.6250|22|10|275000.00")
	rows, _ = pfRun(t, s, pfM2, `"metric": "won_amount", "month": "2026-03", `+pfAsOf)
	kxExpect(t, "M2", rows, "102|Петрова Анна|100000.00|110000.00|1.1000|22|10|242000.00")
}

// The default month and instant are now's, in Moscow: at 2026-03-16
// 12:00 Moscow, March as of then.
func TestPlanFactDefaultsToNow(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	e := s.eng.Clone()
	e.Now = func() time.Time { return time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC) }
	res := kxRun(t, e, kxDirector, reports.KindPlanFact, nil, `{"metric": "won_amount"}`)
	kxExpect(t, "rows", kxCells(res.Rows)[:1], "101|Иванов Иван|200000.00|125000.00|0.6250|22|10|275000.00")
}

func TestPlanFactBadInput(t *testing.T) {
	s := kxReadOnly(t, "", pfNow)
	month := reports.Period{Preset: "this_month"}
	kxRefuses(t, s.eng, reports.KindPlanFact, []kxBadParam{
		{`{}`, nil, "params.metric required"},
		{`{"metric": "revenue"}`, nil, "params.metric invalid_choice"},
		{`{"metric": "calls", "month": "2026-3"}`, nil, "params.month invalid_month"},
		{`{"metric": "calls", "month": "март"}`, nil, "params.month invalid_month"},
		{`{"metric": "calls", "as_of": "вчера"}`, nil, "params.as_of invalid_date"},
		{`{"metric": "calls", "team": 1}`, nil, "params.team"},
		{`{"metric": "calls", "month": "2026-03"}`, &month, "params.month not_allowed"},
		{`{"metric": "calls"}`, &reports.Period{From: "2025-01-01", To: "2027-01-31"}, "period out_of_range"},
		{`{"metric": "calls", "pipeline": "nope"}`, nil, "params.pipeline"},
	})
}

// kxBadParam is one definition a kind must refuse: want is the 422's
// "field code" (a prefix).
type kxBadParam struct {
	params string
	period *reports.Period
	want   string
}

// kxRefuses runs each bad definition of kind and checks its 422.
func kxRefuses(t *testing.T, e *Engine, kind string, cases []kxBadParam) {
	t.Helper()
	for _, tc := range cases {
		_, err := e.Run(context.Background(), kxDirector, &reports.Definition{Kind: kind, Period: tc.period, Params: json.RawMessage(tc.params)})
		ae := apperr.As(err)
		if ae == nil || ae.Kind != apperr.Invalid {
			t.Errorf("%s: %v, want a 422", tc.params, err)
			continue
		}
		if got := ae.Field + " " + ae.Code; !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %q, want %q…", tc.params, got, tc.want)
		}
	}
}

// pfPGWon is the won_amount fact and working days of a month in plain
// SQL on the CRM tables: $1 the month's first day; deals now in a won
// stage closed in the month in Moscow, by responsible; working days from
// generate_series and the holidays table.
const pfPGWon = `
WITH days AS (
    SELECT d::date AS day FROM generate_series($1::date, ($1::date + interval '1 month' - interval '1 day'), interval '1 day') d),
wd AS (
    SELECT count(*) AS n FROM days LEFT JOIN holidays h ON h.day = days.day
    WHERE coalesce(h.kind = 'workday', extract(isodow FROM days.day) < 6)),
f AS (
    SELECT d.responsible_id AS u, sum(` + kxPGRub + `) AS fact
    FROM deals d JOIN stages s ON s.id = d.stage_id
    WHERE s.kind = 'won' AND (d.closed_at AT TIME ZONE 'Europe/Moscow')::date >= $1::date
      AND (d.closed_at AT TIME ZONE 'Europe/Moscow')::date < ($1::date + interval '1 month')
    GROUP BY 1),
p AS (SELECT responsible_id AS u, value FROM plans WHERE metric = 'won_amount' AND month = $1::date AND pipeline_id IS NULL)
SELECT coalesce(f.u, p.u), coalesce(p.value::text, 'null'), coalesce(f.fact, 0)::numeric(20, 2)::text,
       coalesce(round(coalesce(f.fact, 0) / nullif(p.value, 0), 4)::text, 'null'), wd.n, wd.n, coalesce(f.fact, 0)::numeric(20, 2)::text
FROM f FULL JOIN p ON p.u = f.u, wd
WHERE coalesce(f.fact, 0) <> 0 OR p.u IS NOT NULL`

// TestPlanFactMatchesPostgres: on 2,000 seeded deals with plans for a
// past month before the seed's own (January 2025: half the managers) (so the forecast is the fact and every working day passed),
// each manager's row equals plain SQL over the CRM tables.
func TestPlanFactMatchesPostgres(t *testing.T) {
	s := kxSeededOwn(t) // it writes plans
	const plans = `INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at)
SELECT 'won_amount', '2025-01-01', NULL, id, 100000 * id, now() FROM users WHERE role = 'manager' AND id % 2 = 0`
	if _, err := s.pg.Pool.Exec(context.Background(), plans); err != nil {
		t.Fatal(err)
	}
	mirror(t, s.pg, s.ch, 2, "plans")
	res := kxRun(t, s.eng, kxDirector, reports.KindPlanFact, nil, `{"metric": "won_amount", "month": "2025-01"}`)
	want := map[string][]string{}
	for _, row := range kxPGRows(t, s, pfPGWon, "2025-01-01") {
		cells := strings.Split(row, " ")
		want[cells[0]] = cells
	}
	got := kxCells(res.Rows)
	planned := 0
	for _, row := range got {
		cells := strings.Split(row, "|")
		cells = append(cells[:1], cells[2:]...)
		if !kxSameCells(cells, want[cells[0]]) {
			t.Errorf("user %s:\n got %v\nwant %v", cells[0], cells, want[cells[0]])
		}
		if cells[1] != "null" {
			planned++
		}
	}
	if len(got) != len(want) || len(got) < 4 || planned == 0 || planned == len(got) {
		t.Errorf("%d rows (%d planned), reference %d: want some with a plan and some without", len(got), planned, len(want))
	}
}
