package ingest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// columns returns the ClickHouse columns of a table, cached; refresh
// reads them again (after a relation gained a column).
func (w *writer) columns(ctx context.Context, tbl string, refresh bool) (map[string]bool, error) {
	if c, ok := w.cols[tbl]; ok && !refresh {
		return c, nil
	}
	cols, err := w.ch.Columns(ctx, tbl)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		name, err := w.ch.Checked(tbl)
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("clickhouse table %s does not exist (run voronka migrate)", name)
	}
	set := make(map[string]bool, len(cols))
	for _, c := range cols {
		set[c.Name] = true
	}
	w.cols[tbl] = set
	return set, nil
}

// ensureColumns adds to the ClickHouse table every published column it
// lacks (a PostgreSQL migration added one while we stream), typed the way
// the olap migrations type columns. Rows already in ClickHouse get the
// new column's ClickHouse default, not PostgreSQL's: see docs/ingest.md.
func (w *writer) ensureColumns(ctx context.Context, t *table) error {
	have, err := w.columns(ctx, t.name(), false)
	if err != nil {
		return err
	}
	if !lacksColumn(have, t) {
		return nil
	}
	if have, err = w.columns(ctx, t.name(), true); err != nil {
		return err
	}
	for _, c := range t.rel.Columns {
		if have[c.Name] {
			continue
		}
		pgType, nullable, err := w.catalog.columnType(ctx, t.rel.ID, c)
		if err != nil {
			return err
		}
		chType, err := olap.CHType(pgType, nullable)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t.name(), c.Name, err)
		}
		if err := w.ch.AddColumn(ctx, t.name(), c.Name, chType); err != nil {
			return err
		}
		w.log.Info("ingest: added column", "table", t.name(), "column", c.Name, "type", chType)
		have[c.Name] = true
	}
	return nil
}

func lacksColumn(have map[string]bool, t *table) bool {
	for _, c := range t.rel.Columns {
		if !have[c.Name] {
			return true
		}
	}
	return false
}

// catalog answers questions about PostgreSQL columns over a normal
// connection, opened on first use and again after an error.
type catalog struct {
	url  string
	conn *pgx.Conn
}

// columnType is the column's format_type name and nullability.
func (c *catalog) columnType(ctx context.Context, relID uint32, col logrepl.RelationColumn) (string, bool, error) {
	const q = `
SELECT format_type($2::oid, $3::int4),
       NOT coalesce((SELECT attnotnull FROM pg_attribute WHERE attrelid = $1::oid AND attname = $4), false)`
	conn, err := c.get(ctx)
	if err != nil {
		return "", false, err
	}
	var name string
	var nullable bool
	if err := conn.QueryRow(ctx, q, relID, col.TypeOID, col.TypeMod, col.Name).Scan(&name, &nullable); err != nil {
		c.close()
		return "", false, fmt.Errorf("type of column %s: %w", col.Name, err)
	}
	return name, nullable, nil
}

func (c *catalog) get(ctx context.Context) (*pgx.Conn, error) {
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := pgx.Connect(ctx, c.url)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	c.conn = conn
	return conn, nil
}

func (c *catalog) close() {
	if c.conn != nil {
		_ = c.conn.Close(context.Background())
		c.conn = nil
	}
}
