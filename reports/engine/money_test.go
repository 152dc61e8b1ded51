package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// moneyNow is 01:30 on 2025-04-10 in Moscow (still the 9th in UTC): the
// receivables' ages count to 2025-04-10.
var moneyNow = time.Date(2025, 4, 9, 22, 30, 0, 0, time.UTC)

// moneyFixture adds to kxFixture (M1 101 Иванов Иван: deals 1–3, 7; M2
// 102 Петрова Анна: 4–6, 8, observes deal 1; USD 99.50 from 2025-01-10)
// companies, invoices, payments, orders and acts. Each invoice: deal,
// amount, due date in Moscow, days past due on 2025-04-10, what is left:
//
//	I1  d1 M1 Ромашка 1000     due 04-10     0 → 0–30    paid 400 (planned 100 counts not): 600
//	I2  d1 M1 Ромашка  500     due 04-11    −1 → not due                                   500
//	I3  d2 M1 Ромашка 2000     due 03-11    30 → 0–30                                     2000
//	I4  d3 M1 Ромашка 100.10$  due 03-10    31 → 31–60  paid 0.10$: 100.00$ × 99.50     9950.00
//	I5  d4 M2 Лютик   4000     due 01-10    90 → 61–90                                    4000
//	I6  d5 M2 Лютик   5000     due 01-09 23:59:59 Moscow, 91 → over 90                    5000
//	I7  d6 M2 —       6000     due 2024-12-01, paid in full: nothing left, not counted
//	I8  d6 M2 —        700     due 02-15    54 → 31–60                                     700
//	I9  d5 draft, I10 d4 cancelled, I11 d2 overpaid (100, paid 150): not counted
//
// USD is 100 from 2025-03-01: I4 counts at its issue date's 99.50, not
// its due date's. Acts: A1 1000 (03-31), A2 500 (04-01) of O1 (deal 1);
// A3 10$ (03-05, × 100 = 1000.00) of O2 (deal 3). Payments received by Moscow month:
// 02: 0.10$ × 99.50 = 9.95; 03: 6000 + 150; 04: 400 (paid 03-31 21:30 UTC,
// 04-01 in Moscow). Planned: 100 in April.
const moneyFixture = kxFixture + `
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2025-03-01', 100);
INSERT INTO companies (id, name) OVERRIDING SYSTEM VALUE VALUES (700, 'ООО Ромашка'), (701, 'ИП Лютик');
UPDATE deals SET company_id = 700 WHERE id IN (1, 2, 3);
UPDATE deals SET company_id = 701 WHERE id IN (4, 5);
INSERT INTO invoices (id, deal_id, number, amount, currency, status, issued_at, due_at) OVERRIDING SYSTEM VALUE VALUES
    (1, 1, 'I1', 1000, 'RUB', 'issued', '2025-03-01 09:00Z', '2025-04-10 08:00Z'),
    (2, 1, 'I2', 500, 'RUB', 'issued', '2025-03-01 09:00Z', '2025-04-10 21:30Z'),
    (3, 2, 'I3', 2000, 'RUB', 'issued', '2025-03-01 09:00Z', '2025-03-11 10:00Z'),
    (4, 3, 'I4', 100.10, 'USD', 'issued', '2025-02-01 09:00Z', '2025-03-10 10:00Z'),
    (5, 4, 'I5', 4000, 'RUB', 'issued', '2024-12-01 09:00Z', '2025-01-10 10:00Z'),
    (6, 5, 'I6', 5000, 'RUB', 'issued', '2024-12-01 09:00Z', '2025-01-09 20:59:59Z'),
    (7, 6, 'I7', 6000, 'RUB', 'issued', '2024-11-01 09:00Z', '2024-12-01 10:00Z'),
    (8, 6, 'I8', 700, 'RUB', 'issued', '2025-02-01 09:00Z', '2025-02-15 10:00Z'),
    (9, 5, 'I9', 300, 'RUB', 'draft', '2025-02-01 09:00Z', '2025-02-15 10:00Z'),
    (10, 4, 'I10', 250, 'RUB', 'cancelled', '2025-02-01 09:00Z', '2025-02-15 10:00Z'),
    (11, 2, 'I11', 100, 'RUB', 'issued', '2025-02-01 09:00Z', '2025-02-15 10:00Z');
INSERT INTO payments (invoice_id, amount, status, planned_at, paid_at) VALUES
    (1, 400, 'paid', NULL, '2025-03-31 21:30Z'),
    (1, 100, 'planned', '2025-04-20 09:00Z', NULL),
    (4, 0.10, 'paid', NULL, '2025-02-20 10:00Z'),
    (7, 6000, 'paid', NULL, '2025-03-15 10:00Z'),
    (11, 150, 'paid', NULL, '2025-03-20 10:00Z');
INSERT INTO orders (id, deal_id, number, amount, currency) OVERRIDING SYSTEM VALUE VALUES
    (1, 1, 'O1', 3000, 'RUB'), (2, 3, 'O2', 50, 'USD');
INSERT INTO acts (id, order_id, number, amount, signed_at) OVERRIDING SYSTEM VALUE VALUES
    (1, 1, 'A1', 1000, '2025-03-31'), (2, 1, 'A2', 500, '2025-04-01'), (3, 2, 'A3', 10, '2025-03-05');
`

// TestReceivablesByHand: rows responsible|name|company|name|not due|
// 0–30|31–60|61–90|over 90|total, worked out in moneyFixture's table.
func TestReceivablesByHand(t *testing.T) {
	s := kxReadOnly(t, moneyFixture, moneyNow)
	res := kxRun(t, s.eng, kxDirector, reports.KindReceivables, nil, `{}`)
	kxExpect(t, "director", kxCells(res.Rows),
		"101|Иванов Иван|700|ООО Ромашка|500.00|2600.00|9950.00|0.00|0.00|13050.00",
		"102|Петрова Анна|701|ИП Лютик|0.00|0.00|0.00|4000.00|5000.00|9000.00",
		"102|Петрова Анна|null|null|0.00|0.00|700.00|0.00|0.00|700.00")
	kxExpect(t, "totals", kxCells([][]any{res.Totals}), "null|null|null|null|500.00|2600.00|10650.00|4000.00|5000.00|22750.00")
	// M2 sees deal 1 as its observer: I1 and I2 of M1's Ромашка
	res = kxRun(t, s.eng, kxM2, reports.KindReceivables, nil, `{"by": "responsible"}`)
	kxExpect(t, "manager 2 by responsible", kxCells(res.Rows),
		"101|Иванов Иван|500.00|600.00|0.00|0.00|0.00|1100.00",
		"102|Петрова Анна|0.00|0.00|700.00|4000.00|5000.00|9700.00")
	// a period keeps the invoices issued in it: Лютик's I5 and I6 are of December
	res = kxRun(t, s.eng, kxDirector, reports.KindReceivables, &reports.Period{From: "2025-01-01", To: "2025-03-31"}, `{}`)
	kxExpect(t, "issued in the first quarter", kxCells(res.Rows),
		"101|Иванов Иван|700|ООО Ромашка|500.00|2600.00|9950.00|0.00|0.00|13050.00",
		"102|Петрова Анна|null|null|0.00|0.00|700.00|0.00|0.00|700.00")
	// a day later I2 is due (0 days), I1 1 day past due, I3 31, I4 32, I5 91
	res = kxRun(t, s.eng, kxDirector, reports.KindReceivables, nil, `{"by": "company", "as_of": "2025-04-11"}`)
	kxExpect(t, "by company on 04-11", kxCells(res.Rows),
		"701|ИП Лютик|0.00|0.00|0.00|0.00|9000.00|9000.00",
		"700|ООО Ромашка|0.00|1100.00|11950.00|0.00|0.00|13050.00",
		"null|null|0.00|0.00|700.00|0.00|0.00|700.00")
}

// TestReceivablesMatchPostgres: the buckets as a plain PostgreSQL query
// counts them (the rate of the issue date, ages in Moscow dates), for
// every role's rows.
func TestReceivablesMatchPostgres(t *testing.T) {
	s := kxReadOnly(t, moneyFixture, moneyNow)
	receivablesVsPG(t, s, "2025-04-10", kxDirector, kxM1, kxM2)
}

// The same on the seeded demo data (foreign currencies at changing
// rates, late payers of every age), its clock at midnight in Moscow:
// the ages count to 2025-06-01. The director's rows and the busiest
// manager's.
func TestReceivablesMatchPostgresOnTheSeed(t *testing.T) {
	s := kxSeeded(t)
	receivablesVsPG(t, s, "2025-06-01", kxDirector, kxBusyManager(t, s))
}

// receivablesVsPG compares each principal's receivables (every bucket
// of every manager and company) with PostgreSQL's on the day asOf.
func receivablesVsPG(t *testing.T, s *kxStores, asOf string, who ...domain.Principal) {
	t.Helper()
	const q = `
WITH left_to_pay AS (
    SELECT d.responsible_id, d.company_id,
           i.amount - coalesce((SELECT sum(p.amount) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'paid'), 0) AS rest,
           $2::date - (i.due_at AT TIME ZONE 'Europe/Moscow')::date AS days,
           (SELECT r.rate FROM currency_rates r WHERE r.code = i.currency
              AND r.valid_from <= (i.issued_at AT TIME ZONE 'Europe/Moscow')::date ORDER BY r.valid_from DESC LIMIT 1) AS rate
    FROM invoices i JOIN deals d ON d.id = i.deal_id
    WHERE i.status = 'issued'
      AND ($1 = 0 OR d.responsible_id = $1 OR EXISTS (SELECT 1 FROM deal_observers o WHERE o.deal_id = d.id AND o.user_id = $1)))
SELECT responsible_id, coalesce(company_id, 0),
       CASE WHEN days < 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2 WHEN days <= 90 THEN 3 ELSE 4 END,
       sum(round(rest * rate, 2))::text
FROM left_to_pay WHERE rest > 0 GROUP BY 1, 2, 3`
	for _, p := range who {
		res := kxRun(t, s.eng, p, reports.KindReceivables, nil, `{}`)
		id := p.UserID
		if p.SeesAll() {
			id = 0
		}
		want := map[string]string{}
		rows, err := s.pg.Pool.Query(context.Background(), q, id, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var resp, company, bucket int64
			var sum string
			if err := rows.Scan(&resp, &company, &bucket, &sum); err != nil {
				t.Fatal(err)
			}
			want[fmt.Sprintf("%d/%d/%d", resp, company, bucket)] = sum
		}
		rows.Close()
		got := map[string]string{}
		for _, r := range kxCells(res.Rows) {
			cells := splitCells(r) // responsible|name|company|name|five buckets|total
			company := cells[2]
			if company == "null" {
				company = "0"
			}
			for i, sum := range cells[4:9] {
				if sum != "0.00" {
					got[fmt.Sprintf("%s/%s/%d", cells[0], company, i)] = sum
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 {
			t.Errorf("%s %d: receivables %v, PostgreSQL counts %v", p.Role, p.UserID, got, want)
		}
	}
}

func splitCells(line string) []string { return strings.Split(line, "|") }

// TestMoneyByMonthByHand: acts against payments received, and payments
// planned against received, per Moscow month (moneyFixture's table).
func TestMoneyByMonthByHand(t *testing.T) {
	s := kxReadOnly(t, moneyFixture, moneyNow)
	res := kxRun(t, s.eng, kxDirector, reports.KindActsPayments, nil, `{}`)
	kxExpect(t, "acts and payments", kxCells(res.Rows),
		"2025-02-01|0.00|9.95", "2025-03-01|2000.00|6150.00", "2025-04-01|500.00|400.00")
	kxExpect(t, "totals", kxCells([][]any{res.Totals}), "null|2500.00|6559.95")
	res = kxRun(t, s.eng, kxDirector, reports.KindPaymentsPlanFact, &reports.Period{From: "2025-03-01", To: "2025-04-30"}, `{}`)
	kxExpect(t, "planned and received in March and April", kxCells(res.Rows),
		"2025-03-01|0.00|6150.00", "2025-04-01|100.00|400.00")
	// manager 1 sees deals 1–3 and 7: no payment of I7 or I11's deal 2 is hidden (2 is M1's); I7 is M2's
	res = kxRun(t, s.eng, kxM1, reports.KindActsPayments, nil, `{}`)
	kxExpect(t, "manager 1", kxCells(res.Rows),
		"2025-02-01|0.00|9.95", "2025-03-01|2000.00|150.00", "2025-04-01|500.00|400.00")
}

// The money reports open the records behind a figure: the invoices of a
// bucket, the acts or payments of a month.
func TestMoneyDrill(t *testing.T) {
	s := kxReadOnly(t, moneyFixture, moneyNow)
	drill := func(kind, params, cell, column string) []int64 {
		t.Helper()
		var c map[string]json.RawMessage
		if err := json.Unmarshal([]byte(cell), &c); err != nil {
			t.Fatal(err)
		}
		res, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{
			Definition: &reports.Definition{Kind: kind, Params: json.RawMessage(params)}, Cell: c, Column: column})
		if err != nil {
			t.Fatalf("drill %s %s %s: %v", kind, cell, column, err)
		}
		ids := drillResultIDs(t, res)
		slices.Sort(ids)
		return ids
	}
	for _, c := range []struct {
		kind, params, cell, column string
		want                       []int64
	}{
		{reports.KindReceivables, `{}`, `{"responsible": 101, "company": 700}`, "days_0_30", []int64{1, 3}},
		{reports.KindReceivables, `{}`, `{"responsible": 101, "company": 700}`, "", []int64{1, 2, 3, 4}},
		{reports.KindReceivables, `{}`, `{"responsible": 102}`, "days_over_90", []int64{6}},
		{reports.KindReceivables, `{}`, `{}`, "days_31_60", []int64{4, 8}},
		{reports.KindActsPayments, `{}`, `{"month": "2025-03-01"}`, "acts", []int64{1, 3}},
		{reports.KindActsPayments, `{}`, `{"month": "2025-04-01"}`, "received", []int64{1}},
	} {
		if got := drill(c.kind, c.params, c.cell, c.column); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s %s %s: ids %v, want %v", c.kind, c.cell, c.column, got, c.want)
		}
	}
	_, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{
		Definition: &reports.Definition{Kind: reports.KindReceivables}, Column: "total_rub"})
	if err == nil {
		t.Error("drill into an unknown column: no error")
	}
}
