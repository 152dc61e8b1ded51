package olap

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// MigrationsFS is the embedded ClickHouse migrations (NNNNN_name.sql).
func MigrationsFS() fs.FS {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return sub
}

// migration is one embedded file, split into statements.
type migration struct {
	version    uint32
	name       string
	statements []string
}

var (
	fileRE    = regexp.MustCompile(`^(\d{5})_([a-z0-9_]+)\.sql$`)
	stmtEndRE = regexp.MustCompile(`;[ \t]*(\r?\n|$)`)
)

// loadMigrations reads every embedded file in version order.
func loadMigrations() ([]migration, error) {
	files, err := fs.ReadDir(MigrationsFS(), ".")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, f := range files {
		m := fileRE.FindStringSubmatch(f.Name())
		if m == nil {
			return nil, fmt.Errorf("clickhouse migration %s: want NNNNN_name.sql", f.Name())
		}
		body, err := fs.ReadFile(MigrationsFS(), f.Name())
		if err != nil {
			return nil, err
		}
		v, _ := strconv.ParseUint(m[1], 10, 32)
		out = append(out, migration{version: uint32(v), name: f.Name(), statements: splitStatements(string(body))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// splitStatements cuts a file at each `;` that ends a line and drops
// pieces holding only comments and blanks.
func splitStatements(body string) []string {
	var out []string
	for _, part := range stmtEndRE.Split(body, -1) {
		if hasCode(part) {
			out = append(out, strings.TrimSpace(part))
		}
	}
	return out
}

func hasCode(sql string) bool {
	for _, line := range strings.Split(sql, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "--") {
			return true
		}
	}
	return false
}

// Migrate creates db's database when missing, applies the embedded
// migrations not yet recorded in its schema_migrations table, in order,
// and returns the names applied (none when up to date). ClickHouse has no
// transactional DDL: every statement is written to be idempotent, and a
// version is recorded only after all its statements succeeded, so a failed
// run is completed by the next one.
func Migrate(ctx context.Context, db *DB) ([]string, error) {
	all, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	if err := db.DDL(ctx, SQL("CREATE DATABASE IF NOT EXISTS "+db.Database)); err != nil {
		return nil, fmt.Errorf("create clickhouse database %s: %w", db.Database, err)
	}
	if err := db.CheckLayout(ctx); err != nil {
		return nil, err
	}
	done, err := db.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	var todo []migration
	for _, m := range all {
		if !done[m.version] {
			todo = append(todo, m)
		}
	}
	if len(todo) == 0 {
		return nil, nil
	}
	return db.apply(ctx, todo)
}

func (db *DB) appliedVersions(ctx context.Context) (map[uint32]bool, error) {
	const create = `CREATE TABLE IF NOT EXISTS %s.schema_migrations (
    version    UInt32,
    name       String,
    applied_at DateTime('UTC')
) ENGINE = MergeTree ORDER BY version`
	if err := db.DDL(ctx, SQL(fmt.Sprintf(create, db.Database))); err != nil {
		return nil, fmt.Errorf("create clickhouse schema_migrations: %w", err)
	}
	rows, err := db.Query(ctx, SQL("SELECT DISTINCT version FROM "+db.Table("schema_migrations")))
	if err != nil {
		return nil, fmt.Errorf("read clickhouse schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[uint32]bool{}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// apply runs the statements over a connection whose default database is
// db's, so migration files name tables without a database.
func (db *DB) apply(ctx context.Context, todo []migration) ([]string, error) {
	exec := func(ctx context.Context, stmt string) error { return db.DDL(ctx, SQL(stmt)) } // names the database on a cluster
	if db.cluster == "" {
		dialDB := db.WithDatabase
		if dialDB == nil {
			dialDB = func(database string) (driver.Conn, error) { return dial(db.addr, database, nil) }
		}
		conn, err := dialDB(db.Database)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		exec = func(ctx context.Context, stmt string) error { return execOnce(ctx, conn, db.Database, stmt) }
	}
	var applied []string
	for k, m := range todo {
		for i, stmt := range m.statements {
			if err := exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("clickhouse migration %s, statement %d: %w", m.name, i+1, err)
			}
		}
		if fill := backfillAt(todo, k); fill != nil {
			if err := fill(db, ctx); err != nil {
				return applied, fmt.Errorf("clickhouse migration %s, backfill: %w", m.name, err)
			}
		}
		row := []any{m.version, m.name, time.Now().UTC()}
		if err := db.Insert(ctx, "schema_migrations", []string{"version", "name", "applied_at"}, [][]any{row}); err != nil {
			return applied, err
		}
		applied = append(applied, m.name)
	}
	return applied, nil
}
