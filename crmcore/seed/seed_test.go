package seed

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/internal/testenv"
)

// testNow is the clock of every test: a Monday evening in Moscow.
var testNow = time.Date(2025, 6, 30, 18, 0, 0, 0, msk)

// seeded runs the seed on a fresh database and fails the test on error.
func seeded(t *testing.T, o Options) (*testenv.PG, Stats) {
	t.Helper()
	pg := testenv.NewPG(t)
	st, err := Run(context.Background(), pg.Pool, o)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return pg, st
}

// digestQueries fingerprint every table the seed writes. Users leave out
// the password hash: bcrypt salts it at random.
var digestQueries = map[string]string{
	"users":          `SELECT md5(string_agg((id, email, name, role, active, created_at, updated_at)::text, ',' ORDER BY id)) FROM users`,
	"deal_observers": `SELECT md5(string_agg(t::text, ',' ORDER BY deal_id, user_id)) FROM deal_observers t`,
}

var digestTables = []string{"users", "products", "companies", "contacts", "leads", "lead_status_changes",
	"deals", "stage_changes", "deal_observers", "activities", "deal_items", "invoices", "payments",
	"contracts", "orders", "acts"}

func digests(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range digestTables {
		q, ok := digestQueries[table]
		if !ok {
			q = "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM " + pgx.Identifier{table}.Sanitize() + " t"
		}
		var d *string
		if err := pool.QueryRow(context.Background(), q).Scan(&d); err != nil {
			t.Fatalf("digest of %s: %v", table, err)
		}
		if d == nil {
			t.Fatalf("digest of %s: table is empty", table)
		}
		out[table] = *d
	}
	return out
}

// TestDeterministic seeds the same options three ways: two writers with
// foreign-key triggers off, one writer with them on (which also proves
// every row satisfies the real constraints), and another seed.
func TestDeterministic(t *testing.T) {
	o := Options{Deals: 300, Seed: 7, Now: testNow, chunkSize: 120}
	a, _ := seeded(t, o)
	checked := o
	checked.FKTriggers, checked.Writers = true, 1
	b, st := seeded(t, checked)
	if st.FastLoad {
		t.Fatal("FKTriggers: the load bypassed the triggers")
	}
	other := o
	other.Seed = 8
	c, _ := seeded(t, other)
	da, db, dc := digests(t, a.Pool), digests(t, b.Pool), digests(t, c.Pool)
	for _, table := range digestTables {
		if da[table] != db[table] {
			t.Errorf("%s: same options, different rows", table)
		}
	}
	for _, table := range []string{"deals", "stage_changes", "activities", "leads", "companies"} {
		if da[table] == dc[table] {
			t.Errorf("%s: another seed gave the same rows", table)
		}
	}
}

// TestStatsMatchTables: what Run reports is what the tables hold.
func TestStatsMatchTables(t *testing.T) {
	pg, st := seeded(t, Options{Deals: 250, Seed: 3, Now: testNow, chunkSize: 100})
	for _, tc := range st.Tables() {
		var n int64
		q := "SELECT count(*) FROM " + pgx.Identifier{tc.Table}.Sanitize()
		if err := pg.Pool.QueryRow(context.Background(), q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != tc.Rows {
			t.Errorf("%s: stats say %d rows, table has %d", tc.Table, tc.Rows, n)
		}
	}
	if st.Deals != 250 || st.Users != int64(3+Managers) || st.Products != int64(len(catalogue)) {
		t.Errorf("stats: %+v", st)
	}
	if st.Leads != st.Deals || st.Companies != 50 || st.Contacts < 80 || st.Activities < 3*st.Deals {
		t.Errorf("proportions: %+v", st)
	}
}
