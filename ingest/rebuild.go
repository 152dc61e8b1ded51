package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// Rebuilding one table from a snapshot while the stream runs on:
//
//  1. the mirror's columns are made PostgreSQL's current ones (a column
//     of a type ClickHouse cannot convert is dropped and added again);
//  2. a temporary slot exports a snapshot at its consistent point CP:
//     the stream skips the table's changes up to CP (the snapshot holds
//     them) and applies those after it from now on;
//  3. the table is copied from the snapshot with _version = CP, rows
//     still in ClickHouse that the snapshot lacks are marked deleted at
//     CP, derived tables are recomputed and the table's watermark moves;
//  4. the mark in ingest_rebuilds is cleared — unless the table got into
//     trouble again meanwhile, in which case it is rebuilt once more.

// errAgain: the table got into trouble again during its rebuild.
var errAgain = errors.New("the table changed again during its rebuild")

// rebuilder rebuilds the tables in trouble, one at a time, until ctx
// ends; a failed rebuild is retried with backoff.
func (s *Streamer) rebuilder(ctx context.Context) {
	bo := backoff{Min: s.cfg.RetryMin, Max: s.cfg.RetryMax}
	for attempt := 0; ; {
		failed := false
		for _, tt := range s.troubles.list() {
			err := s.rebuild(ctx, tt)
			if ctx.Err() != nil {
				return
			}
			if err != nil && !errors.Is(err, errAgain) {
				failed = true
				s.troubles.failed(tt.Table, err)
				s.log.Warn("ingest: rebuild failed; retrying", "table", tt.Table, "err", err)
			}
		}
		var wait <-chan time.Time // nil: until woken
		switch {
		case failed:
			wait, attempt = time.After(bo.delay(attempt)), attempt+1
		case len(s.troubles.list()) > 0: // in trouble again meanwhile: at once
			attempt = 0
			continue
		default:
			attempt = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-s.troubles.wake:
		case <-wait:
		}
	}
}

func (s *Streamer) rebuild(ctx context.Context, tt TableTrouble) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	if !s.troubles.has(tt.Table) { // a full reload came first
		return nil
	}
	s.troubles.begin(tt.Table)
	s.log.Info("ingest: rebuilding table from a snapshot", "table", tt.Table, "reason", tt.Reason)
	w := s.newWriter(true, &health{})
	defer w.close()
	if err := s.alignColumns(ctx, w, tt.Table); err != nil {
		return fmt.Errorf("align columns: %w", err)
	}
	point, err := s.copyFromSnapshot(ctx, w, tt.Table)
	if err != nil {
		return err
	}
	if err := w.bounded(ctx, func(ctx context.Context) error { return s.finishRebuild(ctx, tt.Table, point) }); err != nil {
		return err
	}
	finished, err := s.troubles.finish(tt.Table, func() error {
		return w.bounded(ctx, func(ctx context.Context) error { return markRebuild(ctx, s.ch, s.cfg.Slot, tt, false) })
	})
	if err != nil {
		return err
	}
	if !finished {
		return errAgain
	}
	s.log.Info("ingest: table rebuilt", "table", tt.Table, "snapshot", point)
	return nil
}

// alignColumns reconciles the mirror with the table's current columns
// (a loading writer replaces what it cannot convert) and drops the
// columns PostgreSQL no longer has.
func (s *Streamer) alignColumns(ctx context.Context, w *writer, name string) error {
	conn, err := connectPG(ctx, s.cfg.PGURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	tables, err := publishedTables(ctx, conn)
	if err != nil {
		return err
	}
	for _, pt := range tables {
		if pt.Name != name {
			continue
		}
		res := conn.PgConn().ExecParams(ctx, selectAll(name, pt.Columns)+" LIMIT 0", nil, nil, nil, nil)
		fds := res.FieldDescriptions()
		if _, err := res.Close(); err != nil {
			return err
		}
		t, err := snapshotTable(name, fds)
		if err != nil {
			return err
		}
		return w.bounded(ctx, func(ctx context.Context) error {
			p, err := w.plan(ctx, t)
			if err != nil {
				return err
			}
			if p.trouble != "" {
				return errors.New(p.trouble)
			}
			return dropAbsent(ctx, s.ch, t)
		})
	}
	return fmt.Errorf("%s is not published", name)
}

// dropAbsent drops the ClickHouse columns t's relation lacks.
func dropAbsent(ctx context.Context, ch *olap.DB, t *table) error {
	cols, err := ch.Columns(ctx, t.name())
	if err != nil {
		return err
	}
	for _, c := range cols {
		if c.Name == olap.VersionColumn || c.Name == olap.DeletedColumn || t.column(c.Name) >= 0 || t.mirror.IsExcluded(c.Name) {
			continue
		}
		if err := ch.DropColumn(ctx, t.name(), c.Name); err != nil {
			return err
		}
	}
	return nil
}

// copyFromSnapshot takes a snapshot with a temporary slot, lets the
// stream apply the table's changes after it, and copies the table.
func (s *Streamer) copyFromSnapshot(ctx context.Context, w *writer, name string) (logrepl.LSN, error) {
	repl, err := dialRepl(ctx, s.cfg.PGURL)
	if err != nil {
		return 0, err
	}
	defer repl.Close()
	snap, err := repl.createTempSlot(ctx, rebuildSlot(s.cfg.Slot))
	if err != nil {
		return 0, err
	}
	conn, err := importSnapshot(ctx, s.cfg.PGURL, snap)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.Background())
	repl.Close() // the snapshot is imported: the temporary slot may go
	if !s.troubles.snapshotTaken(name, snap.ConsistentPoint) {
		return 0, errAgain
	}
	tables, err := publishedTables(ctx, conn)
	if err != nil {
		return 0, err
	}
	for _, t := range tables {
		if t.Name == name {
			return snap.ConsistentPoint, s.copyTable(ctx, conn, w, name, t.Columns, snap.ConsistentPoint)
		}
	}
	return 0, fmt.Errorf("%s is not published", name)
}

// finishRebuild marks deleted what the snapshot lacks, recomputes the
// derived tables and moves the watermarks (answers cached during the
// rebuild are not kept).
func (s *Streamer) finishRebuild(ctx context.Context, name string, point logrepl.LSN) error {
	if err := markDeleted(ctx, s.ch, name, point, point); err != nil {
		return fmt.Errorf("mark rows the snapshot lacks deleted: %w", err)
	}
	if err := s.ch.RebuildDerivedOf(ctx, []string{name}); err != nil {
		return err
	}
	tables := []string{name}
	for _, d := range olap.DerivedFrom(name) {
		tables = append(tables, d.Table)
	}
	return s.ch.WriteTableWatermarks(ctx, tables, uint64(point)+1)
}

// rebuildSlot names the temporary slot of a rebuild.
func rebuildSlot(slot string) string {
	if len(slot) > 54 {
		slot = slot[:54]
	}
	return slot + "_rebuild"
}

// importSnapshot opens a REPEATABLE READ transaction on an exported
// snapshot.
func importSnapshot(ctx context.Context, url string, snap createdSlot) (*pgx.Conn, error) {
	conn, err := connectPG(ctx, url)
	if err != nil {
		return nil, err
	}
	for _, q := range []string{"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		"SET TRANSACTION SNAPSHOT " + quoteLiteral(snap.Snapshot)} {
		if _, err := conn.Exec(ctx, q); err != nil {
			conn.Close(context.Background())
			return nil, fmt.Errorf("import snapshot %s: %w", snap.Snapshot, err)
		}
	}
	return conn, nil
}
