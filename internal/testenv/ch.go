package testenv

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/voronka/voronka/olap"
)

// CH is a fresh ClickHouse database for one test.
type CH struct {
	DB       *olap.DB
	Database string
	Addr     string
}

// NewCH creates a ClickHouse database with a random name on the private
// server, applies the olap migrations, and drops it when the test ends.
func NewCH(tb testing.TB) *CH {
	tb.Helper()
	ch := NewEmptyCH(tb)
	if _, err := olap.Migrate(context.Background(), ch.DB); err != nil {
		tb.Fatalf("migrate clickhouse %s: %v", ch.Database, err)
	}
	return ch
}

// NewEmptyCH is a connection to a random database name that does not
// exist yet (Migrate creates it), dropped when the test ends. Use it to
// test migrations, or a command that runs them, from scratch.
func NewEmptyCH(tb testing.TB) *CH {
	tb.Helper()
	addr := Dev(tb).CHAddr()
	name := fmt.Sprintf("t_%d_%08x", time.Now().Unix(), rand.Uint32())
	db, err := olap.Open(context.Background(), addr, name)
	if err != nil {
		tb.Fatalf("open clickhouse: %v", err)
	}
	tb.Cleanup(func() {
		if os.Getenv("VORONKA_KEEP_TEST_DB") == "" {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = db.Conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name)
		}
		db.Close()
	})
	return &CH{DB: db, Database: name, Addr: addr}
}
