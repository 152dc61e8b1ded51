package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// cpFixture: three managers' activities and deals around the edges of
// months, in Moscow time (now: 2024-04-10 12:00 UTC = 15:00 Moscow; the
// pipeline fx is new → won, lost):
//
//	P1  call    M1          2024-01-31 23:59:59   January (its last second)
//	P2  call    M1          2024-02-01 00:00:00   February (its first)
//	P3  email   M1 on D1    2024-02-15 12:00
//	P4  meeting M2 on D3    2024-02-10 10:00
//	P5  call    M2 on D2    2024-01-20 10:00
//	P6  email   M2 on D2    2024-01-22 10:00
//	P7  call    M3          2024-01-15 10:00      M3 has nothing after January
//	P8  task    M1 on D1    done 2024-02-20 09:00
//	P9  task    M1          not done, due 2024-04-01: overdue now
//	P10 call    M2          2023-02-14 10:00      February 2023
//	P11 call    M1          2024-04-02 10:00      April so far
//	P12 call    M1          2024-03-05 10:00      March, before 10 March 15:00
//	P13 call    M1          2024-03-10 16:00      March, after 10 March 15:00
//	P14 call    M2          2024-03-10 14:59      March, before 10 March 15:00
//
//	D1 M1 3000 ₽ created 2024-02-05 10:00, new → won 2024-02-20 10:00 (15 days)
//	D2 M2 2000 ₽ created 2024-01-10 10:00, new → lost 2024-01-25 10:00
//	D3 M2 1000 ₽ created 2024-02-08 10:00, new
const cpFixture = `
INSERT INTO users (id, email, name, role, password_hash) OVERRIDING SYSTEM VALUE VALUES
    (100, 'dir@cp.local', 'Орлова Марина', 'director', 'x'),
    (101, 'm1@cp.local', 'Иванов Иван', 'manager', 'x'),
    (102, 'm2@cp.local', 'Петрова Анна', 'manager', 'x'),
    (103, 'm3@cp.local', 'Сидоров Пётр', 'manager', 'x');
INSERT INTO pipelines (id, code, name, entity) OVERRIDING SYSTEM VALUE VALUES (900, 'fx', 'Продажи', 'deal');
INSERT INTO stages (id, pipeline_id, code, name, position, kind, probability, stage_group) OVERRIDING SYSTEM VALUE VALUES
    (901, 900, 'new', 'Новая', 1, 'open', 10, 'Новые'), (904, 900, 'won', 'Успех', 2, 'won', 100, 'Победа'),
    (906, 900, 'lost', 'Отказ', 3, 'lost', 0, 'Поражение');
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
OVERRIDING SYSTEM VALUE VALUES
    (1, 'D1', 900, 904, 3000, 'RUB', 101, '2024-02-05 10:00+03', '2024-02-20 10:00+03', '2024-02-20 10:00+03'),
    (2, 'D2', 900, 906, 2000, 'RUB', 102, '2024-01-10 10:00+03', '2024-01-25 10:00+03', '2024-01-25 10:00+03'),
    (3, 'D3', 900, 901, 1000, 'RUB', 102, '2024-02-08 10:00+03', '2024-02-08 10:00+03', NULL);
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at) VALUES
    (1, 900, NULL, 901, '2024-02-05 10:00+03'), (1, 900, 901, 904, '2024-02-20 10:00+03'),
    (2, 900, NULL, 901, '2024-01-10 10:00+03'), (2, 900, 901, 906, '2024-01-25 10:00+03'),
    (3, 900, NULL, 901, '2024-02-08 10:00+03');
INSERT INTO activities (type, subject, owner_id, deal_id, due_at, done_at, created_at) VALUES
    ('call',    'P1',  101, NULL, NULL,                  '2024-01-31 23:59:59+03', '2024-01-31 23:00+03'),
    ('call',    'P2',  101, NULL, NULL,                  '2024-02-01 00:00:00+03', '2024-01-31 23:00+03'),
    ('email',   'P3',  101, 1,    NULL,                  '2024-02-15 12:00+03',    '2024-02-15 12:00+03'),
    ('meeting', 'P4',  102, 3,    '2024-02-10 10:00+03', '2024-02-10 10:00+03',    '2024-02-08 12:00+03'),
    ('call',    'P5',  102, 2,    NULL,                  '2024-01-20 10:00+03',    '2024-01-20 10:00+03'),
    ('email',   'P6',  102, 2,    NULL,                  '2024-01-22 10:00+03',    '2024-01-22 10:00+03'),
    ('call',    'P7',  103, NULL, NULL,                  '2024-01-15 10:00+03',    '2024-01-15 10:00+03'),
    ('task',    'P8',  101, 1,    '2024-02-21 18:00+03', '2024-02-20 09:00+03',    '2024-02-06 10:00+03'),
    ('task',    'P9',  101, NULL, '2024-04-01 18:00+03', NULL,                     '2024-03-01 10:00+03'),
    ('call',    'P10', 102, NULL, NULL,                  '2023-02-14 10:00+03',    '2023-02-14 10:00+03'),
    ('call',    'P11', 101, NULL, NULL,                  '2024-04-02 10:00+03',    '2024-04-02 10:00+03'),
    ('call',    'P12', 101, NULL, NULL,                  '2024-03-05 10:00+03',    '2024-03-05 10:00+03'),
    ('call',    'P13', 101, NULL, NULL,                  '2024-03-10 16:00+03',    '2024-03-10 16:00+03'),
    ('call',    'P14', 102, NULL, NULL,                  '2024-03-10 14:59+03',    '2024-03-10 14:59+03');
`

var cpNow = time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)

// cpRun runs kind over period compared as asked.
func cpRun(t *testing.T, s *kxStores, p domain.Principal, kind, period, compare string) *reports.Result {
	t.Helper()
	return runJSON(t, s.eng, p, `{"kind":"`+kind+`","period":`+period+`,"compare":"`+compare+`"}`)
}

// TestComparePeopleByHand: manager activity with its previous period.
// A row is responsible|name|calls|emails|meetings|tasks_done|
// tasks_overdue|deals_created|deals_moved_forward|deals_won|won_amount|
// win_rate|avg_days_to_win, then _prev|_change for each of them but
// tasks_overdue (counted now, the same in both runs).
func TestComparePeopleByHand(t *testing.T) {
	s := kxReadOnly(t, cpFixture, cpNow)
	feb := `{"from":"2024-02-01","to":"2024-02-29"}`
	// February: M1 P2, P3, P8, P9 overdue, D1 created, moved, won (3000 ₽,
	// 1 of 1 closed, 15 days); M2 P4, D3 created, nothing closed.
	m1Feb := "101|Иванов Иван|1|1|0|1|1|1|1|1|3000.00|1.0000|15.0000"
	m2Feb := "102|Петрова Анна|0|0|1|0|0|1|0|0|0.00|null|null"
	// January: M1 P1 (and P9 overdue now); M2 P5, P6, D2 created and
	// lost (0 of 1); M3 P7.
	m1VsJan := m1Feb + "|1|0.0000|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"
	for _, tc := range []struct {
		name, period, compare string
		as                    domain.Principal
		rows                  []string
		total                 string
	}{
		{"February against January: P1 at 23:59:59 on 31 January is January's, P2 at 00:00:00 on 1 February February's; M3 only in January",
			feb, "previous_period", kxDirector, []string{
				m1VsJan,
				m2Feb + "|1|-1.0000|1|-1.0000|0|null|0|null|1|0.0000|0|null|0|null|0.00|null|0.0000|null|null|null",
				"103|Сидоров Пётр|null|null|null|null|null|null|null|null|null|null|null" +
					"|1|null|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"},
			// now: calls 1, e-mails 1, meetings 1, tasks 1, overdue 1, created 2, moved 1, won 1 of 1 closed;
			// January: calls 3 (P1 P5 P7), e-mails 1, created 1, won 0 of 1 closed
			"null|null|1|1|1|1|1|2|1|1|3000.00|1.0000|15.0000" +
				"|3|-0.6667|1|0.0000|0|null|0|null|1|1.0000|0|null|0|null|0.00|null|0.0000|null|null|null"},
		{"a manager compares only their own row", feb, "previous_period", kxM1, []string{m1VsJan},
			"null|null|1|1|0|1|1|1|1|1|3000.00|1.0000|15.0000|1|0.0000|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"},
		{"this month so far (P11) against March up to 10 March 15:00 (P12, P14; not P13)",
			`{"preset":"this_month"}`, "previous_period", kxDirector, []string{
				"101|Иванов Иван|1|0|0|0|1|0|0|0|0.00|null|null|1|0.0000|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null",
				"102|Петрова Анна|null|null|null|null|null|null|null|null|null|null|null|1|null|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"},
			"null|null|1|0|0|0|1|0|0|0|0.00|null|null|2|-0.5000|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"},
		{"February against February 2023 (P10; M1 listed then for P9 overdue now)", feb, "previous_year", kxDirector, []string{
			m1Feb + "|0|null|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null",
			m2Feb + "|1|-1.0000|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"},
			"null|null|1|1|1|1|1|2|1|1|3000.00|1.0000|15.0000|1|0.0000|0|null|0|null|0|null|0|null|0|null|0|null|0.00|null|null|null|null|null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := cpRun(t, s, tc.as, reports.KindManagerActivity, tc.period, tc.compare)
			kxExpect(t, "rows", kxCells(res.Rows), tc.rows...)
			kxExpect(t, "totals", kxCells([][]any{res.Totals}), tc.total)
			if res.Meta.Compared == nil || res.Meta.Compared.Mode != tc.compare {
				t.Errorf("meta.compared %+v", res.Meta.Compared)
			}
		})
	}
	res := cpRun(t, s, kxDirector, reports.KindManagerActivity, feb, "previous_period")
	var keys []string
	for _, c := range res.Columns[13:] {
		keys = append(keys, c.Key)
	}
	if got := strings.Join(keys, " "); got != "calls_prev calls_change emails_prev emails_change meetings_prev meetings_change "+
		"tasks_done_prev tasks_done_change deals_created_prev deals_created_change deals_moved_forward_prev deals_moved_forward_change "+
		"deals_won_prev deals_won_change won_amount_prev won_amount_change win_rate_prev win_rate_change avg_days_to_win_prev avg_days_to_win_change" {
		t.Errorf("compared columns %s", got)
	}
	if c := res.Meta.Compared; c.Partial || !c.From.Equal(time.Date(2023, 12, 31, 21, 0, 0, 0, time.UTC)) || !c.To.Equal(time.Date(2024, 1, 31, 21, 0, 0, 0, time.UTC)) {
		t.Errorf("compared %+v, want January in Moscow, whole", c)
	}
	if d := res.Columns[13].Definition; !strings.Contains(d, "01.01.2024 – 31.01.2024") || !strings.HasPrefix(res.Columns[13].Label, "Звонки (") {
		t.Errorf("calls_prev %q: %q", res.Columns[13].Label, d)
	}
	if d := res.Columns[6].Definition; res.Columns[6].Key != "tasks_overdue" || !strings.Contains(d, "не сравнивается") {
		t.Errorf("tasks_overdue's definition %q", d)
	}
	run := cpRun(t, s, kxDirector, reports.KindManagerActivity, `{"preset":"this_month"}`, "previous_period")
	if c := run.Meta.Compared; !c.Partial || !c.To.Equal(time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("running month compared %+v, want March up to 10 March 15:00 Moscow, partial", c)
	}
	d, _ := reports.ParseDefinition([]byte(`{"kind":"manager_activity","period":` + feb + `,"compare":"previous_period","lang":"en"}`))
	en, err := s.eng.Run(context.Background(), kxDirector, d)
	if err != nil {
		t.Fatal(err)
	}
	if l := en.Columns[13].Label; l != "Calls (previous period)" {
		t.Errorf("English calls_prev label %q", l)
	}
}

// TestCompareOutcomesByHand: activities vs outcomes, February against
// January. Columns responsible|name|calls|emails|meetings (on deals)|
// deals_won|stages_advanced|calls, emails, meetings per won|per advance,
// then _prev|_change for every figure. February: M1 P3 on D1, D1 won and
// advanced once (new → won); M2 P4 on D3. January: M2 P5, P6 on D2 (lost,
// no advance); M1 and M3 nothing on deals, so not listed.
func TestCompareOutcomesByHand(t *testing.T) {
	s := kxReadOnly(t, cpFixture, cpNow)
	res := cpRun(t, s, kxDirector, reports.KindActivityOutcomes, `{"from":"2024-02-01","to":"2024-02-29"}`, "previous_period")
	nulls := func(n int) string { return strings.Repeat("|null", n) }
	kxExpect(t, "rows", kxCells(res.Rows),
		"101|Иванов Иван|0|1|0|1|1|0.0000|1.0000|0.0000|0.0000|1.0000|0.0000"+nulls(22),
		"102|Петрова Анна|0|0|1|0|0"+nulls(6)+"|1|-1.0000|1|-1.0000|0|null|0|null|0|null"+nulls(12))
	kxExpect(t, "totals", kxCells([][]any{res.Totals}),
		"null|null|0|1|1|1|1|0.0000|1.0000|1.0000|0.0000|1.0000|1.0000|1|-1.0000|1|0.0000|0|null|0|null|0|null"+nulls(12))
}

// The heatmap is one period by weekday and hour: compare on it is a 422
// naming compare, and so on a per-user kind without a period.
func TestComparePeopleBadInput(t *testing.T) {
	s := kxReadOnly(t, "", cpNow)
	for _, tc := range []struct{ def, code, says string }{
		{`{"kind":"activity_heatmap","period":{"preset":"this_month"},"compare":"previous_period"}`, "not_supported", "heatmap"},
		{`{"kind":"manager_activity","period":{"preset":"this_month"},"compare":"last_week"}`, "invalid_choice", "last_week"},
	} {
		d, err := reports.ParseDefinition([]byte(tc.def))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.eng.Run(context.Background(), kxDirector, d)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != "compare" || e.Code != tc.code || !strings.Contains(e.Message, tc.says) {
			t.Errorf("%s: %v, want 422 compare %s", tc.def, err, tc.code)
		}
	}
}
