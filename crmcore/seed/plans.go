package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// seedPlans sets each active manager's plans for the two months before
// now's (Moscow), now's and the next: a little above what they did in
// the six months before each (their history, so every run over the same
// deals sets the same plans), rounded as a finance department would —
// won roubles to 10 000 (at least 100 000), counts of won deals, new
// deals and meetings to whole numbers, calls to tens. Plans already set
// stay (a later run over more deals does not replace them).
func seedPlans(ctx context.Context, pool *pgxpool.Pool, now time.Time) error {
	const q = `
WITH months AS (
    SELECT (date_trunc('month', $1::timestamptz AT TIME ZONE 'Europe/Moscow') + make_interval(months => k))::date AS month
    FROM generate_series(-2, 1) AS k),
span AS (
    SELECT month, (month - interval '6 months') AT TIME ZONE 'Europe/Moscow' AS since, month AT TIME ZONE 'Europe/Moscow' AS until
    FROM months),
managers AS (SELECT id FROM users WHERE role = 'manager' AND active),
figures AS (
    SELECT s.month, m.id,
        (SELECT coalesce(sum(d.amount), 0) FROM deals d JOIN stages st ON st.id = d.stage_id
         WHERE d.responsible_id = m.id AND st.kind = 'won' AND d.closed_at >= s.since AND d.closed_at < s.until) / 6 AS won_amount,
        (SELECT count(*) FROM deals d JOIN stages st ON st.id = d.stage_id
         WHERE d.responsible_id = m.id AND st.kind = 'won' AND d.closed_at >= s.since AND d.closed_at < s.until) / 6.0 AS won_count,
        (SELECT count(*) FROM deals d WHERE d.responsible_id = m.id AND d.created_at >= s.since AND d.created_at < s.until) / 6.0 AS new_deals,
        (SELECT count(*) FROM activities a WHERE a.owner_id = m.id AND a.type = 'call' AND a.done_at >= s.since AND a.done_at < s.until) / 6.0 AS calls,
        (SELECT count(*) FROM activities a WHERE a.owner_id = m.id AND a.type = 'meeting' AND a.done_at >= s.since AND a.done_at < s.until) / 6.0 AS meetings
    FROM span s CROSS JOIN managers m)
INSERT INTO plans (metric, month, pipeline_id, responsible_id, value, updated_at)
SELECT v.metric, f.month, NULL, f.id, v.value, $1::timestamptz
FROM figures f
CROSS JOIN LATERAL (VALUES
    ('won_amount', greatest(100000, round(f.won_amount * 1.15, -4))),
    ('won_count',  greatest(1, round(f.won_count * 1.15))),
    ('new_deals',  greatest(1, round(f.new_deals * 1.1))),
    ('calls',      greatest(10, round(f.calls * 1.1, -1))),
    ('meetings',   greatest(1, round(f.meetings * 1.1)))) AS v (metric, value)
ON CONFLICT DO NOTHING`
	if _, err := pool.Exec(ctx, q, now); err != nil {
		return fmt.Errorf("seed: plans: %w", err)
	}
	return nil
}
