//go:build chdb

package olap_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/chdb"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// Every migration applies on both engines (twice: the second run applies
// nothing) and gives the same tables, engines, columns and types.
func TestConformanceMigrations(t *testing.T) {
	ctx := context.Background()
	old, cur := testenv.NewEmptyCH(t), chdb.NewEmptyTestDB(t)
	var schemas [2]string
	for i, ch := range []*testenv.CH{old, cur} {
		applied, err := olap.Migrate(ctx, ch.DB)
		if err != nil {
			t.Fatalf("%s: migrate: %v", ch.Addr, err)
		}
		if len(applied) == 0 {
			t.Fatalf("%s: no migration applied on an empty database", ch.Addr)
		}
		if again, err := olap.Migrate(ctx, ch.DB); err != nil || len(again) != 0 {
			t.Fatalf("%s: second migrate applied %v, %v", ch.Addr, again, err)
		}
		schemas[i] = schemaOf(t, ch)
	}
	if schemas[0] != schemas[1] {
		t.Errorf("schemas differ\n18.16:\n%s\n26.x:\n%s", schemas[0], schemas[1])
	}
	if n := strings.Count(schemas[0], "\n"); n < len(olap.Mirrors())*3 {
		t.Errorf("schema has %d lines for %d mirrors", n, len(olap.Mirrors()))
	}
}

// schemaOf lists table and engine, then table, column and type, sorted
// (two plain queries: 18.16 once crashed on a join of system tables).
func schemaOf(t *testing.T, ch *testenv.CH) string {
	t.Helper()
	var lines []string
	for _, q := range []string{
		"SELECT name, engine, '' FROM system.tables WHERE database = ?",
		"SELECT table, name, type FROM system.columns WHERE database = ?",
	} {
		rows, err := ch.DB.Query(context.Background(), olap.SQL(q, ch.Database))
		if err != nil {
			t.Fatalf("%s: %v", ch.Addr, err)
		}
		for rows.Next() {
			var a, b, c string
			if err := rows.Scan(&a, &b, &c); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, a+" "+b+" "+c)
		}
		rows.Close()
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// The reconcile checksum query answers the Go reference on 26.x too.
func TestConformanceChecksum(t *testing.T) {
	checksumAgrees(t, chdb.NewTestDB(t))
}

// AddColumn (which ingest uses for new PostgreSQL columns) reads the types
// system.columns shows, which must be spelled as CHType spells them.
func TestConformanceAddColumn(t *testing.T) {
	ctx := context.Background()
	for _, ch := range []*testenv.CH{testenv.NewCH(t), chdb.NewTestDB(t)} {
		for _, typ := range []string{"Nullable(Decimal(18, 2))", "DateTime('UTC')", "Nullable(String)", "Date", "UUID"} {
			name := "x_" + strings.NewReplacer("(", "", ")", "", ",", "", " ", "", "'", "").Replace(typ)
			if err := ch.DB.AddColumn(ctx, "deals", name, typ); err != nil {
				t.Errorf("%s: add %s: %v", ch.Addr, typ, err)
			}
			if err := ch.DB.AddColumn(ctx, "deals", name, typ); err != nil {
				t.Errorf("%s: add %s again: %v", ch.Addr, typ, err)
			}
		}
	}
}
