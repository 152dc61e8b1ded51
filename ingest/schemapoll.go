package ingest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/olap"
)

// pollSchema compares every mirrored table's current PostgreSQL columns
// with its ClickHouse columns (every SchemaInterval, in the writer, so
// between batches): a column added in PostgreSQL is added to ClickHouse
// at once — old rows reading its default — and a dropped one is dropped,
// and a type changed the way the Relation message would change it
// (widened in place, or the table put in trouble for a rebuild), without
// waiting for a change of the table to bring a Relation message. Rows
// still in the stream with the old columns are written as they are: a
// column dropped since is left out, a narrower value widened.
// Tables with excluded columns (users) are published with a column
// list, so their new columns only arrive after a restart: they are left
// alone here.
func (w *writer) pollSchema(ctx context.Context) error {
	pg, err := w.catalog.currentColumns(ctx)
	if err != nil {
		return err
	}
	ch, err := w.ch.AllColumns(ctx)
	if err != nil {
		return err
	}
	changed := false
	defer func() {
		if changed {
			w.forgetPlans()
		}
	}()
	for _, m := range olap.Mirrors() {
		if len(m.Excluded) > 0 || w.troubles.has(m.Table) || len(pg[m.Table]) == 0 || len(ch[m.Table]) == 0 {
			continue
		}
		c, err := w.alignPolled(ctx, m.Table, pg[m.Table], ch[m.Table])
		changed = changed || c
		if err != nil {
			return err
		}
	}
	return nil
}

// alignPolled adds and drops one table's columns.
func (w *writer) alignPolled(ctx context.Context, table string, pg []pgColumn, ch map[string]string) (bool, error) {
	changed := false
	inPG := map[string]bool{}
	m, _ := olap.MirrorOf(table)
	for _, pc := range pg {
		inPG[pc.Name] = true
		have := ch[pc.Name]
		want, err := olap.CHType(pc.Type, pc.Nullable)
		if err != nil {
			return changed, w.quarantine(ctx, table, fmt.Sprintf("column %s: %v", pc.Name, err))
		}
		if have != "" && olap.Holds(have, want) {
			continue
		}
		if have != "" && containsString(m.OrderBy, pc.Name) {
			return changed, w.quarantine(ctx, table, fmt.Sprintf("sorting key column %s changed type from %s to %s: ClickHouse cannot alter it", pc.Name, have, want))
		}
		changed = true
		_, trouble, err := w.reconcileColumn(ctx, table, pc, have, want)
		if err != nil {
			return changed, err
		}
		if trouble != "" {
			return changed, w.quarantine(ctx, table, trouble)
		}
	}
	for name := range ch {
		if inPG[name] || name == olap.VersionColumn || name == olap.DeletedColumn {
			continue
		}
		changed = true
		if err := w.ch.DropColumn(ctx, table, name); err != nil {
			return changed, err
		}
		w.log.Info("ingest: dropped column", "table", table, "column", name)
	}
	return changed, nil
}

// currentColumns lists every mirrored table's columns as they are now.
func (c *catalog) currentColumns(ctx context.Context) (map[string][]pgColumn, error) {
	const q = `
SELECT c.relname,
       a.attname,
       a.atttypid,
       format_type(a.atttypid, a.atttypmod),
       NOT a.attnotnull,
       CASE WHEN a.atthasmissing THEN (a.attmissingval::text::text[])[1] END,
       a.atthasdef
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public'
  AND c.relname = ANY($1)
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`
	var names []string
	for _, m := range olap.Mirrors() {
		names = append(names, m.Table)
	}
	conn, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]pgColumn{}
	rows, _ := conn.Query(ctx, q, names)
	var table string
	pc := pgColumn{Exists: true}
	_, err = pgx.ForEachRow(rows, []any{&table, &pc.Name, &pc.TypeOID, &pc.Type, &pc.Nullable, &pc.Missing, &pc.HasDefault}, func() error {
		out[table] = append(out[table], pc)
		pc.Missing = nil
		return nil
	})
	if err != nil {
		c.close()
		return nil, fmt.Errorf("columns of the mirrored tables in postgresql: %w", err)
	}
	return out, nil
}
