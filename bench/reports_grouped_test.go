// The grouped report and the pivot: Voronka over HTTP, hand-written
// ClickHouse SQL, the same on PostgreSQL.

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/reports"
)

// groupedDefinition: deals created in the year by responsible × month
// of creation (Moscow): count, amount and weighted amount in roubles.
const groupedDefinition = `{"dataset":"deals",
 "dimensions":[{"field":"responsible_name"},{"field":"created_at","grain":"month"}],
 "measures":[{"agg":"count"},{"field":"amount","agg":"sum"},{"field":"weighted_amount","agg":"sum"}],
 "period":{"from":"2024-07-01","to":"2025-06-30"},"limit":1000}`

// pivotDefinition: the same deals, responsible rows × stage group
// columns (current stage), count and amount in roubles, with row,
// column and grand totals.
const pivotDefinition = `{"dataset":"deals",
 "dimensions":[{"field":"responsible_name"},{"field":"stage_group"}],
 "measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],
 "pivot":{"columns":["stage_group"]},
 "period":{"from":"2024-07-01","to":"2025-06-30"},"limit":1000}`

// benchGrouped races the grouped report.
func (f *reportsFixture) benchGrouped(b *testing.B) {
	ctx, s, pool := context.Background(), loadAllStages(b, f), f.pgConn(b)
	f.race(b, "grouped", func() (figures, error) { return f.voronkaReport(groupedDefinition, 2) },
		func() (figures, error) { return f.clickhouseGrouped(ctx, s, chDealsOptions{}) },
		func() (figures, error) { return f.postgresGrouped(ctx, pool) })
}

// benchPivot races the pivot.
func (f *reportsFixture) benchPivot(b *testing.B) {
	ctx, s, pool := context.Background(), loadAllStages(b, f), f.pgConn(b)
	f.race(b, "pivot", func() (figures, error) { return f.voronkaReport(pivotDefinition, 1) },
		func() (figures, error) { return f.clickhousePivot(ctx, s, chDealsOptions{}) },
		func() (figures, error) { return f.postgresPivot(ctx, pool) })
}

// race checks once (untimed) that Voronka, the hand-written ClickHouse
// SQL and PostgreSQL give the same answer, then times them in rounds:
// VORONKA_BENCH_RUNS rounds (default 7), PostgreSQL in the first
// VORONKA_BENCH_PG_RUNS (default 3).
func (f *reportsFixture) race(b *testing.B, what string, voronka, clickhouse, postgres func() (figures, error)) {
	answers := make([]figures, 3)
	for i, run := range []func() (figures, error){voronka, clickhouse, postgres} {
		var err error
		if answers[i], err = run(); err != nil {
			b.Fatal(err)
		}
	}
	agree(b, what, answers[0], answers[1], answers[2])
	runs, pgRuns := envInt("VORONKA_BENCH_RUNS", 7), envInt("VORONKA_BENCH_PG_RUNS", 3)
	p50 := compete(b,
		contestant{"clickhouse_sql", runs, func() error { _, err := clickhouse(); return err }},
		contestant{"voronka_http", runs, func() error { _, err := voronka(); return err }},
		contestant{"postgres_sql", pgRuns, func() error { _, err := postgres(); return err }},
	)
	b.ReportMetric(float64(p50["postgres_sql"])/float64(p50["voronka_http"]), "postgres_sql/voronka_http")
}

// voronkaReport runs a definition through POST /api/v1/reports/run and
// reads its answer: a row per row (its first dims cells joined by "|"),
// a cell per other column, and the totals as row "TOTAL"; money to the
// kopeck, null cells left out.
func (f *reportsFixture) voronkaReport(def string, dims int) (figures, error) {
	var res struct {
		Columns []reports.Column `json:"columns"`
		Rows    [][]any          `json:"rows"`
		Totals  []any            `json:"totals"`
	}
	if err := f.post("/api/v1/reports/run", []byte(def), &res); err != nil {
		return nil, err
	}
	fig := figures{}
	put := func(row string, cells []any) {
		for i := dims; i < len(cells) && i < len(res.Columns); i++ {
			if cells[i] != nil {
				fig.set("", row, res.Columns[i].Key, cellText(res.Columns[i].Type, cells[i]))
			}
		}
	}
	for _, r := range res.Rows {
		keys := make([]string, dims)
		for i := range keys {
			keys[i] = fmt.Sprint(r[i])
		}
		put(strings.Join(keys, "|"), r)
	}
	put("TOTAL", res.Totals)
	return fig, nil
}

// cellText is a JSON cell as comparable text.
func cellText(typ string, v any) string {
	if n, ok := v.(json.Number); ok && typ == "money" {
		return decimal.RequireFromString(n.String()).StringFixed(2)
	}
	return fmt.Sprint(v)
}

// money is an exact amount as comparable text.
func money(d decimal.Decimal) string { return d.StringFixed(2) }
