package ingest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// catalog answers questions about PostgreSQL columns over a normal
// connection (with the stream's session settings), opened on first use
// and again after an error.
type catalog struct {
	url  string
	conn *pgx.Conn
}

// pgColumn is one column of a relation version as PostgreSQL's catalog
// describes it now.
type pgColumn struct {
	Name     string
	TypeOID  uint32
	Type     string // format_type of the relation's type and modifier
	Nullable bool   // now (a column dropped since counts as nullable)
	Exists   bool   // the table has the column now
	// Missing is the value rows older than the column read (PostgreSQL's
	// fast default, text), nil when there is none.
	Missing    *string
	HasDefault bool
}

// relationColumns describes t's columns, in relation order.
func (c *catalog) relationColumns(ctx context.Context, t *table) ([]pgColumn, error) {
	const q = `
SELECT c.name,
       c.typ,
       format_type(c.typ, c.mod),
       coalesce(NOT a.attnotnull, true),
       a.attnum IS NOT NULL,
       CASE WHEN a.atthasmissing THEN (a.attmissingval::text::text[])[1] END,
       coalesce(a.atthasdef, false)
FROM unnest($2::text[], $3::oid[], $4::int4[]) WITH ORDINALITY AS c(name, typ, mod, n)
LEFT JOIN pg_attribute a
       ON a.attrelid = $1::oid AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.n`
	names := make([]string, len(t.rel.Columns))
	oids := make([]uint32, len(t.rel.Columns))
	mods := make([]int32, len(t.rel.Columns))
	for i, col := range t.rel.Columns {
		names[i], oids[i], mods[i] = col.Name, col.TypeOID, col.TypeMod
	}
	conn, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	rows, _ := conn.Query(ctx, q, t.rel.ID, names, oids, mods)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgColumn, error) {
		var pc pgColumn
		err := r.Scan(&pc.Name, &pc.TypeOID, &pc.Type, &pc.Nullable, &pc.Exists, &pc.Missing, &pc.HasDefault)
		return pc, err
	})
	if err != nil {
		c.close()
		return nil, fmt.Errorf("columns of %s in postgresql: %w", t.name(), err)
	}
	return out, nil
}

func (c *catalog) get(ctx context.Context) (*pgx.Conn, error) {
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := connectPG(ctx, c.url)
	if err != nil {
		return nil, err
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
