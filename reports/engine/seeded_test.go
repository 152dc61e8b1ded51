package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// seeded is 2,000 seeded deals with everything around them, in
// PostgreSQL and copied into ClickHouse.
type seeded struct {
	pg  *testenv.PG
	eng *Engine
}

var seedNow = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

func newSeeded(t *testing.T) *seeded {
	t.Helper()
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	if _, err := seed.Run(context.Background(), pg.Pool, seed.Options{Deals: 2000, Seed: 4, Now: seedNow}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	// Rates that change over the seeded two years, so the rate valid at
	// each deal's creation date matters.
	const rates = `INSERT INTO currency_rates (code, valid_from, rate) VALUES
    ('USD', '2024-01-01', 91.5), ('USD', '2024-07-01', 88.12345678), ('USD', '2025-01-15', 101.005),
    ('EUR', '2024-03-01', 99.99999999), ('CNY', '2024-10-10', 12.345)`
	if _, err := pg.Pool.Exec(context.Background(), rates); err != nil {
		t.Fatal(err)
	}
	mirror(t, pg, ch, 1)
	return &seeded{pg: pg, eng: &Engine{CH: ch.DB, Now: func() time.Time { return seedNow }}}
}

// pgRows runs a plain PostgreSQL query and renders each row as text.
func (s *seeded) pgRows(t *testing.T, q string, args ...any) []string {
	t.Helper()
	rows, err := s.pg.Pool.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSpace(fmt.Sprintln(vals...)))
	}
	return out
}

// resultRows renders a result's rows like pgRows.
func resultRows(res *reports.Result) []string {
	var out []string
	for _, r := range res.Rows {
		b, _ := json.Marshal(r)
		var parts []string
		for _, c := range strings.Split(strings.Trim(string(b), "[]"), ",") {
			parts = append(parts, strings.Trim(c, `"`))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func (s *seeded) run(t *testing.T, p domain.Principal, def string) *reports.Result {
	t.Helper()
	return runJSON(t, s.eng, p, def)
}

// runJSON parses a definition's JSON and runs it on e for p.
func runJSON(t *testing.T, e *Engine, p domain.Principal, def string) *reports.Result {
	t.Helper()
	d, err := reports.ParseDefinition([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Run(context.Background(), p, d)
	if err != nil {
		t.Fatalf("%s: %v", def, err)
	}
	return res
}

// The seeded data, grouped by responsible × Moscow month (count and the
// rouble amount), equals a plain PostgreSQL query exactly, to the kopeck.
func TestSeededMatchesPostgres(t *testing.T) {
	s := newSeeded(t)
	director := domain.Principal{UserID: 2, Role: domain.RoleDirector}
	res := s.run(t, director, `{"dataset":"deals","dimensions":[{"field":"responsible"},{"field":"created_at","grain":"month"}],
		"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],"limit":100000}`)
	const q = `
SELECT d.responsible_id,
       to_char(date_trunc('month', d.created_at AT TIME ZONE 'Europe/Moscow'), 'YYYY-MM-DD'),
       count(*),
       to_char(sum(round(d.amount * r.rate, 2)), 'FM999999999999990.00')
FROM deals d
LEFT JOIN LATERAL (
    SELECT rate FROM currency_rates c
    WHERE c.code = d.currency AND c.valid_from <= (d.created_at AT TIME ZONE 'Europe/Moscow')::date
    ORDER BY c.valid_from DESC LIMIT 1) r ON true
GROUP BY 1, 2 ORDER BY 1, 2`
	want := s.pgRows(t, q)
	got := resultRows(res)
	if cur := s.pgRows(t, "SELECT count(DISTINCT currency) FROM deals"); cur[0] < "3" {
		t.Fatalf("currencies in the seed: %v; the test needs several", cur)
	}
	if len(want) < 100 {
		t.Fatalf("only %d groups in PostgreSQL: the seed is too small for the test", len(want))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ClickHouse report differs from PostgreSQL:\n%s", diffLines(got, want))
	}
}

// diffLines lists the first lines that differ.
func diffLines(got, want []string) string {
	var b strings.Builder
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "line %d: got %q want %q\n", i, g, w)
			if b.Len() > 2000 {
				break
			}
		}
	}
	return b.String()
}
