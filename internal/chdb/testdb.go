//go:build chdb

package chdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// NewTestDB is testenv.NewCH on the chDB engine: a database with a
// random name, migrated by olap.Migrate, dropped when the test ends. Its
// Addr is "chdb".
func NewTestDB(tb testing.TB) *testenv.CH {
	tb.Helper()
	db := NewEmptyTestDB(tb)
	if _, err := olap.Migrate(context.Background(), db.DB); err != nil {
		tb.Fatalf("migrate chdb %s: %v", db.Database, err)
	}
	return db
}

// NewEmptyTestDB is a connection to a database name that does not exist
// yet (Migrate creates it), dropped when the test ends.
func NewEmptyTestDB(tb testing.TB) *testenv.CH {
	tb.Helper()
	c, err := NewConn()
	if err != nil {
		tb.Fatalf("chdb: %v", err)
	}
	name := fmt.Sprintf("t_%d_%08x", time.Now().Unix(), rand.Uint32())
	db := &olap.DB{Conn: c, Database: name,
		WithDatabase: func(d string) (driver.Conn, error) { return c.WithDatabase(d), nil }}
	tb.Cleanup(func() {
		if os.Getenv("VORONKA_KEEP_TEST_DB") == "" {
			_ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name)
		}
	})
	return &testenv.CH{DB: db, Database: name, Addr: "chdb"}
}
