// Package olap is Voronka's ClickHouse side: the connection, the schema
// (migrations in the subset ClickHouse 18.16 and current releases both
// accept), the mirror table list, batch inserts that always name their
// columns, the derived per-deal paths, and the one way to build a
// statement: Names qualifies tables, Build fills named {slots} with
// fragments and bound values, JoinLookups joins lookup tables one per
// SELECT, and DB runs a Fragment (the connection itself is not
// exported). It knows nothing about HTTP or reports. It speaks the native
// protocol only: the HTTP protocol does not work with 18.16.
package olap

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// DB is a ClickHouse connection bound to one database. The connection's
// default database is the server's ("default"): every statement names
// its tables through Names (Table), so the database may be created after
// Open, by Migrate. Statements reach the server only through the methods
// in query_run.go, which take a Fragment (text and arguments together).
type DB struct {
	Names
	conn driver.Conn
	// AnyVersion lets Probe accept a server outside TestedVersions
	// (VORONKA_CH_ANY_VERSION=1).
	AnyVersion bool
	// WithDatabase, when set, gives a connection whose default database is
	// the one named (migrations name tables without a database); nil
	// dials addr with that database.
	WithDatabase func(database string) (driver.Conn, error)
	addr         string
	cluster      string // "" on a single server (cluster.go)

	reads   *Reads         // when recording (Recording): the tables read
	tableRE *regexp.Regexp // database.table in statement text
	memo    *Memo          // when memoizing (Memoizing): Each's statements kept
	reach   Watermarks     // the copy's reach the memo's statements are read over
	clock   int64          // AtClock: the run's clock, unix seconds (0: none)
}

// Open connects over the native protocol to addr and database (which may
// not exist yet; Migrate creates it). The connection is lazy: nothing is
// sent until the first query.
func Open(ctx context.Context, addr, database string) (*DB, error) {
	return OpenCluster(ctx, addr, database, "")
}

// OpenCluster is Open for the copy on cluster (none: a single server);
// addr may name several of its nodes, comma-separated: the first that
// answers is used (cluster.go says what changes on a cluster; CheckCluster
// checks it).
func OpenCluster(ctx context.Context, addr, database, cluster string) (*DB, error) {
	names, err := NewNames(database)
	if err != nil {
		return nil, err
	}
	if cluster != "" && !validIdent(cluster) {
		return nil, fmt.Errorf("VORONKA_CH_CLUSTER=%q: want letters, digits and _", cluster)
	}
	db := &DB{Names: names, addr: addr, cluster: cluster}
	if db.conn, err = dial(addr, "", db.settings()); err != nil {
		return nil, fmt.Errorf("connect to clickhouse %s: %w", addr, err)
	}
	return db, nil
}

// NewDB wraps an open connection (another engine's driver.Conn, as the
// chDB conformance tests use) for database; withDatabase gives a
// connection whose default database is the one named (nil: dial again).
func NewDB(conn driver.Conn, database string, withDatabase func(string) (driver.Conn, error)) (*DB, error) {
	names, err := NewNames(database)
	if err != nil {
		return nil, err
	}
	return &DB{Names: names, conn: conn, WithDatabase: withDatabase, addr: "(" + database + ")"}, nil
}

func dial(addr, database string, settings clickhouse.Settings) (driver.Conn, error) {
	var addrs []string
	for _, a := range strings.Split(addr, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	return clickhouse.Open(&clickhouse.Options{
		Addr:         addrs,
		Settings:     settings,
		Auth:         clickhouse.Auth{Database: database},
		DialTimeout:  5 * time.Second,
		MaxOpenConns: 32,
		MaxIdleConns: 8,
	})
}

// Ping checks that the server answers.
func (db *DB) Ping(ctx context.Context) error { return db.conn.Ping(ctx) }

// Close closes the connection pool.
func (db *DB) Close() error { return db.conn.Close() }

// ServerVersion is the server's version string, e.g. "18.16.1".
func (db *DB) ServerVersion() (string, error) {
	v, err := db.conn.ServerVersion()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%d", v.Version.Major, v.Version.Minor, v.Version.Patch), nil
}
