// Package olap is Voronka's ClickHouse side: the connection, the schema
// (migrations in the subset ClickHouse 18.16 and current releases both
// accept), batch writers that always name their columns, and typed query
// helpers. It knows nothing about HTTP. It speaks the native protocol
// only: the HTTP protocol does not work with 18.16.
package olap

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// DB is a ClickHouse connection bound to one database. Conn's default
// database is the server's ("default"): every query this package builds
// names Database explicitly (see Table), so the database may be created
// after Open, by Migrate.
type DB struct {
	Conn     driver.Conn
	Database string
	// AnyVersion lets Probe accept a server outside TestedVersions
	// (VORONKA_CH_ANY_VERSION=1).
	AnyVersion bool
	// WithDatabase, when set, gives a connection whose default database is
	// the one named (migrations name tables without a database); nil
	// dials addr with that database.
	WithDatabase func(database string) (driver.Conn, error)
	addr         string
}

// Open connects over the native protocol to addr and database (which may
// not exist yet; Migrate creates it). The connection is lazy: nothing is
// sent until the first query.
func Open(ctx context.Context, addr, database string) (*DB, error) {
	if !validIdent(database) {
		return nil, fmt.Errorf("clickhouse database %q: want letters, digits and _", database)
	}
	conn, err := dial(addr, "")
	if err != nil {
		return nil, fmt.Errorf("connect to clickhouse %s: %w", addr, err)
	}
	return &DB{Conn: conn, Database: database, addr: addr}, nil
}

func dial(addr, database string) (driver.Conn, error) {
	return clickhouse.Open(&clickhouse.Options{
		Addr:         []string{addr},
		Auth:         clickhouse.Auth{Database: database},
		DialTimeout:  5 * time.Second,
		MaxOpenConns: 32,
		MaxIdleConns: 8,
	})
}

// Ping checks that the server answers.
func (db *DB) Ping(ctx context.Context) error { return db.Conn.Ping(ctx) }

// Close closes the connection pool.
func (db *DB) Close() error { return db.Conn.Close() }

// ServerVersion is the server's version string, e.g. "18.16.1".
func (db *DB) ServerVersion() (string, error) {
	v, err := db.Conn.ServerVersion()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%d", v.Version.Major, v.Version.Minor, v.Version.Patch), nil
}

// Table is the qualified name of table in db's database, for SQL text.
// It fails unless table is a plain identifier.
func (db *DB) Table(table string) (string, error) {
	if !validIdent(table) {
		return "", fmt.Errorf("clickhouse table %q: want letters, digits and _", table)
	}
	return db.Database + "." + table, nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// validIdent accepts the identifiers that need no quoting in either
// ClickHouse or PostgreSQL.
func validIdent(s string) bool { return identRE.MatchString(s) }
