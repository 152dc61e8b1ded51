package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// fixtureSQL is a hand-built CRM: managers Анна and Борис, a director,
// seven sales deals in RUB, USD and EUR. Rates: USD 90 until
// 2024-02-29, 100.005 from 2024-03-01 (Moscow dates); EUR 98. Amounts
// in roubles, worked out by hand (half up to the kopeck):
//
//	A-1 Анна  1000.00 RUB  2024-01-15 10:00 MSK  new      (0)   → 1000.00, weighted 0.00
//	A-2 Анна   100.00 USD  2024-01-31 23:30 MSK  decision (60)  → 9000.00, weighted 5400.00
//	A-3 Анна     1.00 USD  2024-03-01 00:30 MSK  won      (100) → 100.01 (100.005), weighted 100.01
//	B-1 Борис 2500.50 RUB  2024-02-10 12:00 MSK  proposal (40)  → 2500.50, weighted 1000.20
//	B-2 Борис    0.33 USD  2024-02-29 23:59 MSK  refused  (0)   → 29.70, weighted 0.00
//	B-3 Борис  333.33 EUR  2024-03-05 09:00 MSK  presentation (40) → 32666.34, weighted 13066.54
//	A-4 Анна    10.55 USD  2024-03-20 15:00 MSK  needs    (20)  → 1055.05 (1055.05275), weighted 211.01
//
// A-3 falls on 2024-02-29 21:30 UTC: February in UTC, March in Moscow.
// Борис observes A-2. Stage history: every deal enters "new" when
// created; A-2 then moved to first_contact (2024-02-01 10:00 MSK) and
// decision (2024-02-05 10:00 MSK).
const fixtureSQL = `
INSERT INTO users (email, name, role, password_hash) VALUES
    ('anna@x.ru', 'Анна', 'manager', '-'), ('boris@x.ru', 'Борис', 'manager', '-'), ('dir@x.ru', 'Директор', 'director', '-');
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-03-01', 100.005);
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, v.cur, u.id, v.created::timestamptz, v.created::timestamptz
FROM (VALUES
    ('A-1', 'new', 1000.00, 'RUB', 'anna@x.ru', '2024-01-15 10:00+03'),
    ('A-2', 'decision', 100.00, 'USD', 'anna@x.ru', '2024-01-31 23:30+03'),
    ('A-3', 'won', 1.00, 'USD', 'anna@x.ru', '2024-03-01 00:30+03'),
    ('B-1', 'proposal', 2500.50, 'RUB', 'boris@x.ru', '2024-02-10 12:00+03'),
    ('B-2', 'refused', 0.33, 'USD', 'boris@x.ru', '2024-02-29 23:59+03'),
    ('B-3', 'presentation', 333.33, 'EUR', 'boris@x.ru', '2024-03-05 09:00+03'),
    ('A-4', 'needs', 10.55, 'USD', 'anna@x.ru', '2024-03-20 15:00+03')
) AS v (title, stage, amount, cur, email, created)
JOIN pipelines p ON p.code = 'sales'
JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage
JOIN users u ON u.email = v.email
ORDER BY v.title;
INSERT INTO deal_observers (deal_id, user_id)
    SELECT d.id, u.id FROM deals d, users u WHERE d.title = 'A-2' AND u.email = 'boris@x.ru';
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT d.id, d.pipeline_id, NULL, s.id, d.created_at, d.responsible_id
    FROM deals d JOIN stages s ON s.pipeline_id = d.pipeline_id AND s.code = 'new';
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT d.id, d.pipeline_id, f.id, t.id, v.at::timestamptz, d.responsible_id
    FROM (VALUES ('new', 'first_contact', '2024-02-01 10:00+03'), ('first_contact', 'decision', '2024-02-05 10:00+03'))
        AS v (f, t, at)
    JOIN deals d ON d.title = 'A-2'
    JOIN stages f ON f.pipeline_id = d.pipeline_id AND f.code = v.f
    JOIN stages t ON t.pipeline_id = d.pipeline_id AND t.code = v.t;
`

// fixture is the hand-built CRM in PostgreSQL and its copy in ClickHouse.
type fixture struct {
	pg    *testenv.PG
	ch    *testenv.CH
	eng   *Engine
	users map[string]domain.Principal // anna, boris, dir
}

var fixtureNow = time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	ctx := context.Background()
	if _, err := pg.Pool.Exec(ctx, fixtureSQL); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	mirror(t, pg, ch, 1)
	f := &fixture{pg: pg, ch: ch, users: map[string]domain.Principal{},
		eng: &Engine{CH: ch.DB, Now: func() time.Time { return fixtureNow }}}
	roles := map[string]domain.Role{"anna": domain.RoleManager, "boris": domain.RoleManager, "dir": domain.RoleDirector}
	for alias, role := range roles {
		var id int64
		if err := pg.Pool.QueryRow(ctx, "SELECT id FROM users WHERE email = $1", alias+"@x.ru").Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.users[alias] = domain.Principal{UserID: id, Role: role}
	}
	return f
}

// run runs a definition (JSON) as alias and fails the test on an error.
func (f *fixture) run(t *testing.T, alias, def string) *reports.Result {
	t.Helper()
	d, err := reports.ParseDefinition([]byte(def))
	if err != nil {
		t.Fatalf("parse %s: %v", def, err)
	}
	res, err := f.eng.Run(context.Background(), f.users[alias], d)
	if err != nil {
		t.Fatalf("run %s: %v", def, err)
	}
	return res
}

// cells renders a result's rows (and totals) as JSON text for comparison.
func cells(res *reports.Result) string {
	b, _ := json.Marshal(res.Rows)
	if res.Totals != nil {
		t, _ := json.Marshal(res.Totals)
		return fmt.Sprintf("%s totals %s", b, t)
	}
	return string(b)
}

func fmtS(format string, args ...any) string { return fmt.Sprintf(format, args...) }
