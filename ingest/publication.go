package ingest

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/olap"
)

// validName is what Voronka accepts for slot, publication and table names:
// PostgreSQL's rule for replication slot names, so no quoting surprises.
var validName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

func quoteIdent(s string) string   { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func quoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }

// publishedTable is one table of the publication with its published
// columns (all but the mirror's excluded ones, e.g. users.password_hash).
type publishedTable struct {
	Name    string
	Columns []string
}

// ensurePublication creates the publication, or resets an existing one,
// to exactly the mirrored tables with their column lists (PostgreSQL 15
// column lists keep excluded columns out of the WAL stream itself).
func ensurePublication(ctx context.Context, conn *pgx.Conn, pub string) ([]publishedTable, error) {
	tables, err := publishedTables(ctx, conn)
	if err != nil {
		return nil, err
	}
	var exists bool
	const q = `SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1)`
	if err := conn.QueryRow(ctx, q, pub).Scan(&exists); err != nil {
		return nil, fmt.Errorf("look up publication %s: %w", pub, err)
	}
	verb := "CREATE PUBLICATION %s FOR TABLE %s"
	if exists {
		verb = "ALTER PUBLICATION %s SET TABLE %s"
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(verb, quoteIdent(pub), tableList(tables))); err != nil {
		return nil, fmt.Errorf("publication %s: %w", pub, err)
	}
	return tables, nil
}

// publishedTables reads the current columns of every mirrored table.
func publishedTables(ctx context.Context, conn *pgx.Conn) ([]publishedTable, error) {
	const q = `
SELECT attname
FROM pg_attribute
WHERE attrelid = $1::regclass
  AND attnum > 0
  AND NOT attisdropped
ORDER BY attnum`
	var out []publishedTable
	for _, m := range olap.Mirrors() {
		rows, _ := conn.Query(ctx, q, "public."+m.Table)
		cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", m.Table, err)
		}
		t := publishedTable{Name: m.Table}
		for _, c := range cols {
			if !m.IsExcluded(c) {
				t.Columns = append(t.Columns, c)
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// tableList renders "public.users (id, email, …), public.deals, …": a
// column list only where the mirror excludes columns, so tables without
// exclusions also publish columns added later.
func tableList(tables []publishedTable) string {
	parts := make([]string, len(tables))
	for i, t := range tables {
		parts[i] = "public." + quoteIdent(t.Name)
		if m, _ := olap.MirrorOf(t.Name); len(m.Excluded) > 0 {
			cols := make([]string, len(t.Columns))
			for j, c := range t.Columns {
				cols[j] = quoteIdent(c)
			}
			parts[i] += " (" + strings.Join(cols, ", ") + ")"
		}
	}
	return strings.Join(parts, ", ")
}
