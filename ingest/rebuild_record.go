package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/voronka/voronka/olap"
)

// The record of tables waiting for a rebuild, in ClickHouse beside the
// data (ingest_rebuilds): written before the stream confirms a position
// past a parked change, read at every session's start, cleared when the
// rebuild is done or a full reload replaced every table.

func ensureRebuildTable(ctx context.Context, ch *olap.DB) error {
	q := `CREATE TABLE IF NOT EXISTS ` + ch.Table(rebuildTable) + ` (
    slot       String,
    table_name String,
    reason     String,
    since      DateTime,
    pending    UInt8,
    _version   UInt64
) ENGINE = ReplacingMergeTree(_version) ORDER BY (slot, table_name)`
	if err := ch.DDL(ctx, olap.SQL(q)); err != nil {
		return fmt.Errorf("create clickhouse %s: %w", rebuildTable, err)
	}
	return nil
}

// markRebuild records (pending) or clears the need to rebuild a table.
func markRebuild(ctx context.Context, ch *olap.DB, slot string, t TableTrouble, pending bool) error {
	cols := []string{"slot", "table_name", "reason", "since", "pending", "_version"}
	row := []any{slot, t.Table, t.Reason, t.Since.UTC(), boolByte(pending), uint64(time.Now().UnixNano())}
	if err := ch.Insert(ctx, rebuildTable, cols, [][]any{row}); err != nil {
		return fmt.Errorf("record rebuild of %s: %w", t.Table, err)
	}
	return nil
}

// pendingRebuilds lists the tables of slot still marked for a rebuild.
func pendingRebuilds(ctx context.Context, ch *olap.DB, slot string) ([]TableTrouble, error) {
	q := `SELECT
    table_name,
    reason,
    since
FROM ` + ch.Table(rebuildTable) + ` FINAL
WHERE slot = ? AND pending = 1
ORDER BY table_name`
	var out []TableTrouble
	err := ch.Each(ctx, "pending rebuilds", olap.SQL(q, slot), func(scan func(...any) error) error {
		var t TableTrouble
		if err := scan(&t.Table, &t.Reason, &t.Since); err != nil {
			return err
		}
		t.Since = t.Since.UTC()
		out = append(out, t)
		return nil
	})
	return out, err
}

// adoptNewTables marks for a rebuild every published table the copy has
// no watermark of: a table mirrored since the stream's initial load (a
// version that adds one to the mirror, as olap migration 8 added the
// holidays). Its rows are copied from a snapshot like a rebuilt table's;
// without this only its changes from now on would reach ClickHouse.
func (s *Streamer) adoptNewTables(ctx context.Context, tables []publishedTable) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.InsertTimeout)
	defer cancel()
	wm, err := s.ch.Watermarks(ctx)
	if err != nil {
		return fmt.Errorf("read watermarks: %w", err)
	}
	for _, t := range tables {
		if _, loaded := wm.Tables[t.Name]; loaded {
			continue
		}
		tt := TableTrouble{Table: t.Name, Reason: "newly mirrored: its rows are copied from a snapshot", Since: time.Now().UTC()}
		if err := markRebuild(ctx, s.ch, s.cfg.Slot, tt, true); err != nil {
			return err
		}
		s.log.Info("ingest: table newly mirrored; copying it", "table", t.Name)
	}
	return nil
}

// loadTroubles puts the tables still marked for a rebuild (by an earlier
// process or session) in trouble before the stream starts.
func (s *Streamer) loadTroubles(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.InsertTimeout)
	defer cancel()
	pending, err := pendingRebuilds(ctx, s.ch, s.cfg.Slot)
	if err != nil {
		return fmt.Errorf("read pending rebuilds: %w", err)
	}
	for _, t := range pending {
		if !s.troubles.has(t.Table) {
			s.troubles.add(t.Table, t.Reason, t.Since)
		}
	}
	return nil
}

// clearRebuilds forgets every table's trouble after a full reload.
func (s *Streamer) clearRebuilds(ctx context.Context) error {
	pending, err := pendingRebuilds(ctx, s.ch, s.cfg.Slot)
	if err != nil {
		return err
	}
	for _, t := range pending {
		if err := markRebuild(ctx, s.ch, s.cfg.Slot, t, false); err != nil {
			return err
		}
	}
	s.troubles.clear()
	return nil
}
