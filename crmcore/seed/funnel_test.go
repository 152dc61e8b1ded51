package seed

import (
	"context"
	"testing"
)

// TestDropOff: in 'sales', fewer deals reach each later open stage (a
// skipped stage is not reached, so a little slack), a fair part is lost,
// and between 5% and 40% are won.
func TestDropOff(t *testing.T) {
	pg, _ := seeded(t, Options{Deals: 800, Seed: 5, Now: testNow, chunkSize: 400})
	ctx := context.Background()
	const reached = `
SELECT s.code, count(DISTINCT c.deal_id)
FROM stages s
JOIN pipelines p ON p.id = s.pipeline_id AND p.code = 'sales'
LEFT JOIN stage_changes c ON c.to_stage_id = s.id
WHERE s.kind = 'open'
GROUP BY s.code, s.position
ORDER BY s.position`
	rows, err := pg.Pool.Query(ctx, reached)
	if err != nil {
		t.Fatal(err)
	}
	var counts []int64
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			t.Fatal(err)
		}
		t.Logf("reached %-14s %d", code, n)
		if len(counts) > 0 && float64(n) > 1.1*float64(counts[len(counts)-1])+3 {
			t.Errorf("%s reached by %d deals, more than the stage before (%d)", code, n, counts[len(counts)-1])
		}
		counts = append(counts, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(counts) < 3 || counts[len(counts)-1]*10 > counts[0]*7 {
		t.Errorf("no believable drop-off: %v", counts)
	}
	const shares = `
SELECT avg((s.kind = 'won')::int), avg((s.kind = 'lost')::int)
FROM deals d JOIN stages s ON s.id = d.stage_id JOIN pipelines p ON p.id = d.pipeline_id
WHERE p.code = 'sales'`
	var won, lost float64
	if err := pg.Pool.QueryRow(ctx, shares).Scan(&won, &lost); err != nil {
		t.Fatal(err)
	}
	t.Logf("sales: won %.1f%%, lost %.1f%%", 100*won, 100*lost)
	if won < 0.05 || won > 0.40 || lost < 0.2 {
		t.Errorf("won share %.2f, lost share %.2f", won, lost)
	}
}
