package ingest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/olap"
)

// seed writes a user, a company and n deals with plain SQL.
func (e *env) seed(n int) {
	e.t.Helper()
	e.exec(`INSERT INTO users (email, name, role, password_hash) VALUES ('a@x.ru', 'Анна', 'manager', 'secret')`)
	e.exec(`INSERT INTO companies (name, inn) VALUES ('ООО Ромашка', '7701234567')`)
	e.exec(`INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, company_id, created_at)
SELECT 'Сделка ' || i, p.id, s.id, i * 10.5, 'RUB', (SELECT min(id) FROM users), (SELECT min(id) FROM companies),
       timestamptz '2024-01-01 10:00:00+03' + i * interval '1 hour'
FROM generate_series(1, $1) i, pipelines p JOIN stages s ON s.pipeline_id = p.id AND s.code = 'new'
WHERE p.code = 'sales'`, n)
}

func TestSnapshotThenStream(t *testing.T) {
	e := newEnv(t)
	e.seed(50)
	s, _ := e.start(e.config())
	e.waitSynced(syncTimeout, mirrored()...)
	// the rows are in before the load is done: the derived tables follow them
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	if st := s.Status(); !st.Healthy {
		t.Fatalf("status after load: %+v", st)
	}

	e.exec(`INSERT INTO companies (name, phone) VALUES ('ИП Лютик', NULL)`)
	e.exec(`UPDATE deals SET amount = 99.99, lost_reason = 'дорого', closed_at = now() WHERE id % 5 = 0`)
	e.exec(`DELETE FROM deals WHERE id % 7 = 0`)
	e.waitSynced(syncTimeout, "companies", "deals", "users")
}

func TestQuickSuccessionCollapses(t *testing.T) {
	e := newEnv(t)
	e.seed(20)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	ctx := context.Background()
	// One transaction: insert, update thrice, delete (the delete wins);
	// another row updated many times (the last value wins); a third
	// deleted and inserted again under the same key.
	tx, err := e.pg.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	mustExec(t, tx, `INSERT INTO companies (name) VALUES ('temp')`)
	for i := 0; i < 3; i++ {
		mustExec(t, tx, `UPDATE companies SET name = name || '!' WHERE name LIKE 'temp%'`)
	}
	mustExec(t, tx, `DELETE FROM companies WHERE name LIKE 'temp%'`)
	for i := 0; i < 10; i++ {
		mustExec(t, tx, `UPDATE deals SET amount = amount + 1, title = 'v' || $1::int WHERE id = 3`, i)
	}
	mustExec(t, tx, `DELETE FROM deal_observers`)
	mustExec(t, tx, `INSERT INTO deal_observers (deal_id, user_id) SELECT 4, id FROM users`)
	mustExec(t, tx, `DELETE FROM deal_observers WHERE deal_id = 4`)
	mustExec(t, tx, `INSERT INTO deal_observers (deal_id, user_id) SELECT 4, id FROM users`)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// Many small transactions in quick succession on the same rows.
	for i := 0; i < 30; i++ {
		e.exec(`UPDATE deals SET stage_id = stage_id, amount = $1 WHERE id IN (1, 2)`, i)
		if i%10 == 9 {
			e.exec(`DELETE FROM deals WHERE id = $1`, 10+i/10)
		}
	}
	e.waitSynced(syncTimeout, "companies", "deals", "deal_observers")
}

func TestLargeTransaction(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	tx, err := e.pg.Pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	mustExec(t, tx, `INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id)
SELECT 'bulk ' || i, pipeline_id, stage_id, i, 'USD', responsible_id FROM deals, generate_series(1, 5000) i`)
	mustExec(t, tx, `INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at)
SELECT id, pipeline_id, stage_id, created_at FROM deals`)
	mustExec(t, tx, `UPDATE deals SET amount = amount * 2 WHERE id % 2 = 0`)
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.waitSynced(syncTimeout, "deals", "stage_changes")
}

func TestRolledBackTransactionDoesNotAppear(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	e.start(e.config())
	ctx := context.Background()
	tx, _ := e.pg.Pool.Begin(ctx)
	mustExec(t, tx, `INSERT INTO companies (name) VALUES ('призрак')`)
	mustExec(t, tx, `UPDATE deals SET title = 'призрак'`)
	tx.Rollback(ctx)
	tx, _ = e.pg.Pool.Begin(ctx)
	defer tx.Rollback(ctx)
	mustExec(t, tx, `INSERT INTO companies (name) VALUES ('настоящая')`)
	mustExec(t, tx, `SAVEPOINT s`)
	mustExec(t, tx, `INSERT INTO companies (name) VALUES ('призрак 2')`)
	mustExec(t, tx, `ROLLBACK TO SAVEPOINT s`)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	e.waitSynced(syncTimeout, "companies", "deals")
	got := e.chStrings("SELECT name FROM " + e.ch.Database + ".companies WHERE name LIKE 'призрак%'")
	if len(got) != 0 {
		t.Fatalf("rolled-back rows reached ClickHouse (any version): %v", got)
	}
}

func TestTruncate(t *testing.T) {
	e := newEnv(t)
	e.seed(5)
	e.exec(`INSERT INTO deal_observers (deal_id, user_id) SELECT d.id, u.id FROM deals d, users u`)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deal_observers", "currency_rates")
	e.exec(`TRUNCATE deal_observers`)
	// Truncate and refill in one transaction: the new rows must survive
	// the truncation's delete markers.
	e.exec(`BEGIN; TRUNCATE currency_rates; INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-01-01', 91.5); COMMIT`)
	e.waitSynced(syncTimeout, "deal_observers", "currency_rates")
	if n := e.pgStrings("SELECT count(*)::text FROM currency_rates"); n[0] != "1" {
		t.Fatalf("postgres currency_rates = %v, want 1 row", n)
	}
}

func mustExec(t *testing.T, tx pgx.Tx, sql string, args ...any) {
	t.Helper()
	if _, err := tx.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// Sales plans stream like every mirrored table (issue 17): a plan set,
// changed and removed in PostgreSQL is the same in ClickHouse each time.
func TestPlansStream(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	e.start(e.config())
	e.waitSynced(syncTimeout, "plans", "users")
	e.exec(`INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at)
SELECT 'won_amount', date '2025-03-01', NULL, min(id), 1500000.50, now() FROM users`)
	e.exec(`INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at)
SELECT 'calls', date '2025-03-01', (SELECT id FROM pipelines WHERE code = 'sales'), min(id), 120, now() FROM users`)
	e.waitSynced(syncTimeout, "plans")
	e.exec(`UPDATE plans SET value = value + 1 WHERE metric = 'calls'`)
	e.exec(`DELETE FROM plans WHERE metric = 'won_amount'`)
	e.waitSynced(syncTimeout, "plans")
	if got := e.chStrings("SELECT concat(metric, ' ', toString(value)) FROM " + e.ch.Database + ".plans FINAL WHERE _deleted = 0"); len(got) != 1 || got[0] != "calls 121.00" {
		t.Errorf("plans in ClickHouse: %v, want [calls 121.00]", got)
	}
}

// A deal's forecast history streams into its facts (issue 17): a new
// expected date and a category written to deal_forecast_changes reach
// deal_facts' arrays in time order with the batch, as the deal's column.
func TestForecastHistoryStream(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals", "deal_forecast_changes")
	e.exec(`UPDATE deals SET forecast_category = 'commit', updated_at = '2030-01-02 09:00Z' WHERE id = (SELECT min(id) FROM deals)`)
	e.exec(`INSERT INTO deal_forecast_changes (deal_id, changed_at, expected_close_at, forecast_category)
SELECT min(id), '2030-01-02 09:00Z', date '2030-02-15', 'commit' FROM deals`)
	e.waitSynced(syncTimeout, "deals", "deal_forecast_changes")
	q := "SELECT concat(ifNull(forecast_category, '-'), ' ', toString(arrayElement(fc_times, -1)), ' ', toString(arrayElement(fc_dates, -1)), ' ', arrayElement(fc_cats, -1)) FROM " +
		e.ch.Database + ".deal_facts FINAL WHERE id = (SELECT min(id) FROM " + e.ch.Database + ".deals)"
	want := "commit 2030-01-02 09:00:00 2030-02-15 commit"
	deadline := time.Now().Add(syncTimeout)
	for {
		got := e.chStrings(q)
		if len(got) == 1 && got[0] == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("deal_facts of the first deal: %v, want [%s]", got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A table mirrored only by a later version (the holidays, olap migration
// 8) reaches ClickHouse whole on an installation that streamed before
// it: the copy has no watermark of it, so ingest copies it from a
// snapshot at its next start, rows committed before and while it was
// stopped alike, and streams its changes from there. The "earlier
// version" is made by emptying the table and forgetting its watermark.
func TestNewlyMirroredTableIsCopied(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	s, stop := e.start(e.config())
	e.waitSynced(syncTimeout, "holidays", "deals")
	// done, so the next start resumes the slot rather than loading again
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	stop()
	for _, q := range []string{"TRUNCATE TABLE " + e.ch.Database + ".holidays",
		"ALTER TABLE " + e.ch.Database + "." + olap.WatermarksTable + " DELETE WHERE table_name = 'holidays'"} {
		if err := e.ch.DB.DDL(context.Background(), olap.SQL(q)); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	waitFor(t, syncTimeout, "the watermark forgotten", func() bool {
		n, err := e.chQuery("SELECT toString(count()) FROM " + e.ch.Database + "." + olap.WatermarksTable + " WHERE table_name = 'holidays'")
		return err == nil && n[0] == "0"
	})
	e.exec(`INSERT INTO holidays (day, kind, name) VALUES ('2026-06-13', 'workday', 'Перенос выходного')`)
	e.start(e.config())
	e.waitSynced(syncTimeout, "holidays")
	e.exec(`DELETE FROM holidays WHERE day = '2026-01-02'`)
	e.exec(`UPDATE deals SET amount = amount + 1`)
	e.waitSynced(syncTimeout, "holidays", "deals")
	if n := e.pgStrings(`SELECT count(*)::text FROM holidays`)[0]; n == "0" {
		t.Fatal("the fixture has no holidays: the test shows nothing")
	}
	e.verifyClean()
}

// The documents of a deal stream like every mirrored table (issue 19):
// contracts, orders (with their items as text), acts, and the order an
// invoice names arrive, change and go in ClickHouse as in PostgreSQL.
func TestDocsStream(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals", "invoices")
	e.exec(`INSERT INTO contracts (company_id, number, signed_at, valid_to) SELECT min(id), 'Д-1', date '2025-02-01', NULL FROM companies`)
	e.exec(`INSERT INTO orders (deal_id, contract_id, number, amount, currency, items)
SELECT min(d.id), (SELECT min(id) FROM contracts), 'З-1', 1000.50, 'RUB', '[{"product_id": 1, "name": "Лицензия"}]' FROM deals d`)
	e.exec(`INSERT INTO acts (order_id, number, amount, signed_at) SELECT min(id), 'А-1', 400.25, date '2025-03-31' FROM orders`)
	e.exec(`INSERT INTO acts (order_id, number, amount, signed_at) SELECT min(id), 'А-2', 100, date '2025-04-30' FROM orders`)
	e.exec(`INSERT INTO invoices (deal_id, number, amount, currency, status, issued_at, due_at, order_id)
SELECT deal_id, 'СЧ-1', amount, currency, 'issued', now(), now() + interval '10 days', id FROM orders`)
	e.waitSynced(syncTimeout, "contracts", "orders", "acts", "invoices")
	e.exec(`UPDATE contracts SET valid_to = date '2025-12-31'`)
	e.exec(`DELETE FROM acts WHERE number = 'А-2'`)
	e.waitSynced(syncTimeout, "contracts", "acts")
	db := e.ch.Database
	var order int64
	if err := e.pg.Pool.QueryRow(context.Background(), `SELECT id FROM orders`).Scan(&order); err != nil {
		t.Fatal(err)
	}
	orderID := strconv.FormatInt(order, 10)
	for q, want := range map[string]string{
		"SELECT concat(number, ' ', toString(signed_at), ' ', toString(valid_to)) FROM " + db + ".contracts FINAL WHERE _deleted = 0":                  "Д-1 2025-02-01 2025-12-31",
		"SELECT concat(number, ' ', toString(amount), ' ', toString(position(items, 'Лицензия') > 0)) FROM " + db + ".orders FINAL WHERE _deleted = 0": "З-1 1000.50 1",
		"SELECT concat(number, ' ', toString(amount), ' ', toString(signed_at)) FROM " + db + ".acts FINAL WHERE _deleted = 0":                         "А-1 400.25 2025-03-31",
		"SELECT concat(number, ' ', toString(order_id)) FROM " + db + ".invoices FINAL WHERE _deleted = 0 AND order_id IS NOT NULL":                    "СЧ-1 " + orderID,
	} {
		if got := e.chStrings(q); len(got) != 1 || got[0] != want {
			t.Errorf("%s:\n got %v, want [%s]", q, got, want)
		}
	}
}
