// Package reportstest is a small hand-made CRM for the tests of the
// packages built on reports (xlsx, schedule): three users with e-mail
// addresses, six sales deals in roubles, copied into a fresh ClickHouse
// database, and a report engine with a fixed clock over both.
package reportstest

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// SQL is the fixture (amounts in roubles, Moscow times):
//
//	I-1 ivan 1000.00 new      2025-02-03 10:00
//	I-2 ivan 2500.50 proposal 2025-02-14 12:00
//	I-3 ivan  300.00 won      2025-02-27 23:30
//	P-1 petr 4000.00 decision 2025-02-05 09:00
//	P-2 petr  125.25 refused  2025-02-20 15:00
//	P-3 petr  700.00 new      2025-03-02 11:00
//
// Every deal entered "new" when it was created. olga is the director.
// I-3 closed when it was created; I-2 is expected to close on 2025-03-20, P-1 on 2025-04-10; ivan and
// petr have a won_amount plan of 1 000 ₽ for February.
const SQL = `
INSERT INTO users (email, name, role, password_hash) VALUES
    ('ivan@test.local', 'Иванов Иван', 'manager', '-'),
    ('petr@test.local', 'Петров Пётр', 'manager', '-'),
    ('olga@test.local', 'Орлова Ольга', 'director', '-');
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', u.id, v.created::timestamptz, v.created::timestamptz
FROM (VALUES
    ('I-1', 'new', 1000.00, 'ivan', '2025-02-03 10:00+03'),
    ('I-2', 'proposal', 2500.50, 'ivan', '2025-02-14 12:00+03'),
    ('I-3', 'won', 300.00, 'ivan', '2025-02-27 23:30+03'),
    ('P-1', 'decision', 4000.00, 'petr', '2025-02-05 09:00+03'),
    ('P-2', 'refused', 125.25, 'petr', '2025-02-20 15:00+03'),
    ('P-3', 'new', 700.00, 'petr', '2025-03-02 11:00+03')
) AS v (title, stage, amount, who, created)
JOIN pipelines p ON p.code = 'sales'
JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage
JOIN users u ON u.email = v.who || '@test.local'
ORDER BY v.title;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT d.id, d.pipeline_id, NULL, s.id, d.created_at, d.responsible_id
    FROM deals d JOIN stages s ON s.pipeline_id = d.pipeline_id AND s.code = 'new';
UPDATE deals SET closed_at = created_at WHERE title = 'I-3';
UPDATE deals SET expected_close_at = '2025-03-20' WHERE title = 'I-2';
UPDATE deals SET expected_close_at = '2025-04-10' WHERE title = 'P-1';
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at)
    SELECT 'won_amount', '2025-02-01', NULL, id, 1000, '2025-01-31 12:00+03' FROM users WHERE email LIKE '%@test.local' AND role = 'manager';
`

// Now is the engine's clock: 2025-03-10 12:00 Moscow time.
var Now = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// Fixture is the loaded CRM.
type Fixture struct {
	PG     *testenv.PG
	CH     *testenv.CH
	Engine *engine.Engine
	Saved  *saved.Store
	Users  map[string]domain.Principal // ivan, petr, olga
}

// New loads the fixture into a fresh PostgreSQL and ClickHouse database.
func New(tb testing.TB) *Fixture {
	tb.Helper()
	pg, ch := testenv.NewPG(tb), testenv.NewCH(tb)
	ctx := context.Background()
	if _, err := pg.Pool.Exec(ctx, SQL); err != nil {
		tb.Fatalf("fixture: %v", err)
	}
	testenv.Mirror(tb, pg, ch, testenv.Copy{})
	f := &Fixture{PG: pg, CH: ch, Users: map[string]domain.Principal{},
		Engine: &engine.Engine{CH: ch.DB, Now: func() time.Time { return Now }},
		Saved:  &saved.Store{PG: pg.Pool, Now: func() time.Time { return Now }}}
	rows, err := pg.Pool.Query(ctx, `SELECT id, name, email, role FROM users WHERE email LIKE '%@test.local'`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p domain.Principal
		if err := rows.Scan(&p.UserID, &p.Name, &p.Email, &p.Role); err != nil {
			tb.Fatal(err)
		}
		f.Users[p.Email[:4]] = p
	}
	return f
}

// Def parses a definition written in a test, failing it on an error.
func Def(tb testing.TB, text string) *reports.Definition {
	tb.Helper()
	d, err := reports.ParseDefinition([]byte(text))
	if err != nil {
		tb.Fatalf("definition %s: %v", text, err)
	}
	return d
}
