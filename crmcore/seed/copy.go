package seed

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// writeChunk writes one chunk with COPY in its own transaction, parents
// before children. fast: foreign-key triggers are off for the transaction
// (session_replication_role = replica). With them on, leads go in without
// their deal and are linked after the deals, as the two reference each other.
func writeChunk(ctx context.Context, pool *pgxpool.Pool, c *chunk, fast bool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if fast {
			if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
				return err
			}
		}
		steps := []func() error{
			func() error { return copyRows(ctx, tx, "companies", companyCols, c.companies, fillCompany) },
			func() error { return copyRows(ctx, tx, "contacts", contactCols, c.contacts, fillContact) },
			func() error { return copyRows(ctx, tx, "leads", leadCols, c.leads, leadFiller(fast)) },
			func() error {
				return copyRows(ctx, tx, "lead_status_changes", leadChangeCols, c.leadChanges, fillLeadChange)
			},
			func() error { return copyRows(ctx, tx, "deals", dealCols, c.deals, fillDeal) },
			func() error { return linkLeads(ctx, tx, c, fast) },
			func() error {
				return copyRows(ctx, tx, "stage_changes", stageChangeCols, c.stageChanges, fillStageChange)
			},
			func() error { return copyRows(ctx, tx, "deal_observers", observerCols, c.observers, fillObserver) },
			func() error { return copyRows(ctx, tx, "activities", activityCols, c.activities, fillActivity) },
			func() error { return copyRows(ctx, tx, "deal_items", itemCols, c.items, fillItem) },
			func() error { return copyRows(ctx, tx, "invoices", invoiceCols, c.invoices, fillInvoice) },
			func() error { return copyRows(ctx, tx, "payments", paymentCols, c.payments, fillPayment) },
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return fmt.Errorf("chunk %d: %w", c.index, err)
			}
		}
		return nil
	})
}

// linkLeads sets leads.deal_id of the chunk's converted leads when they
// were copied without it.
func linkLeads(ctx context.Context, tx pgx.Tx, c *chunk, fast bool) error {
	const q = `
UPDATE leads l
SET deal_id = d.id
FROM deals d
WHERE d.id BETWEEN $1 AND $2
  AND d.lead_id = l.id`
	if fast || len(c.deals) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, q, c.deals[0].ID, c.deals[len(c.deals)-1].ID)
	return err
}

// canBypassTriggers reports whether this role may turn foreign-key
// triggers off for a transaction (superuser, or granted the parameter).
func canBypassTriggers(ctx context.Context, pool *pgxpool.Pool) bool {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return false
	}
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, "SET LOCAL session_replication_role = replica")
	return err == nil
}

// rowSource streams a typed slice into COPY, filling one reused []any per
// row instead of materialising [][]any.
type rowSource[T any] struct {
	rows []T
	i    int
	vals []any
	fill func(*T, []any)
}

func (s *rowSource[T]) Next() bool { s.i++; return s.i < len(s.rows) }
func (s *rowSource[T]) Err() error { return nil }

func (s *rowSource[T]) Values() ([]any, error) {
	s.fill(&s.rows[s.i], s.vals)
	return s.vals, nil
}

func copyRows[T any](ctx context.Context, tx pgx.Tx, table string, cols []string, rows []T, fill func(*T, []any)) error {
	if len(rows) == 0 {
		return nil
	}
	src := &rowSource[T]{rows: rows, i: -1, vals: make([]any, len(cols)), fill: fill}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src)
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("copy %s: %d of %d rows", table, n, len(rows))
	}
	return nil
}

// Column values go to pgx as pointers into the chunk's rows, typed to
// implement pgx's Valuer interfaces: encoding a row then allocates nothing
// (boxing int64 or time.Time into any would, for every value).
type (
	i8    int64     // bigint; 0 is NULL (ids start at 1)
	i4    int32     // integer; negative is NULL
	txt   string    // text, never NULL
	otxt  string    // text; "" is NULL
	stamp time.Time // timestamptz; the zero time is NULL
	date  time.Time // date, the day of a midnight UTC; the zero time is NULL
	dec2  int64     // numeric in hundredths
	dec3  int64     // numeric in thousandths
)

func (v *i8) Int64Value() (pgtype.Int8, error) {
	return pgtype.Int8{Int64: int64(*v), Valid: *v != 0}, nil
}

func (v *i4) Int64Value() (pgtype.Int8, error) {
	return pgtype.Int8{Int64: int64(*v), Valid: *v >= 0}, nil
}

func (v *txt) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: string(*v), Valid: true}, nil
}

func (v *otxt) TextValue() (pgtype.Text, error) {
	return pgtype.Text{String: string(*v), Valid: *v != ""}, nil
}

func (v *stamp) TimestamptzValue() (pgtype.Timestamptz, error) {
	t := time.Time(*v)
	return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()}, nil
}

func (v *date) DateValue() (pgtype.Date, error) {
	t := time.Time(*v)
	return pgtype.Date{Time: t, Valid: !t.IsZero()}, nil
}

func (v *dec2) NumericValue() (pgtype.Numeric, error) {
	return pgtype.Numeric{Int: big.NewInt(int64(*v)), Exp: -2, Valid: true}, nil
}

func (v *dec3) NumericValue() (pgtype.Numeric, error) {
	return pgtype.Numeric{Int: big.NewInt(int64(*v)), Exp: -3, Valid: true}, nil
}

// id, ts, dt, tx, otx, hund and thou view a row's field as a column value.
func id(p *int64) any     { return (*i8)(p) }
func ts(p *time.Time) any { return (*stamp)(p) }
func dt(p *time.Time) any { return (*date)(p) }
func tx(p *string) any    { return (*txt)(p) }
func otx(p *string) any   { return (*otxt)(p) }
func hund(p *int64) any   { return (*dec2)(p) }
func thou(p *int64) any   { return (*dec3)(p) }
