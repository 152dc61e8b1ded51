package seed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// seedForecasts gives the run's deals (ids above after) their forecast
// history and a few of them a forecast category set by hand, the way
// people keep them: about one deal in twelve has a category of its own;
// every deal with an expected close date has a history row at its
// creation, and about a third were first expected earlier (7 to 41 days,
// not before the creation day) and postponed half-way between their
// creation and their last change. Drawn from the deal's id, so two runs
// over the same deals agree and every other value of the demo stays.
func seedForecasts(ctx context.Context, pool *pgxpool.Pool, after int64) error {
	const categories = `
UPDATE deals SET forecast_category = (ARRAY['commit', 'best_case', 'pipeline'])[1 + (id * 7919 / 100) % 3]
WHERE id > $1 AND (id * 7919) % 100 < 8`
	const history = `
WITH d AS (
    SELECT id, created_at, updated_at, responsible_id, expected_close_at AS final, forecast_category AS cat,
           (id * 104729) % 100 AS h,
           (created_at AT TIME ZONE 'Europe/Moscow')::date AS born
    FROM deals
    WHERE id > $1 AND (expected_close_at IS NOT NULL OR forecast_category IS NOT NULL))
INSERT INTO deal_forecast_changes (deal_id, changed_at, changed_by, expected_close_at, forecast_category)
SELECT id, at, responsible_id, expected, cat
FROM (
    SELECT id, created_at AS at, responsible_id, 0 AS k, cat,
           CASE WHEN h < 35 AND final IS NOT NULL THEN greatest(final - (7 + h)::int, born) ELSE final END AS expected
    FROM d
    UNION ALL
    SELECT id, created_at + (updated_at - created_at) / 2, responsible_id, 1, cat, final
    FROM d
    WHERE h < 35 AND final IS NOT NULL AND greatest(final - (7 + h)::int, born) <> final) AS rows
ORDER BY id, k`
	for _, q := range []string{categories, history} {
		if _, err := pool.Exec(ctx, q, after); err != nil {
			return fmt.Errorf("seed: forecasts: %w", err)
		}
	}
	return nil
}
