package engine

import (
	"testing"

	"github.com/voronka/voronka/internal/testenv"
)

// mirror copies tables (every mirrored table when none are named) from
// PostgreSQL into ClickHouse at version, as ingest would write them.
func mirror(t testing.TB, pg *testenv.PG, ch *testenv.CH, version uint64, tables ...string) {
	t.Helper()
	testenv.Mirror(t, pg, ch, testenv.Copy{Tables: tables, Version: version})
}
