package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// fillFromPG reads, for updates ClickHouse could not complete, the
// missing columns' current values from PostgreSQL (as text, decoded like
// the stream). Current rather than previous: any later change of the row
// is still coming and will overwrite it. A row PostgreSQL no longer has
// is about to be deleted by the stream, so its update is dropped.
func (c *catalog) fillFromPG(ctx context.Context, t *table, rows []*row) error {
	for _, r := range rows {
		if r.deleted || len(r.missing) == 0 {
			continue
		}
		if err := c.fillRow(ctx, t, r); err != nil {
			return err
		}
	}
	return nil
}

func (c *catalog) fillRow(ctx context.Context, t *table, r *row) error {
	sel := make([]string, len(r.missing))
	for i, m := range r.missing {
		sel[i] = quoteIdent(t.rel.Columns[m].Name) + "::text"
	}
	where := make([]string, len(t.keys))
	args := make([]any, len(t.keys))
	for i, k := range t.keys {
		where[i] = fmt.Sprintf("%s = $%d", quoteIdent(t.rel.Columns[k].Name), i+1)
		args[i] = r.values[k]
	}
	q := fmt.Sprintf("SELECT %s FROM public.%s WHERE %s", strings.Join(sel, ", "),
		quoteIdent(t.name()), strings.Join(where, " AND "))
	conn, err := c.get(ctx)
	if err != nil {
		return err
	}
	texts := make([]*string, len(sel))
	dest := make([]any, len(sel))
	for i := range texts {
		dest[i] = &texts[i]
	}
	if err := conn.QueryRow(ctx, q, args...).Scan(dest...); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			r.skip = true // gone: its delete follows in the stream
			return nil
		}
		c.close()
		return fmt.Errorf("look up %s row in postgres: %w", t.name(), err)
	}
	for i, m := range r.missing {
		if texts[i] == nil {
			r.values[m] = nil
			continue
		}
		v, err := decodeText(t.rel.Columns[m].TypeOID, []byte(*texts[i]))
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t.name(), t.rel.Columns[m].Name, err)
		}
		r.values[m] = v
	}
	r.missing = nil
	return nil
}
