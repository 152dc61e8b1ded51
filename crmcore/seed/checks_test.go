package seed

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// checkForeignKeys finds, for every foreign key in the schema, rows that
// reference nothing. The catalogue names the keys, so keys added later are
// checked too.
func checkForeignKeys(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	const q = `
SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace
ORDER BY 1, 2`
	ctx := context.Background()
	rows, err := pool.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Table, Col, Ref, RefCol string }])
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 20 {
		t.Fatalf("only %d foreign keys found", len(keys))
	}
	for _, k := range keys {
		id := func(s string) string { return pgx.Identifier{s}.Sanitize() }
		check := fmt.Sprintf(`SELECT count(*) FROM %s c WHERE c.%s IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%s = c.%s)`,
			id(k.Table), id(k.Col), id(k.Ref), id(k.RefCol), id(k.Col))
		var n int64
		if err := pool.QueryRow(ctx, check).Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", k.Table, k.Col, err)
		}
		if n != 0 {
			t.Errorf("%s.%s → %s: %d dangling references", k.Table, k.Col, k.Ref, n)
		}
	}
}

// checkVariety: the data has every kind of thing a demo should show.
func checkVariety(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	checks := []struct{ name, q string }{
		{"interest pipeline deals", `SELECT count(*) FROM deals d JOIN pipelines p ON p.id = d.pipeline_id WHERE p.code = 'interest'`},
		{"foreign currencies", `SELECT count(DISTINCT currency) - 1 FROM deals`},
		{"lead sources", `SELECT count(DISTINCT source) - 5 FROM leads`},
		{"disqualified leads", `SELECT count(*) FROM leads l JOIN stages s ON s.id = l.stage_id WHERE s.code = 'disqualified'`},
		{"converted leads", `SELECT count(*) FROM leads WHERE deal_id IS NOT NULL`},
		{"direct deals", `SELECT count(*) FROM deals WHERE lead_id IS NULL`},
		{"overdue tasks", `SELECT count(*) FROM activities WHERE type = 'task' AND done_at IS NULL AND due_at < '2025-06-30T18:00:00+03:00'`},
		{"planned meetings", `SELECT count(*) FROM activities WHERE type = 'meeting' AND done_at IS NULL`},
		{"observers", `SELECT count(*) FROM deal_observers`},
		{"deal items", `SELECT count(*) FROM deal_items`},
		{"paid payments", `SELECT count(*) FROM payments WHERE status = 'paid'`},
		{"open-ended contracts", `SELECT count(*) FROM contracts WHERE valid_to IS NULL`},
		{"acts", `SELECT count(*) FROM acts`},
		{"unpaid invoices of every age", `SELECT count(DISTINCT CASE WHEN d < 0 THEN 0 WHEN d <= 30 THEN 1 WHEN d <= 60 THEN 2 WHEN d <= 90 THEN 3 ELSE 4 END) - 4
			FROM (SELECT date '2025-06-30' - (i.due_at AT TIME ZONE 'Europe/Moscow')::date AS d FROM invoices i WHERE i.status = 'issued') x`},
		{"paused deals", `SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind = 'paused'`},
		{"moves back", `SELECT count(*) FROM stage_changes c JOIN stages f ON f.id = c.from_stage_id JOIN stages t ON t.id = c.to_stage_id
			WHERE f.kind = 'open' AND t.kind = 'open' AND t.position < f.position`},
		{"skipped stages", `SELECT count(*) FROM stage_changes c JOIN stages f ON f.id = c.from_stage_id JOIN stages t ON t.id = c.to_stage_id
			WHERE f.kind = 'open' AND t.kind = 'open' AND t.position > f.position + 1`},
		{"sole traders", `SELECT count(*) FROM companies WHERE name LIKE 'ИП %' AND length(inn) = 12`},
	}
	for _, c := range checks {
		var n int64
		if err := pool.QueryRow(context.Background(), c.q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n <= 0 {
			t.Errorf("no %s", c.name)
		}
	}
}

// checkExpectedClose: every open or paused deal has an expected close
// date within a month before now and three months after (now is
// testNow, Monday 2025-06-30 in Moscow), some of them overdue and the
// rest spread over the coming months; every won or lost deal has one
// within two weeks of its close in Moscow.
func checkExpectedClose(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	checks := []struct {
		name string
		q    string
		ok   func(n int64) bool
	}{
		{"open deals without a date in the window", `SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id
			WHERE s.kind IN ('open', 'paused') AND (d.expected_close_at IS NULL
			   OR d.expected_close_at NOT BETWEEN date '2025-05-31' AND date '2025-09-29')`, func(n int64) bool { return n == 0 }},
		{"closed deals without a date near their close", `SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id
			WHERE s.kind IN ('won', 'lost') AND (d.expected_close_at IS NULL
			   OR abs(d.expected_close_at - (d.closed_at AT TIME ZONE 'Europe/Moscow')::date) > 14)`, func(n int64) bool { return n == 0 }},
		{"overdue open deals", `SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id
			WHERE s.kind IN ('open', 'paused') AND d.expected_close_at < date '2025-06-30'`, func(n int64) bool { return n > 0 }},
		{"months ahead with open deals to close (July to September)", `SELECT count(DISTINCT date_trunc('month', d.expected_close_at))
			FROM deals d JOIN stages s ON s.id = d.stage_id
			WHERE s.kind IN ('open', 'paused') AND d.expected_close_at > date '2025-06-30'`, func(n int64) bool { return n == 3 }},
		{"open deals overdue, percent (about one in six)", `SELECT round(100.0 * count(*) FILTER (WHERE d.expected_close_at < date '2025-06-30') / count(*))
			FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind IN ('open', 'paused')`, func(n int64) bool { return n >= 8 && n <= 26 }},
		// the forecast history (seedForecasts): the last row of each deal's
		// history is the deal as it is now, every dated deal has one, a
		// third or so were postponed, and a few have a category by hand
		{"deals whose last forecast row is not the deal", `SELECT count(*) FROM deals d
			LEFT JOIN LATERAL (SELECT c.expected_close_at, c.forecast_category FROM deal_forecast_changes c
			                   WHERE c.deal_id = d.id ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) l ON true
			WHERE d.expected_close_at IS NOT NULL AND (l.expected_close_at IS DISTINCT FROM d.expected_close_at
			   OR l.forecast_category IS DISTINCT FROM d.forecast_category)`, func(n int64) bool { return n == 0 }},
		{"postponed deals, percent of dated ones (about a third)", `SELECT round(100.0 * count(DISTINCT c.deal_id) FILTER (WHERE c.expected_close_at < d.expected_close_at)
			/ count(DISTINCT d.id)) FROM deals d JOIN deal_forecast_changes c ON c.deal_id = d.id`, func(n int64) bool { return n >= 20 && n <= 40 }},
		{"history rows before the deal or after its last change", `SELECT count(*) FROM deal_forecast_changes c JOIN deals d ON d.id = c.deal_id
			WHERE c.changed_at < d.created_at OR c.changed_at > d.updated_at`, func(n int64) bool { return n == 0 }},
		{"categories by hand, percent (about one in twelve)", `SELECT round(100.0 * count(*) FILTER (WHERE forecast_category IS NOT NULL) / count(*)) FROM deals`,
			func(n int64) bool { return n >= 5 && n <= 12 }},
		{"categories by hand, distinct", `SELECT count(DISTINCT forecast_category) FROM deals`, func(n int64) bool { return n == 3 }},
	}
	for _, c := range checks {
		var n int64
		if err := pool.QueryRow(context.Background(), c.q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !c.ok(n) {
			t.Errorf("%s: %d", c.name, n)
		}
	}
}
