// Package olap is Voronka's ClickHouse side: the connection, the schema
// (migrations in the subset ClickHouse 18.16 and current releases both
// accept), batch writers that always name their columns, and typed query
// helpers. It knows nothing about HTTP. It speaks the native protocol
// only: the HTTP protocol does not work with 18.16.
package olap

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// DB is a ClickHouse connection bound to one database.
type DB struct {
	Conn     driver.Conn
	Database string
}

// Open connects over the native protocol to addr and database (which may
// not exist yet; Migrate creates it).
func Open(ctx context.Context, addr, database string) (*DB, error) {
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:         []string{addr},
		DialTimeout:  5 * time.Second,
		MaxOpenConns: 32,
		MaxIdleConns: 8,
	})
	if err != nil {
		return nil, fmt.Errorf("connect to clickhouse %s: %w", addr, err)
	}
	return &DB{Conn: conn, Database: database}, nil
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
