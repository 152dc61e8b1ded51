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
// it. Only then is its end LSN acknowledged. Each attempt has
// InsertTimeout to finish. A stream writer parks the changes of tables in
// trouble (trouble.go); a loading writer (initial load, rebuild) writes
// every row of the tables it copies and so may replace columns.
type writer struct {
	ch       *olap.DB
	catalog  *catalog // PostgreSQL's view of the relations' columns
	plans    map[*table]*plan
	log      *slog.Logger
	health   *health
	backoff  backoff
	timeout  time.Duration
	loading  bool
	troubles *troubles // nil while loading
	gen      int       // troubles.generation of the cached plans
	slot     string
}

func (w *writer) close() { w.catalog.close() }

// write stores a batch, retrying with backoff until it succeeds or ctx
// ends. Health turns bad on the first failure and good on success.
func (w *writer) write(ctx context.Context, b *batch) error {
	return w.retry(ctx, "write batch to clickhouse", func() error {
		return w.bounded(ctx, func(ctx context.Context) error { return w.writeOnce(ctx, b) })
	})
}

// bounded runs op with InsertTimeout: a ClickHouse that accepts the
// connection but never answers fails the attempt instead of holding it.
func (w *writer) bounded(ctx context.Context, op func(context.Context) error) error {
	octx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	err := op(octx)
	if err != nil && ctx.Err() == nil && octx.Err() != nil {
		return fmt.Errorf("clickhouse did not answer within %s (insert timeout): %w", w.timeout, err)
	}
	return err
}

func (w *writer) writeOnce(ctx context.Context, b *batch) error {
	if w.troubles != nil {
		if g := w.troubles.generation(); g != w.gen {
			w.forgetPlans()
			w.gen = g
		}
	}
	for _, tr := range b.truncates {
		if w.parked(tr.Table, tr.Version) {
			continue
		}
		if err := w.truncate(ctx, tr); err != nil {
			return err
		}
	}
	groups, order := groupByTable(b.live())
	written := order[:0:0]
	for _, t := range order {
		rows := w.unparked(t, groups[t])
		if len(rows) == 0 {
			continue
		}
		if err := w.writeRows(ctx, t, rows); err != nil {
			return err
		}
		if !w.parked(t.name(), b.endLSN) {
			groups[t], written = rows, append(written, t)
		}
	}
	if err := w.refreshDerived(ctx, b.truncates, groups, written); err != nil {
		return err
	}
	return w.recordBatch(ctx, b, written)
}

// writeRows stores rows of one relation version: the mirror reconciled
// with the relation, missing values looked up, upserts and delete markers
// inserted. A relation the mirror cannot take puts the table in trouble.
func (w *writer) writeRows(ctx context.Context, t *table, rows []*row) error {
	p, err := w.plan(ctx, t)
	if err != nil {
		return err
	}
	if p.trouble != "" {
		if w.troubles == nil {
			return fmt.Errorf("%s: %s", t.name(), p.trouble)
		}
		return w.quarantine(ctx, t.name(), p.trouble)
	}
	if err := w.fill(ctx, t, rows); err != nil {
		return err
	}
	var ups, dels [][]any
	for _, r := range rows {
		switch {
		case r.skip:
		case !r.deleted:
			ups = append(ups, upsertValues(p, r))
		case len(r.missing) == 0: // a delete whose sorting key is known
			dels = append(dels, deleteValues(t, p, r))
		}
	}
	if len(ups) > 0 {
		if err := w.ch.Insert(ctx, t.name(), upsertColumns(t, p), ups); err != nil {
			w.forgetPlans() // the mirror may have changed behind the plan
			return err
		}
	}
	if len(dels) > 0 {
		return w.ch.Insert(ctx, t.name(), deleteColumns(t), dels)
	}
	return nil
}

func upsertValues(p *plan, r *row) []any {
	vals := make([]any, 0, len(p.cols)+2)
	for _, i := range p.cols {
		v := r.values[i]
		if base, ok := p.wider[i]; ok {
			v = widen(v, base)
		}
		vals = append(vals, v)
	}
	return append(vals, uint64(r.version), uint8(0))
}

func upsertColumns(t *table, p *plan) []string {
	cols := make([]string, 0, len(p.cols)+2)
	for _, i := range p.cols {
		cols = append(cols, t.rel.Columns[i].Name)
	}
	return append(cols, olap.VersionColumn, olap.DeletedColumn)
}

// deleteColumns are the mirror's sorting key, which is what a
// ReplacingMergeTree delete marker must match; other columns take their
// ClickHouse defaults.
func deleteColumns(t *table) []string {
	return append(append([]string{}, t.mirror.OrderBy...), olap.VersionColumn, olap.DeletedColumn)
}

func deleteValues(t *table, p *plan, r *row) []any {
	vals := make([]any, 0, len(t.mirror.OrderBy)+2)
	for _, name := range t.mirror.OrderBy {
		i := t.column(name)
		v := r.values[i]
		if base, ok := p.wider[i]; ok {
			v = widen(v, base)
		}
		vals = append(vals, v)
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
