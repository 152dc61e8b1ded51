package seed

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/internal/testenv"
)

// TestRunTwiceAppends: a second run reuses the users and products, adds a
// batch after the first one, and leaves every identity sequence at its
// table's max id, so that plain inserts go on working.
func TestRunTwiceAppends(t *testing.T) {
	pg := testenv.NewPG(t)
	ctx := context.Background()
	first, err := Run(ctx, pg.Pool, Options{Deals: 150, Seed: 1, Now: testNow, chunkSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	second, err := Run(ctx, pg.Pool, Options{Deals: 120, Seed: 2, Now: testNow.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if second.Users != 0 || second.Products != 0 || second.Deals != 120 {
		t.Errorf("second run: %+v", second)
	}
	var deals, users int64
	if err := pg.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM deals), (SELECT count(*) FROM users)`).Scan(&deals, &users); err != nil {
		t.Fatal(err)
	}
	if deals != first.Deals+second.Deals || users != first.Users {
		t.Errorf("after two runs: %d deals, %d users", deals, users)
	}
	for _, table := range idTables {
		q := `SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')), 0),
			(SELECT max(id) FROM ` + pgx.Identifier{table}.Sanitize() + `)`
		var last, max int64
		if err := pg.Pool.QueryRow(ctx, q, table).Scan(&last, &max); err != nil {
			t.Fatal(err)
		}
		if last != max {
			t.Errorf("%s: sequence at %d, max id %d", table, last, max)
		}
	}
	checkRules(t, pg.Pool)
	assertPlainInsert(t, pg)
}

func assertPlainInsert(t *testing.T, pg *testenv.PG) {
	t.Helper()
	const q = `
INSERT INTO deals (title, pipeline_id, stage_id, currency, responsible_id)
SELECT 'После сида', p.id, s.id, 'RUB', (SELECT min(id) FROM users)
FROM pipelines p JOIN stages s ON s.pipeline_id = p.id
WHERE p.code = 'sales' AND s.code = 'new'
RETURNING id, (SELECT max(id) FROM deals)`
	var id, before int64
	if err := pg.Pool.QueryRow(context.Background(), q).Scan(&id, &before); err != nil {
		t.Fatalf("plain insert after seeding: %v", err)
	}
	if id != before+1 {
		t.Errorf("plain insert got id %d, max before was %d", id, before)
	}
}
