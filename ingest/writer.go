package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/voronka/voronka/olap"
)

// writer puts batches into ClickHouse. Every step is idempotent (rows
// carry their version; ReplacingMergeTree keeps the highest), so a failed
// batch is simply written again from the start until ClickHouse accepts
// it. Only then is its end LSN acknowledged.
type writer struct {
	ch      *olap.DB
	catalog *catalog // PostgreSQL type names for columns ClickHouse lacks
	cols    map[string]map[string]bool
	log     *slog.Logger
	health  *health
	backoff backoff
}

func newWriter(ch *olap.DB, pgURL string, log *slog.Logger, h *health, bo backoff) *writer {
	return &writer{ch: ch, catalog: &catalog{url: pgURL}, cols: map[string]map[string]bool{},
		log: log, health: h, backoff: bo}
}

func (w *writer) close() { w.catalog.close() }

// write stores a batch, retrying with backoff until it succeeds or ctx
// ends. Health turns bad on the first failure and good on success.
func (w *writer) write(ctx context.Context, b *batch) error {
	return w.retry(ctx, "write batch to clickhouse", func() error { return w.writeOnce(ctx, b) })
}

func (w *writer) writeOnce(ctx context.Context, b *batch) error {
	for _, tr := range b.truncates {
		if err := w.truncate(ctx, tr); err != nil {
			return err
		}
	}
	groups, order := groupByTable(b.live())
	for _, t := range order {
		if err := w.writeRows(ctx, t, groups[t]); err != nil {
			return err
		}
	}
	if err := w.refreshDerived(ctx, b.truncates, groups, order); err != nil {
		return err
	}
	return w.recordBatch(ctx, b, order)
}

// writeRows stores rows of one relation version: missing values looked
// up, absent columns added, upserts and delete markers inserted.
func (w *writer) writeRows(ctx context.Context, t *table, rows []*row) error {
	if err := w.ensureColumns(ctx, t); err != nil {
		return err
	}
	if err := w.fill(ctx, t, rows); err != nil {
		return err
	}
	var ups, dels [][]any
	for _, r := range rows {
		switch {
		case r.skip:
		case !r.deleted:
			ups = append(ups, append(r.values[:len(r.values):len(r.values)], uint64(r.version), uint8(0)))
		case len(r.missing) == 0: // a delete whose sorting key is known
			dels = append(dels, deleteValues(t, r))
		}
	}
	if len(ups) > 0 {
		if err := w.ch.Insert(ctx, t.name(), upsertColumns(t), ups); err != nil {
			return err
		}
	}
	if len(dels) > 0 {
		return w.ch.Insert(ctx, t.name(), deleteColumns(t), dels)
	}
	return nil
}

func upsertColumns(t *table) []string {
	cols := make([]string, 0, len(t.rel.Columns)+2)
	for _, c := range t.rel.Columns {
		cols = append(cols, c.Name)
	}
	return append(cols, olap.VersionColumn, olap.DeletedColumn)
}

// deleteColumns are the mirror's sorting key, which is what a
// ReplacingMergeTree delete marker must match; other columns take their
// ClickHouse defaults.
func deleteColumns(t *table) []string {
	return append(append([]string{}, t.mirror.OrderBy...), olap.VersionColumn, olap.DeletedColumn)
}

func deleteValues(t *table, r *row) []any {
	vals := make([]any, 0, len(t.mirror.OrderBy)+2)
	for _, name := range t.mirror.OrderBy {
		vals = append(vals, r.values[t.column(name)])
	}
	return append(vals, uint64(r.version), uint8(1))
}

func groupByTable(rows []*row) (map[*table][]*row, []*table) {
	groups := map[*table][]*row{}
	var order []*table
	for _, r := range rows {
		if _, ok := groups[r.t]; !ok {
			order = append(order, r.t)
		}
		groups[r.t] = append(groups[r.t], r)
	}
	return groups, order
}

// truncate marks every current row of the table deleted, with a version
// just below the truncating transaction's own rows. INSERT … SELECT …
// FINAL works on ClickHouse 18.16 and current releases alike.
func (w *writer) truncate(ctx context.Context, tr truncation) error {
	cols, err := w.columns(ctx, tr.Table, false)
	if err != nil {
		return err
	}
	table, err := w.ch.Checked(tr.Table)
	if err != nil {
		return err
	}
	var list string // "a, b, ": every column but the version and the delete flag
	for name := range cols {
		if name == olap.VersionColumn || name == olap.DeletedColumn {
			continue
		}
		list += name + ", "
	}
	q, err := olap.Build("INSERT INTO "+table+" ("+list+olap.VersionColumn+", "+olap.DeletedColumn+")"+
		" SELECT "+list+"{version}, 1 FROM "+table+" FINAL WHERE "+olap.DeletedColumn+" = 0",
		olap.Slots{"version": uint64(tr.Version)})
	if err != nil {
		return err
	}
	if err := w.ch.Exec(ctx, q); err != nil {
		return fmt.Errorf("truncate %s in clickhouse: %w", tr.Table, err)
	}
	return nil
}

// retry runs op until it succeeds, sleeping with exponential backoff and
// reporting the failure as the stream's health meanwhile.
func (w *writer) retry(ctx context.Context, what string, op func() error) error {
	for attempt := 0; ; attempt++ {
		err := op()
		if err == nil {
			w.health.set(nil)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		w.health.set(fmt.Errorf("%s: %w", what, err))
		wait := w.backoff.delay(attempt)
		w.log.Warn("ingest: retrying", "what", what, "attempt", attempt+1, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}
