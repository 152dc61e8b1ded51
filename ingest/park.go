package ingest

import (
	"context"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// The stream writer's side of a table in trouble (trouble.go): its
// changes are parked — skipped up to the rebuild's snapshot — and the
// table is recorded before a batch skipping them is acknowledged.

// parked reports whether a change of table at version v waits for the
// table's rebuild.
func (w *writer) parked(table string, v logrepl.LSN) bool {
	return w.troubles != nil && w.troubles.skip(table, v)
}

func (w *writer) unparked(t *table, rows []*row) []*row {
	if w.troubles == nil || !w.troubles.has(t.name()) {
		return rows
	}
	var out []*row
	for _, r := range rows {
		if !w.troubles.skip(t.name(), r.version) {
			out = append(out, r)
		}
	}
	return out
}

// quarantine puts a table in trouble, recorded in ClickHouse before the
// batch is acknowledged, so that changes skipped from now on are rebuilt
// even after a restart.
func (w *writer) quarantine(ctx context.Context, table, reason string) error {
	tt := TableTrouble{Table: table, Reason: reason, Since: time.Now()}
	w.troubles.add(table, reason, tt.Since) // before the record: see troubles.finish
	if err := markRebuild(ctx, w.ch, w.slot, tt, true); err != nil {
		return err
	}
	w.log.Warn("ingest: table in trouble; its changes wait for a rebuild", "table", table, "reason", reason)
	return nil
}
