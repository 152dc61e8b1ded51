package seed

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// violations: each query counts rows that break a rule of the data,
// computed in SQL independently of the generator.
var violations = []struct{ name, q string }{
	{"every move is an allowed transition of the deal's pipeline", `
SELECT count(*) FROM stage_changes c
JOIN deals d ON d.id = c.deal_id
WHERE c.pipeline_id <> d.pipeline_id
   OR (c.from_stage_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM stage_transitions t
        WHERE t.pipeline_id = d.pipeline_id
          AND t.from_stage_id = c.from_stage_id AND t.to_stage_id = c.to_stage_id))`},
	{"the first row enters the pipeline's first stage at creation", `
SELECT count(*) FROM deals d
WHERE (SELECT count(*) FROM stage_changes c WHERE c.deal_id = d.id AND c.from_stage_id IS NULL) <> 1
   OR NOT EXISTS (
        SELECT 1 FROM stage_changes c
        WHERE c.deal_id = d.id AND c.from_stage_id IS NULL AND c.changed_at = d.created_at
          AND c.id = (SELECT min(id) FROM stage_changes WHERE deal_id = d.id)
          AND c.to_stage_id = (SELECT id FROM stages WHERE pipeline_id = d.pipeline_id AND kind = 'open'
                               ORDER BY position LIMIT 1))`},
	{"each move starts where the previous one ended", `
SELECT count(*) FROM (
  SELECT from_stage_id, lag(to_stage_id) OVER (PARTITION BY deal_id ORDER BY id) AS prev, id,
         min(id) OVER (PARTITION BY deal_id) AS first
  FROM stage_changes) x
WHERE id <> first AND from_stage_id IS DISTINCT FROM prev`},
	{"the deal's stage is its last move's target", `
SELECT count(*) FROM deals d
WHERE d.stage_id <> (SELECT to_stage_id FROM stage_changes WHERE deal_id = d.id ORDER BY changed_at DESC, id DESC LIMIT 1)`},
	{"changed_at never decreases within a deal", `
SELECT count(*) FROM (
  SELECT changed_at < lag(changed_at) OVER (PARTITION BY deal_id ORDER BY id) AS bad FROM stage_changes) x
WHERE bad`},
	{"moves happen in Moscow working hours on weekdays", `
SELECT count(*) FROM stage_changes
WHERE extract(isodow FROM changed_at AT TIME ZONE 'Europe/Moscow') > 5
   OR extract(hour FROM changed_at AT TIME ZONE 'Europe/Moscow') NOT BETWEEN 9 AND 18`},
	{"everything happens in the two years before now", `
SELECT count(*) FROM stage_changes c
WHERE c.changed_at > '2025-06-30T18:00:00+03:00' OR c.changed_at < timestamptz '2025-06-30T18:00:00+03:00' - interval '731 days'`},
	{"closed_at is set exactly for won and lost deals, not before creation", `
SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id
WHERE (d.closed_at IS NOT NULL) <> (s.kind IN ('won', 'lost')) OR d.closed_at < d.created_at`},
	{"lost deals, and only they, have a reason", `
SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id
WHERE (d.lost_reason IS NOT NULL) <> (s.kind = 'lost')`},
	{"a converted lead and its deal point at each other", `
SELECT count(*) FROM leads l JOIN stages s ON s.id = l.stage_id
LEFT JOIN deals d ON d.id = l.deal_id
WHERE (s.code = 'converted') <> (l.deal_id IS NOT NULL)
   OR (l.deal_id IS NOT NULL AND (d.lead_id IS DISTINCT FROM l.id OR l.converted_at <> d.created_at))`},
	{"a deal's lead links back to it", `
SELECT count(*) FROM deals d JOIN leads l ON l.id = d.lead_id WHERE l.deal_id IS DISTINCT FROM d.id`},
	{"disqualified leads have a reason", `
SELECT count(*) FROM leads l JOIN stages s ON s.id = l.stage_id
WHERE s.code = 'disqualified' AND coalesce(l.disqualify_reason, '') = ''`},
	{"lead status moves are allowed transitions", `
SELECT count(*) FROM lead_status_changes c JOIN leads l ON l.id = c.lead_id
WHERE c.from_stage_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM stage_transitions t WHERE t.from_stage_id = c.from_stage_id AND t.to_stage_id = c.to_stage_id)`},
	{"an observer is not the responsible", `
SELECT count(*) FROM deal_observers o JOIN deals d ON d.id = o.deal_id WHERE o.user_id = d.responsible_id`},
	{"companies and contacts exist before their deals", `
SELECT count(*) FROM deals d
LEFT JOIN companies co ON co.id = d.company_id LEFT JOIN contacts k ON k.id = d.contact_id
WHERE co.created_at > d.created_at OR k.created_at > d.created_at`},
	{"invoices belong to won deals and are issued after closing", `
SELECT count(*) FROM invoices i JOIN deals d ON d.id = i.deal_id JOIN stages s ON s.id = d.stage_id
WHERE s.kind <> 'won' OR i.issued_at < d.closed_at OR i.number !~ '^СЧ-20[0-9]{2}-[0-9]{6,}$'`},
	{"a paid invoice is paid in full", `
SELECT count(*) FROM invoices i
WHERE i.status = 'paid' AND i.amount <> (SELECT sum(amount) FROM payments WHERE invoice_id = i.id AND status = 'paid')`},
	{"an order's acts stay within its amount, and are signed by now", `
SELECT count(*) FROM orders o
WHERE o.amount < (SELECT coalesce(sum(a.amount), 0) FROM acts a WHERE a.order_id = o.id)
   OR EXISTS (SELECT 1 FROM acts a WHERE a.order_id = o.id AND a.signed_at > date '2025-06-30')`},
	{"an order is under a contract of its deal's company, in the deal's currency", `
SELECT count(*) FROM orders o JOIN deals d ON d.id = o.deal_id LEFT JOIN contracts c ON c.id = o.contract_id
WHERE (o.contract_id IS NOT NULL AND c.company_id IS DISTINCT FROM d.company_id) OR o.currency <> d.currency
   OR (d.company_id IS NOT NULL AND o.contract_id IS NULL)`},
	{"an invoice names an order of its deal in its currency", `
SELECT count(*) FROM invoices i LEFT JOIN orders o ON o.id = i.order_id
WHERE o.id IS NULL OR o.deal_id <> i.deal_id OR o.currency <> i.currency`},
	{"activities happen within the deal's life and the past", `
SELECT count(*) FROM activities a JOIN deals d ON d.id = a.deal_id
WHERE a.created_at < d.created_at OR a.created_at > '2025-06-30T18:00:00+03:00'
   OR a.done_at > '2025-06-30T18:00:00+03:00'
   OR (a.type = 'call' AND (a.direction IS NULL OR a.duration_s IS NULL))
   OR (a.type = 'task' AND a.due_at IS NULL)`},
	{"INN of legal entities have a valid check digit", `
SELECT count(*) FROM companies c,
  LATERAL (SELECT sum(substr(c.inn, i, 1)::int * (ARRAY[2,4,10,3,5,9,4,6,8])[i]) AS s
           FROM generate_series(1, 9) i) x
WHERE length(c.inn) = 10 AND substr(c.inn, 10, 1)::int <> x.s % 11 % 10`},
}

// TestIntegrity seeds a few chunks and checks every rule above, plus the
// foreign keys (which the fast load does not have checked by triggers).
func TestIntegrity(t *testing.T) {
	pg, _ := seeded(t, Options{Deals: 600, Seed: 11, Now: testNow, chunkSize: 250})
	checkRules(t, pg.Pool)
	checkForeignKeys(t, pg.Pool)
	checkVariety(t, pg.Pool)
	checkExpectedClose(t, pg.Pool)
}

func checkRules(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	for _, v := range violations {
		var n int64
		if err := pool.QueryRow(context.Background(), v.q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if n != 0 {
			t.Errorf("%s: %d violations", v.name, n)
		}
	}
}
