// The grouped report and the pivot on PostgreSQL.

package bench

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
)

// pgDealsRub are the deals created in [$1, $2) with their responsible's
// name, current stage and rouble amount (rate of the currency valid on
// the Moscow creation date, rounded to the kopeck per deal).
const pgDealsRub = `
WITH rates AS (
    SELECT code, valid_from, rate, coalesce(lead(valid_from) OVER (PARTITION BY code ORDER BY valid_from), 'infinity') AS valid_to
    FROM currency_rates),
d AS (
    SELECT u.name, d.created_at, s.probability, s.stage_group, round(d.amount * coalesce(r.rate, 0), 2) AS rub
    FROM deals d
    JOIN users u ON u.id = d.responsible_id
    JOIN stages s ON s.id = d.stage_id
    LEFT JOIN rates r ON r.code = d.currency AND (d.created_at AT TIME ZONE 'Europe/Moscow')::date >= r.valid_from
                     AND (d.created_at AT TIME ZONE 'Europe/Moscow')::date < r.valid_to
    WHERE d.created_at >= $1 AND d.created_at < $2)`

// pgGroupedSQL: by responsible × Moscow month, and the grand total.
const pgGroupedSQL = pgDealsRub + `
SELECT coalesce(name || '|' || (date_trunc('month', created_at AT TIME ZONE 'Europe/Moscow'))::date::text, 'TOTAL'),
       count(*)::text, sum(rub)::text, sum(round(rub * probability / 100, 2))::text
FROM d
GROUP BY GROUPING SETS ((name, (date_trunc('month', created_at AT TIME ZONE 'Europe/Moscow'))::date), ())`

// pgPivotSQL: the cells by responsible × stage group.
const pgPivotSQL = pgDealsRub + `
SELECT name, stage_group, count(*), sum(rub)::text FROM d GROUP BY name, stage_group`

func (f *reportsFixture) postgresGrouped(ctx context.Context, pool *pgxpool.Pool) (figures, error) {
	rows, err := pool.Query(ctx, pgGroupedSQL, f.from, f.to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fig := figures{}
	for rows.Next() {
		var row, n, amount, weighted string
		if err := rows.Scan(&row, &n, &amount, &weighted); err != nil {
			return nil, err
		}
		fig.set("", row, "count", n)
		fig.set("", row, "amount_sum", amount)
		fig.set("", row, "weighted_amount_sum", weighted)
	}
	return fig, rows.Err()
}

func (f *reportsFixture) postgresPivot(ctx context.Context, pool *pgxpool.Pool) (figures, error) {
	rows, err := pool.Query(ctx, pgPivotSQL, f.from, f.to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := pivotSums{}
	for rows.Next() {
		var name, grp, amount string
		var n int64
		if err := rows.Scan(&name, &grp, &n, &amount); err != nil {
			return nil, err
		}
		p.add(name, grp, n, decimal.RequireFromString(amount))
	}
	return p.figures(), rows.Err()
}
