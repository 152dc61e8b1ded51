package testenv

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/devenv"
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
func NewCH(tb testing.TB) *CH { return Migrated(tb, NewEmptyCH(tb)) }

// NewEmptyCH is a connection to a random database name that does not
// exist yet (Migrate creates it), dropped when the test ends. Use it to
// test migrations, or a command that runs them, from scratch.
func NewEmptyCH(tb testing.TB) *CH { return newEmptyCH(tb, OnCluster()) }

// NewSingleCH and NewClusterCH are NewCH on the single server and on the
// local cluster whichever pass runs: for a benchmark that sets one beside
// the other on the same data.
func NewSingleCH(tb testing.TB) *CH  { return Migrated(tb, newEmptyCH(tb, false)) }
func NewClusterCH(tb testing.TB) *CH { return Migrated(tb, newEmptyCH(tb, true)) }

func newEmptyCH(tb testing.TB, onCluster bool) *CH {
	tb.Helper()
	addr, cluster := Dev(tb).CHAddr(), ""
	if onCluster {
		addr, cluster = DevCluster(tb).ClusterAddrs(), devenv.ClusterName
	}
	name := DBName()
	db, err := olap.OpenCluster(context.Background(), addr, name, cluster)
	if err != nil {
		tb.Fatalf("open clickhouse: %v", err)
	}
	return Adopt(tb, db, addr, db.Close)
}

// OnCluster reports whether the suite runs on the local cluster of
// `voronka dev up --cluster` (VORONKA_TEST_CLUSTER=1): every test's
// ClickHouse database is then made on it, in cluster mode
// (docs/cluster.md), and the suites that pass on one server must give
// the same answers there.
func OnCluster() bool { return os.Getenv("VORONKA_TEST_CLUSTER") == "1" }

// SingleServer skips a test that is about one server only (what it
// checks has no meaning on a cluster, or it reaches into the server's
// tables directly) when the suite runs on the cluster; why says so.
func SingleServer(tb testing.TB, why string) {
	if OnCluster() {
		tb.Skip("single server only: " + why)
	}
}

// DevCluster is Dev with the local cluster started too.
func DevCluster(tb testing.TB) *devenv.Env {
	tb.Helper()
	dev := Dev(tb)
	devCluster.do(tb, dev.ClusterUp)
	return dev
}

var devCluster = &startOnce{what: "dev cluster"}

// Migrated applies the olap migrations to ch's database.
func Migrated(tb testing.TB, ch *CH) *CH {
	tb.Helper()
	if _, err := olap.Migrate(context.Background(), ch.DB); err != nil {
		tb.Fatalf("migrate clickhouse %s at %s: %v", ch.Database, ch.Addr, err)
	}
	return ch
}

// DBName is a new random database name for a test (time-prefixed, so
// leftovers of killed runs show their age).
func DBName() string { return fmt.Sprintf("t_%d_%08x", time.Now().Unix(), rand.Uint32()) }

// Adopt makes db (connected to an engine at addr) a test's ClickHouse
// database: it is dropped when the test ends, unless VORONKA_KEEP_TEST_DB
// is set, and then closeConn runs (nil: nothing to close).
func Adopt(tb testing.TB, db *olap.DB, addr string, closeConn func() error) *CH {
	tb.Cleanup(func() {
		if os.Getenv("VORONKA_KEEP_TEST_DB") == "" {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = db.DDL(ctx, olap.SQL("DROP DATABASE IF EXISTS "+db.Database))
		}
		if closeConn != nil {
			closeConn()
		}
	})
	return &CH{DB: db, Database: db.Database, Addr: addr}
}

// CHTexts runs a query of one String column and returns its values in
// the order read.
func CHTexts(ctx context.Context, db *olap.DB, q string, args ...any) ([]string, error) {
	rows, err := db.Query(ctx, olap.SQL(q, args...))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
