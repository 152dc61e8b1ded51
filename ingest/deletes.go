package ingest

import (
	"context"
	"fmt"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// truncate marks every current row of the table deleted, with a version
// just below the truncating transaction's own rows.
func (w *writer) truncate(ctx context.Context, tr truncation) error {
	if err := markDeleted(ctx, w.ch, tr.Table, tr.Version, 0); err != nil {
		return fmt.Errorf("truncate %s in clickhouse: %w", tr.Table, err)
	}
	return nil
}

// markDeleted inserts a delete marker at version for every current row
// of table (with a version below `below`, when it is not zero).
// INSERT … SELECT … FINAL works on ClickHouse 18.16 and current releases.
func markDeleted(ctx context.Context, ch *olap.DB, tbl string, version, below logrepl.LSN) error {
	cols, err := ch.Columns(ctx, tbl)
	if err != nil {
		return err
	}
	table, err := ch.Checked(tbl)
	if err != nil {
		return err
	}
	var list string // "a, b, ": every column but the version and the delete flag
	for _, c := range cols {
		if c.Name == olap.VersionColumn || c.Name == olap.DeletedColumn {
			continue
		}
		list += c.Name + ", "
	}
	where, slots := "", olap.Slots{"version": uint64(version)}
	if below != 0 {
		where, slots["below"] = " AND "+olap.VersionColumn+" < {below}", uint64(below)
	}
	q, err := olap.Build("INSERT INTO "+table+" ("+list+olap.VersionColumn+", "+olap.DeletedColumn+")"+
		" SELECT "+list+"{version}, 1 FROM "+table+" FINAL WHERE "+olap.DeletedColumn+" = 0"+where, slots)
	if err != nil {
		return err
	}
	return ch.Exec(ctx, q)
}
