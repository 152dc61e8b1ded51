package olap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// notMirrored are the PostgreSQL tables that stay there on purpose.
var notMirrored = map[string]bool{"auth_tokens": true, "goose_db_version": true, "saved_reports": true,
	"export_schedules": true, "export_runs": true, "export_deliveries": true, // scheduled exports (issue 6): reports state, not CRM data
	"alerts": true, "alert_runs": true, "alert_checks": true, "alert_states": true, // alerts (issue 20): reports state, not CRM data
	// intake bookkeeping (issue 8): reports read leads, not these
	"form_keys": true, "merges": true, "import_runs": true, "mail_messages": true,
	"call_imports": true} // the keys of imported calls (issue 19): reports read the activities

// pgColumns reads every public table's columns in order, as
// "name type" with type = CHType(format_type, nullable).
func pgColumns(t *testing.T, pg *testenv.PG) map[string][]string {
	t.Helper()
	const q = `SELECT c.table_name, c.column_name,
       format_type(a.atttypid, a.atttypmod), c.is_nullable = 'YES'
FROM information_schema.columns c
JOIN pg_attribute a
  ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
 AND a.attname = c.column_name
WHERE c.table_schema = 'public'
ORDER BY c.table_name, c.ordinal_position`
	rows, err := pg.Pool.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col, pgType string
		var nullable bool
		if err := rows.Scan(&table, &col, &pgType, &nullable); err != nil {
			t.Fatal(err)
		}
		if m, ok := olap.MirrorOf(table); ok && m.IsExcluded(col) {
			continue
		}
		chType, err := olap.CHType(pgType, nullable)
		if err != nil {
			chType = "unmapped " + pgType
		}
		out[table] = append(out[table], col+" "+chType)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func chColumns(t *testing.T, ch *testenv.CH, table string) []string {
	t.Helper()
	cols, err := ch.DB.Columns(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cols {
		if c.Name != olap.VersionColumn && c.Name != olap.DeletedColumn {
			out = append(out, c.Name+" "+c.Type)
		}
	}
	return out
}

// Every PostgreSQL table is mirrored (or listed as staying behind), and
// each mirror has the PostgreSQL columns, in order, minus the excluded
// ones, typed as CHType maps them, plus _version UInt64 and _deleted UInt8.
func TestMirrorSchemaMatchesPostgres(t *testing.T) {
	pg := testenv.NewPG(t)
	ch := testenv.NewCH(t)
	want := pgColumns(t, pg)
	for table := range want {
		if _, ok := olap.MirrorOf(table); !ok && !notMirrored[table] {
			t.Errorf("postgresql table %s is neither mirrored nor listed as private", table)
		}
	}
	for _, m := range olap.Mirrors() {
		got := chColumns(t, ch, m.Table)
		if strings.Join(got, "\n") != strings.Join(want[m.Table], "\n") {
			t.Errorf("%s:\nclickhouse %q\npostgresql %q", m.Table, got, want[m.Table])
		}
		all, _ := ch.DB.Columns(context.Background(), m.Table)
		extra := fmt.Sprint(all[len(all)-2:])
		if extra != "[{_version UInt64} {_deleted UInt8}]" {
			t.Errorf("%s ends with %s, want _version UInt64, _deleted UInt8", m.Table, extra)
		}
	}
	if cols := chColumns(t, ch, "users"); strings.Contains(strings.Join(cols, " "), "password_hash") {
		t.Error("users mirror carries password_hash")
	}
}
