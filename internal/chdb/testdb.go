//go:build chdb

package chdb

import (
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// NewTestDB is testenv.NewCH on the chDB engine: a database with a
// random name, migrated by olap.Migrate, dropped when the test ends. Its
// Addr is "chdb".
func NewTestDB(tb testing.TB) *testenv.CH { return testenv.Migrated(tb, NewEmptyTestDB(tb)) }

// NewEmptyTestDB is a connection to a database name that does not exist
// yet (Migrate creates it), dropped when the test ends. The engine stays
// open: there is one per process.
func NewEmptyTestDB(tb testing.TB) *testenv.CH {
	tb.Helper()
	c, err := NewConn()
	if err != nil {
		tb.Fatalf("chdb: %v", err)
	}
	db, err := olap.NewDB(c, testenv.DBName(), func(d string) (driver.Conn, error) { return c.WithDatabase(d), nil })
	if err != nil {
		tb.Fatalf("chdb: %v", err)
	}
	return testenv.Adopt(tb, db, "chdb", nil)
}
