// The funnel on PostgreSQL: plain SQL over deals and stage_changes.

package bench

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
)

// moscow is the reports' default time zone.
var moscow = func() *time.Location {
	l, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	return l
}()

// pgFunnelSQL is the reached funnel by responsible with window
// functions: each cohort deal's changes in time order (lead() gives a
// stay's end), the furthest step per deal, counts by (responsible,
// furthest step, lost now), and the exact median stay per (responsible,
// stage) and per stage (GROUPING SETS). $1 pipeline code, [$2, $3) the
// creation range, $4 now.
const pgFunnelSQL = `
WITH steps AS (
    SELECT s.id, s.code, s.kind,
           CASE WHEN s.kind IN ('open', 'won') THEN row_number() OVER (PARTITION BY s.kind IN ('open', 'won') ORDER BY s.position, s.id) ELSE 0 END AS step
    FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.code = $1),
rates AS (
    SELECT code, valid_from, rate, coalesce(lead(valid_from) OVER (PARTITION BY code ORDER BY valid_from), 'infinity') AS valid_to
    FROM currency_rates),
cohort AS (
    SELECT d.id, d.responsible_id, d.stage_id, round(d.amount * coalesce(r.rate, 0), 2) AS rub
    FROM deals d
    LEFT JOIN rates r ON r.code = d.currency AND (d.created_at AT TIME ZONE 'Europe/Moscow')::date >= r.valid_from
                     AND (d.created_at AT TIME ZONE 'Europe/Moscow')::date < r.valid_to
    WHERE d.pipeline_id = (SELECT id FROM pipelines WHERE code = $1) AND d.created_at >= $2 AND d.created_at < $3),
visits AS (
    SELECT sc.deal_id, sc.to_stage_id, sc.changed_at,
           lead(sc.changed_at) OVER (PARTITION BY sc.deal_id ORDER BY sc.changed_at, sc.id) AS left_at
    FROM stage_changes sc JOIN cohort c ON c.id = sc.deal_id),
reached AS (
    SELECT c.responsible_id, greatest(cs.step, coalesce(h.hist, 0)) AS r, cs.kind = 'lost' AS lost, c.rub
    FROM cohort c JOIN steps cs ON cs.id = c.stage_id
    LEFT JOIN (SELECT v.deal_id, max(st.step) AS hist FROM visits v JOIN steps st ON st.id = v.to_stage_id GROUP BY v.deal_id) h
           ON h.deal_id = c.id),
counts AS (
    SELECT responsible_id, r, lost, count(*) AS n, sum(rub) AS amount FROM reached GROUP BY responsible_id, r, lost),
hours AS (
    SELECT c.responsible_id, st.code,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM greatest(interval '0', coalesce(v.left_at, $4) - v.changed_at)) / 3600) AS med
    FROM visits v JOIN cohort c ON c.id = v.deal_id JOIN steps st ON st.id = v.to_stage_id
    WHERE st.kind = 'open' OR (st.kind = 'won' AND v.left_at IS NOT NULL)
    GROUP BY GROUPING SETS ((c.responsible_id, st.code), (st.code)))
SELECT k.responsible_id, coalesce(u.name, ''), k.r, k.lost, k.n, k.amount::text, k.code, k.med
FROM (SELECT responsible_id, r, lost, n, amount, NULL AS code, NULL::float8 AS med FROM counts
      UNION ALL
      SELECT responsible_id, NULL, NULL, NULL, NULL, code, med FROM hours) k
LEFT JOIN users u ON u.id = k.responsible_id`

// pgConn is a pool for the PostgreSQL contestants with JIT compilation
// off: on these queries it costs ~1 s of compiling and buys nothing
// (measured), so PostgreSQL runs at its best.
func (f *reportsFixture) pgConn(b *testing.B) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(f.pg.URL)
	if err != nil {
		b.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}

// postgresFunnel runs pgFunnelSQL and adds its rows up into the answer.
func (f *reportsFixture) postgresFunnel(ctx context.Context, pool *pgxpool.Pool, m funnelStages) (figures, error) {
	rows, err := pool.Query(ctx, pgFunnelSQL, "sales", f.from, f.to, reportsBenchNow)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fig, steps := figures{}, m.stepCodes()
	for rows.Next() {
		var resp *int64
		var name string
		var r, n *int64
		var lost *bool
		var amount, code *string
		var med *float64
		if err := rows.Scan(&resp, &name, &r, &lost, &n, &amount, &code, &med); err != nil {
			return nil, err
		}
		group := ""
		if resp != nil {
			group = strconv.FormatInt(*resp, 10) + " " + name
		}
		if code != nil {
			if med != nil && !math.IsNaN(*med) {
				fig.set(group, *code, "median_hours", strconv.FormatFloat(*med, 'f', 2, 64))
			}
			continue
		}
		amt := decimal.RequireFromString(*amount)
		fig.reached(group, steps, int(*r), *lost, *n, amt)
		fig.reached("", steps, int(*r), *lost, *n, amt)
	}
	return fig, rows.Err()
}
