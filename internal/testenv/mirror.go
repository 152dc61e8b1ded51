package testenv

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// Copy says what Mirror copies: Tables (every mirrored table when empty),
// Where (per table, a condition over alias x restricting the rows) and
// Version (the _version written; 1 when 0).
type Copy struct {
	Tables  []string
	Where   map[string]string
	Version uint64
}

// Mirror copies rows from PostgreSQL into ClickHouse the way ingest writes
// them (booleans as 0/1, numerics as decimals, times in UTC, excluded
// columns left out), so report tests can load a fixture without running a
// stream. A higher Version replaces rows with the same key, as a change
// streamed later would. Derived tables (olap.DerivedFrom) are refreshed.
func Mirror(tb testing.TB, pg *PG, ch *CH, c Copy) {
	tb.Helper()
	if c.Version == 0 {
		c.Version = 1
	}
	if len(c.Tables) == 0 {
		for _, m := range olap.Mirrors() {
			c.Tables = append(c.Tables, m.Table)
		}
	}
	for _, table := range c.Tables {
		m, ok := olap.MirrorOf(table)
		if !ok {
			tb.Fatalf("mirror: %s is not a mirrored table", table)
		}
		q := "SELECT * FROM " + table + " AS x"
		if c.Where[table] != "" {
			q += " WHERE " + c.Where[table]
		}
		cols, rows := readMirrorRows(tb, pg, m, q, c.Version)
		if err := ch.DB.Insert(context.Background(), table, cols, rows); err != nil {
			tb.Fatalf("mirror %s: %v", table, err)
		}
	}
	// The tables ClickHouse derives from these, as ingest keeps them.
	if err := ch.DB.RefreshDerivedOf(context.Background(), c.Tables); err != nil {
		tb.Fatalf("mirror %v: %v", c.Tables, err)
	}
}

func readMirrorRows(tb testing.TB, pg *PG, m olap.Mirror, q string, version uint64) ([]string, [][]any) {
	tb.Helper()
	rows, err := pg.Pool.Query(context.Background(), q)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var cols []string
	var keep []bool
	for _, f := range rows.FieldDescriptions() {
		keep = append(keep, !m.IsExcluded(f.Name))
		if !m.IsExcluded(f.Name) {
			cols = append(cols, f.Name)
		}
	}
	var out [][]any
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			tb.Fatal(err)
		}
		var row []any
		for i, v := range vals {
			if keep[i] {
				row = append(row, chValue(tb, v))
			}
		}
		out = append(out, append(row, version, uint8(0)))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return append(cols, olap.VersionColumn, olap.DeletedColumn), out
}

// chValue converts a pgx value to what ingest writes to ClickHouse.
func chValue(tb testing.TB, v any) any {
	switch v := v.(type) {
	case bool:
		if v {
			return uint8(1)
		}
		return uint8(0)
	case pgtype.Numeric:
		s, err := v.Value()
		if err != nil {
			tb.Fatal(err)
		}
		return decimal.RequireFromString(s.(string))
	case time.Time:
		return v.UTC()
	case map[string]any, []any: // json and jsonb: stored as their text
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return string(b)
	}
	return v
}
