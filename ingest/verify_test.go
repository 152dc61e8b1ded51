package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// vtFixture fills a fresh CRM database (which already holds the seeded
// currencies, sources, pipelines, stages and transitions) with a few rows
// of every other mirrored table: Cyrillic text, NULLs, cents, fractional
// seconds and eight-decimal rates.
const vtFixture = `
INSERT INTO users (email, name, role, password_hash) VALUES
    ('olga@example.ru', 'Смирнова Ольга', 'director', 'secret-1'),
    ('ivan@example.ru', 'Иванов Иван', 'manager', 'secret-2');
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-05-01', 91.23456789);
INSERT INTO companies (name, inn, phone, responsible_id)
    SELECT 'ООО «Ромашка»', '7701234567', NULL, id FROM users WHERE email = 'ivan@example.ru';
INSERT INTO contacts (first_name, last_name, company_id)
    SELECT 'Пётр', 'Сидоров', id FROM companies;
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, company_id, source,
                   lost_reason, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, v.amount, v.cur, u.id, c.id, v.src, v.lost,
       v.created::timestamptz, v.created::timestamptz + interval '1 day 0.7 second', v.closed::timestamptz
FROM (VALUES
    ('Поставка станков', 'new', 1500.50, 'RUB', 'website', NULL, '2024-01-15 09:30:00.123456+03', NULL),
    ('Аренда склада', 'proposal', 0.01, 'USD', NULL, NULL, '2024-02-01 00:00:00+00', NULL),
    ('Сервис', 'refused', 99999.99, 'EUR', 'call', 'Дорого', '2024-03-10 23:59:59.999+00', '2024-04-01 12:00:00+00')
) AS v (title, stage, amount, cur, src, lost, created, closed)
JOIN pipelines p ON p.code = 'sales'
JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage
JOIN users u ON u.email = 'ivan@example.ru'
CROSS JOIN companies c;
INSERT INTO deal_observers (deal_id, user_id)
    SELECT d.id, u.id FROM deals d, users u WHERE d.title = 'Сервис' AND u.email = 'olga@example.ru';
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT id, pipeline_id, NULL, stage_id, created_at, responsible_id FROM deals;
UPDATE deals SET forecast_category = 'commit' WHERE title = 'Сервис';
INSERT INTO deal_forecast_changes (deal_id, changed_at, changed_by, expected_close_at, forecast_category)
    SELECT id, created_at, responsible_id, date '2024-03-31', forecast_category FROM deals;
INSERT INTO leads (title, source, stage_id, responsible_id, contact_name, contact_phone)
    SELECT 'Заявка с сайта', 'web_form', s.id, u.id, 'Анна', '+7 900 000-00-00'
    FROM stages s JOIN pipelines p ON p.id = s.pipeline_id, users u
    WHERE p.code = 'leads' AND s.code = 'new' AND u.email = 'ivan@example.ru';
INSERT INTO lead_status_changes (lead_id, to_stage_id, changed_at, reason)
    SELECT id, stage_id, created_at, 'создан' FROM leads;
INSERT INTO activities (type, subject, owner_id, deal_id, direction, duration_s, due_at)
    SELECT 'call', 'Звонок клиенту', u.id, d.id, 'out', 125, NULL FROM users u, deals d
    WHERE u.email = 'ivan@example.ru' AND d.title = 'Сервис';
INSERT INTO activities (type, subject, owner_id, due_at)
    SELECT 'task', 'Подготовить КП', id, '2024-06-01 10:00:00+03' FROM users WHERE email = 'olga@example.ru';
INSERT INTO products (name, sku, price, currency) VALUES ('Станок ЧПУ', 'CNC-1', 250000.00, 'RUB'), ('Доставка', NULL, 1500.5, 'RUB');
INSERT INTO deal_items (deal_id, product_id, quantity, price, discount)
    SELECT d.id, p.id, 2.5, p.price, 10 FROM deals d, products p WHERE d.title = 'Поставка станков';
INSERT INTO invoices (deal_id, number, amount, currency, status, issued_at, due_at)
    SELECT id, 'СЧ-0001', 1500.50, 'RUB', 'issued', '2024-01-20 10:00:00+03', '2024-02-20 10:00:00+03'
    FROM deals WHERE title = 'Поставка станков';
INSERT INTO payments (invoice_id, amount, status, planned_at, paid_at)
    SELECT id, 500.25, 'paid', NULL, '2024-01-25 15:00:00+03' FROM invoices;
INSERT INTO contracts (company_id, number, signed_at, valid_to) SELECT id, 'Д-1', '2024-01-10', NULL FROM companies;
INSERT INTO orders (deal_id, contract_id, number, amount, currency, items)
    SELECT d.id, c.id, 'З-1', 1500.50, 'RUB', '[]' FROM deals d, contracts c WHERE d.title = 'Поставка станков';
UPDATE invoices SET order_id = (SELECT id FROM orders);
INSERT INTO acts (order_id, number, amount, signed_at) SELECT id, 'А-1', 700.25, '2024-01-31' FROM orders;
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at, updated_by)
    SELECT 'won_amount', '2024-01-01', NULL, m.id, 1500000.50, '2024-01-02 09:00:00+03', d.id
    FROM users m, users d WHERE m.role = 'manager' AND d.role = 'director';
`

// vtRows is one table's rows as read from PostgreSQL and converted to the
// Go values olap.Insert takes.
type vtRows struct {
	cols []string
	rows [][]any
}

// vtReadPG reads every mirrored table with a plain SELECT of its mirrored
// columns.
func vtReadPG(t *testing.T, pg *testenv.PG) map[string]*vtRows {
	t.Helper()
	ctx := context.Background()
	out := map[string]*vtRows{}
	for _, m := range olap.Mirrors() {
		rows, err := pg.Pool.Query(ctx, "SELECT * FROM "+m.Table)
		if err != nil {
			t.Fatal(err)
		}
		tr := &vtRows{}
		var keep []bool
		for _, f := range rows.FieldDescriptions() {
			keep = append(keep, !m.IsExcluded(f.Name))
			if !m.IsExcluded(f.Name) {
				tr.cols = append(tr.cols, f.Name)
			}
		}
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			var row []any
			for i, v := range vals {
				if keep[i] {
					row = append(row, vtGoValue(t, v))
				}
			}
			tr.rows = append(tr.rows, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		out[m.Table] = tr
	}
	return out
}

// vtGoValue converts a pgx value to what the contract says ingest writes.
func vtGoValue(t *testing.T, v any) any {
	switch v := v.(type) {
	case bool:
		if v {
			return uint8(1)
		}
		return uint8(0)
	case pgtype.Numeric:
		s, err := v.Value()
		if err != nil {
			t.Fatal(err)
		}
		return decimal.RequireFromString(s.(string))
	case time.Time:
		return v.UTC()
	case map[string]any, []any: // json(b), as text: the fixture's are '[]', whose text no spacing changes
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return v
}

// vtCopy writes the rows into ClickHouse at _version 1, after edit (which
// may change, drop or add rows of one table).
func vtCopy(t *testing.T, ch *testenv.CH, src map[string]*vtRows, edit func(table string, r *vtRows)) {
	t.Helper()
	for table, tr := range src {
		r := &vtRows{cols: tr.cols}
		for _, row := range tr.rows {
			r.rows = append(r.rows, slices.Clone(row))
		}
		if edit != nil {
			edit(table, r)
		}
		cols := append(slices.Clone(r.cols), olap.VersionColumn, olap.DeletedColumn)
		var rows [][]any
		for _, row := range r.rows {
			rows = append(rows, append(row, uint64(1), uint8(0)))
		}
		if err := ch.DB.Insert(context.Background(), table, cols, rows); err != nil {
			t.Fatal(err)
		}
	}
}

// vtCol is the index of a column.
func vtCol(r *vtRows, name string) int { return slices.Index(r.cols, name) }

// vtRow is the row whose column col holds value.
func vtRow(t *testing.T, r *vtRows, col string, value any) []any {
	t.Helper()
	for _, row := range r.rows {
		if row[vtCol(r, col)] == value {
			return row
		}
	}
	t.Fatalf("no row with %s = %v", col, value)
	return nil
}

func vtSetup(t *testing.T) (*testenv.PG, map[string]*vtRows) {
	t.Helper()
	pg := testenv.NewPG(t)
	if _, err := pg.Pool.Exec(context.Background(), vtFixture); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return pg, vtReadPG(t, pg)
}

// A mirror loaded with exactly PostgreSQL's rows verifies clean, with the
// row counts PostgreSQL itself reports.
func TestVerifyCleanMirror(t *testing.T) {
	ctx := context.Background()
	pg, src := vtSetup(t)
	ch := testenv.NewCH(t)
	vtCopy(t, ch, src, nil)
	rep, err := ingest.Verify(ctx, pg.Pool, ch.DB)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if !rep.OK() || len(rep.Tables) != len(olap.Mirrors()) {
		t.Fatalf("clean mirror reported %v as differing:\n%s", rep.Failed(), vtText(rep))
	}
	for _, tc := range rep.Tables {
		var n int64
		if err := pg.Pool.QueryRow(ctx, "SELECT count(*) FROM "+tc.Table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if tc.PGCount != n || tc.CHCount != n || n == 0 {
			t.Errorf("%s: counts pg %d ch %d, want %d (and more than none)", tc.Table, tc.PGCount, tc.CHCount, n)
		}
	}
}

func vtText(rep ingest.Report) string {
	var b strings.Builder
	rep.WriteText(&b)
	return b.String()
}

// vtFault is one way the mirror can be wrong (or look wrong but be right).
type vtFault struct {
	name    string
	edit    func(t *testing.T, table string, r *vtRows)
	after   func(t *testing.T, ch *testenv.CH, src map[string]*vtRows) // extra writes
	failed  []string                                                   // tables that must differ
	problem string                                                     // in the failed table's Problem
}

// vtExtra writes rows of deals at a given version and deleted flag.
func vtExtra(t *testing.T, ch *testenv.CH, cols []string, version uint64, deleted uint8, rows ...[]any) {
	t.Helper()
	cols = append(slices.Clone(cols), olap.VersionColumn, olap.DeletedColumn)
	var out [][]any
	for _, r := range rows {
		out = append(out, append(slices.Clone(r), version, deleted))
	}
	if err := ch.DB.Insert(context.Background(), "deals", cols, out); err != nil {
		t.Fatal(err)
	}
}

func vtDeal(t *testing.T, src map[string]*vtRows, title string) []any {
	return slices.Clone(vtRow(t, src["deals"], "title", title))
}

var vtFaults = []vtFault{
	{name: "one deal missing", failed: []string{"deals"}, problem: "row counts differ by -1",
		edit: func(t *testing.T, table string, r *vtRows) {
			if table == "deals" {
				r.rows = r.rows[1:]
			}
		}},
	{name: "one amount off by a cent", failed: []string{"deals"}, problem: "checksums differ",
		edit: func(t *testing.T, table string, r *vtRows) {
			if table == "deals" {
				row := vtRow(t, r, "title", "Сервис")
				row[vtCol(r, "amount")] = decimal.RequireFromString("100000.00")
			}
		}},
	{name: "amounts swapped between two deals", failed: []string{"deals"}, problem: "checksums differ",
		edit: func(t *testing.T, table string, r *vtRows) {
			if table == "deals" {
				a, b, i := vtRow(t, r, "title", "Сервис"), vtRow(t, r, "title", "Аренда склада"), vtCol(r, "amount")
				a[i], b[i] = b[i], a[i]
			}
		}},
	{name: "payment time one second late", failed: []string{"payments"}, problem: "checksums differ",
		edit: func(t *testing.T, table string, r *vtRows) {
			if table == "payments" {
				r.rows[0][vtCol(r, "paid_at")] = r.rows[0][vtCol(r, "paid_at")].(time.Time).Add(time.Second)
			}
		}},
	{name: "NULL reason written as empty text", failed: []string{"stage_changes"}, problem: "checksums differ",
		edit: func(t *testing.T, table string, r *vtRows) {
			if table == "stage_changes" {
				r.rows[0][vtCol(r, "reason")] = ""
			}
		}},
	{name: "delete marker for a live deal", failed: []string{"deals"}, problem: "row counts differ by -1",
		after: func(t *testing.T, ch *testenv.CH, src map[string]*vtRows) {
			vtExtra(t, ch, []string{"id"}, 2, 1, []any{vtDeal(t, src, "Сервис")[0]})
		}},
	{name: "deal deleted in postgresql but live in clickhouse", failed: []string{"deals"}, problem: "row counts differ by 1",
		after: func(t *testing.T, ch *testenv.CH, src map[string]*vtRows) {
			row := vtDeal(t, src, "Сервис")
			row[0] = int64(1000)
			vtExtra(t, ch, src["deals"].cols, 1, 0, row)
		}},
	{name: "deal deleted in postgresql, marker applied", // not a difference
		after: func(t *testing.T, ch *testenv.CH, src map[string]*vtRows) {
			row := vtDeal(t, src, "Сервис")
			row[0] = int64(1000)
			vtExtra(t, ch, src["deals"].cols, 1, 0, row)
			vtExtra(t, ch, []string{"id"}, 5, 1, []any{int64(1000)})
		}},
	{name: "newer version differs from postgresql", failed: []string{"deals"}, problem: "checksums differ",
		after: func(t *testing.T, ch *testenv.CH, src map[string]*vtRows) {
			row := vtDeal(t, src, "Сервис")
			row[1] = "Сервис (переименован)"
			vtExtra(t, ch, src["deals"].cols, 2, 0, row)
		}},
	{name: "older stale version replayed late", // not a difference
		after: func(t *testing.T, ch *testenv.CH, src map[string]*vtRows) {
			row := vtDeal(t, src, "Сервис")
			row[1] = "Сервис (старое имя)"
			vtExtra(t, ch, src["deals"].cols, 0, 0, row)
		}},
	{name: "column missing in clickhouse", failed: []string{"deals"}, problem: "clickhouse lacks column lost_reason",
		edit: func(t *testing.T, table string, r *vtRows) {
			if table == "deals" {
				i := vtCol(r, "lost_reason")
				r.cols = slices.Delete(r.cols, i, i+1)
				for j := range r.rows {
					r.rows[j] = slices.Delete(r.rows[j], i, i+1)
				}
			}
		},
		after: func(t *testing.T, ch *testenv.CH, _ map[string]*vtRows) {
			if err := ch.DB.Exec(context.Background(), olap.SQL("ALTER TABLE "+ch.Database+".deals DROP COLUMN lost_reason")); err != nil {
				t.Fatal(err)
			}
		}},
}

func TestVerifyFindsEachFault(t *testing.T) {
	pg, src := vtSetup(t)
	for _, f := range vtFaults {
		t.Run(f.name, func(t *testing.T) {
			ch := testenv.NewCH(t)
			vtCopy(t, ch, src, func(table string, r *vtRows) {
				if f.edit != nil {
					f.edit(t, table, r)
				}
			})
			if f.after != nil {
				f.after(t, ch, src)
			}
			rep, err := ingest.Verify(context.Background(), pg.Pool, ch.DB)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if fmt.Sprint(rep.Failed()) != fmt.Sprint(f.failed) || rep.OK() != (len(f.failed) == 0) {
				t.Fatalf("failed tables %v, want %v\n%s", rep.Failed(), f.failed, vtText(rep))
			}
			for _, tc := range rep.Tables {
				if !tc.OK && !strings.Contains(tc.Problem, f.problem) {
					t.Errorf("%s: problem %q, want %q", tc.Table, tc.Problem, f.problem)
				}
			}
			if len(f.failed) > 0 && !strings.Contains(vtText(rep), "DIFFERS") {
				t.Errorf("text report does not mark the difference:\n%s", vtText(rep))
			}
		})
	}
}
