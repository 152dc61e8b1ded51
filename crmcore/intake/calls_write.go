package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/pgerr"
)

// callLookupSettings makes each number's lookup an index lookup, with
// statistics or without (a freshly loaded base has none, and a plan
// that computes every contact's key per number then never ends), and
// keeps those short statements from being compiled (JIT, which the
// index-only costs would otherwise trigger at ~150 ms each).
func callLookupSettings(ctx context.Context, tx pgx.Tx) error {
	if err := lookupSettings(ctx, tx); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `SET LOCAL jit = off`)
	return err
}

// write records the calls: ids from the activities' sequence, then one
// COPY into activities and one into call_imports.
func (w callWrites) write(ctx context.Context, tx pgx.Tx, rep *crmcore.ImportReport, now time.Time) error {
	if len(w) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence('activities', 'id')) FROM generate_series(1, $1::int)`, len(w))
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("allocate activity ids: %w", err)
	}
	activityCols := []string{"id", "type", "subject", "owner_id", "deal_id", "lead_id", "direction", "duration_s",
		"done_at", "created_at", "updated_at"}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"activities"}, activityCols, pgx.CopyFromSlice(len(w), func(i int) ([]any, error) {
		c := w[i]
		dir := "in"
		if c.out {
			dir = "out"
		}
		return []any{ids[i], crmcore.ActivityCall, c.subject, c.owner, c.link.dealID, c.link.leadID, dir, c.durationS,
			c.at, now, now}, nil
	}))
	if err != nil {
		return fmt.Errorf("copy call activities: %w", err)
	}
	keyCols := []string{"source_key", "activity_id", "contact_id", "phone", "imported_at"}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"call_imports"}, keyCols, pgx.CopyFromSlice(len(w), func(i int) ([]any, error) {
		return []any{w[i].key, ids[i], w[i].link.contactID, w[i].phone, now}, nil
	}))
	if err != nil { // 23505: the same calls imported at the same moment by another run: 409
		return pgerr.Translate(err, "imported call")
	}
	for i, c := range w {
		rep.Rows[c.row].ID = ids[i]
	}
	return nil
}
