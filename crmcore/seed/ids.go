package seed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The tables whose identity ids the seed gives explicitly, as indexes
// into per-table arrays (no maps: generation must not depend on their order).
const (
	tCompanies = iota
	tContacts
	tLeads
	tLeadChanges
	tDeals
	tStageChanges
	tActivities
	tItems
	tInvoices
	tPayments
	nTables
)

var idTables = [nTables]string{
	"companies", "contacts", "leads", "lead_status_changes", "deals",
	"stage_changes", "activities", "deal_items", "invoices", "payments",
}

// ids holds one number per id table: a base, a bound or a counter.
type ids [nTables]int64

// lockTables is the statement that stops other writers of the id tables
// (EXCLUSIVE still lets readers read) until the transaction ends.
func lockTables() string {
	q := "LOCK TABLE "
	for i, t := range idTables {
		if i > 0 {
			q += ", "
		}
		q += pgx.Identifier{t}.Sanitize()
	}
	return q + " IN EXCLUSIVE MODE"
}

// reserveIDs allocates bound[t] ids after the current max id of each
// table. Under the EXCLUSIVE lock no insert is in flight, so every id above
// max(id) is free; the identity sequence is moved past the reserved range
// so that inserts by others while the seed runs get ids above it.
func reserveIDs(ctx context.Context, pool *pgxpool.Pool, bound ids) (base ids, err error) {
	const advance = `
SELECT setval(s, greatest($2::bigint, coalesce(pg_sequence_last_value(s), 1)))
FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS s) x`
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockTables()); err != nil {
			return err
		}
		for t, name := range idTables {
			q := "SELECT coalesce(max(id), 0) FROM " + pgx.Identifier{name}.Sanitize()
			if err := tx.QueryRow(ctx, q).Scan(&base[t]); err != nil {
				return fmt.Errorf("max id of %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, advance, name, base[t]+bound[t]); err != nil {
				return fmt.Errorf("reserve ids of %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return base, fmt.Errorf("seed: reserve ids: %w", err)
	}
	return base, nil
}

// finishIDs sets each identity sequence to its table's max id, so the
// unused part of the reservation is given back and the next plain INSERT
// gets max(id)+1. It takes the same lock, so no insert is in flight.
func finishIDs(ctx context.Context, pool *pgxpool.Pool) error {
	const set = `
SELECT CASE WHEN m.v > 0 THEN setval(s, m.v) ELSE setval(s, 1, false) END
FROM (SELECT pg_get_serial_sequence($1, 'id')::regclass AS s) x, (SELECT $2::bigint AS v) m`
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockTables()); err != nil {
			return err
		}
		for _, name := range idTables {
			var max int64
			q := "SELECT coalesce(max(id), 0) FROM " + pgx.Identifier{name}.Sanitize()
			if err := tx.QueryRow(ctx, q).Scan(&max); err != nil {
				return fmt.Errorf("max id of %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, set, name, max); err != nil {
				return fmt.Errorf("set sequence of %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed: set sequences: %w", err)
	}
	return nil
}
