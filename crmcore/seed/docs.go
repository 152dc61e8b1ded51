package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The documents of the run's deals (issue 19, as in Citeck ECOS), made
// from what the chunks wrote, in SQL, with no random draw: a contract
// with each company whose deals of the run were billed (Д-<company>,
// signed three days before its first such deal closed; open-ended for a
// third, else for a year), an order of each billed deal for its amount
// under that contract, with the deal's products (З-<deal>), the deal's
// invoices naming it, and an act for each issued or paid invoice, of its
// amount, signed on a Moscow day of the week after it was issued (never
// after now). An order's invoices add up to the deal's amount, so its
// acts stay within it. Documents already there stay.
func seedDocs(ctx context.Context, pool *pgxpool.Pool, baseDeal int64, now time.Time, st *Stats) error {
	steps := []struct {
		what string
		q    string
		n    *int64
	}{
		{"contracts", `
INSERT INTO contracts (company_id, number, signed_at, valid_to, created_at, updated_at)
SELECT c.company_id, 'Д-' || c.company_id, c.signed,
       CASE WHEN c.company_id % 3 = 0 THEN NULL ELSE c.signed + 365 END, c.at, c.at
FROM (SELECT d.company_id, min(d.closed_at) - interval '3 days' AS at,
             ((min(d.closed_at) - interval '3 days') AT TIME ZONE 'Europe/Moscow')::date AS signed
      FROM deals d
      WHERE d.id > $1 AND d.company_id IS NOT NULL AND d.closed_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM invoices i WHERE i.deal_id = d.id)
      GROUP BY d.company_id) c
ORDER BY c.company_id
ON CONFLICT (company_id, number) DO NOTHING`, &st.Contracts},
		{"orders", `
WITH billed AS (SELECT DISTINCT deal_id FROM invoices WHERE deal_id > $1),
items AS (
    SELECT di.deal_id, jsonb_agg(jsonb_build_object('product_id', di.product_id, 'name', p.name, 'quantity', di.quantity,
               'price', di.price, 'discount', di.discount) ORDER BY di.id) AS items
    FROM deal_items di JOIN billed b ON b.deal_id = di.deal_id JOIN products p ON p.id = di.product_id
    GROUP BY di.deal_id),
firsts AS (SELECT company_id, min(id) AS id FROM contracts GROUP BY company_id)
INSERT INTO orders (deal_id, contract_id, number, amount, currency, items, created_at, updated_at)
SELECT d.id, f.id, 'З-' || d.id, d.amount, d.currency, coalesce(it.items, '[]'), d.closed_at, d.closed_at
FROM billed b JOIN deals d ON d.id = b.deal_id
LEFT JOIN firsts f ON f.company_id = d.company_id
LEFT JOIN items it ON it.deal_id = d.id
WHERE d.amount > 0 AND d.closed_at IS NOT NULL
ORDER BY d.id
ON CONFLICT (deal_id, number) DO NOTHING`, &st.Orders},
		{"invoices of orders", `
UPDATE invoices i SET order_id = o.id
FROM orders o
WHERE o.deal_id = i.deal_id AND i.deal_id > $1 AND i.order_id IS NULL`, nil},
		{"acts", `
INSERT INTO acts (order_id, number, amount, signed_at, created_at, updated_at)
SELECT i.order_id, 'А-' || i.id, i.amount, a.signed, a.at, a.at
FROM invoices i
CROSS JOIN LATERAL (SELECT least(i.issued_at + (i.id % 7) * interval '1 day', $2::timestamptz) AS at) t
CROSS JOIN LATERAL (SELECT t.at, (t.at AT TIME ZONE 'Europe/Moscow')::date AS signed) a
WHERE i.deal_id > $1 AND i.order_id IS NOT NULL AND i.amount > 0 AND i.status IN ('issued', 'paid')
ORDER BY i.id
ON CONFLICT (order_id, number) DO NOTHING`, &st.Acts},
	}
	for _, s := range steps {
		args := []any{baseDeal}
		if s.n == &st.Acts {
			args = append(args, now)
		}
		tag, err := pool.Exec(ctx, s.q, args...)
		if err != nil {
			return fmt.Errorf("seed: %s: %w", s.what, err)
		}
		if s.n != nil {
			*s.n = tag.RowsAffected()
		}
	}
	return nil
}
