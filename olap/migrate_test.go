package olap_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

func TestMigrateAppliesOnceAndRecordsVersions(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewEmptyCH(t)
	first, err := olap.Migrate(ctx, ch.DB)
	if err != nil {
		t.Fatalf("first migrate: %v", err)
	}
	if len(first) != 1 || first[0] != "00001_mirror.sql" {
		t.Fatalf("first migrate applied %v, want [00001_mirror.sql]", first)
	}
	second, err := olap.Migrate(ctx, ch.DB)
	if err != nil || len(second) != 0 {
		t.Fatalf("second migrate: %v %v, want nothing applied", second, err)
	}
	var recorded uint64
	q := "SELECT count() FROM " + ch.Database + ".schema_migrations WHERE version = 1"
	if err := ch.DB.Conn.QueryRow(ctx, q).Scan(&recorded); err != nil || recorded != 1 {
		t.Fatalf("schema_migrations holds version 1 %d times (%v), want once", recorded, err)
	}
}

// The tables the migrations create are exactly the mirror list, each with
// the engine and sorting key it declares.
func TestMigrationsCreateEveryMirror(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	const q = `SELECT name, engine_full, sorting_key FROM system.tables WHERE database = ?`
	rows, err := ch.DB.Conn.Query(ctx, q, ch.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string][2]string{}
	for rows.Next() {
		var name, engine, key string
		if err := rows.Scan(&name, &engine, &key); err != nil {
			t.Fatal(err)
		}
		got[name] = [2]string{engine, key}
	}
	want := []string{"schema_migrations"}
	for _, m := range olap.Mirrors() {
		want = append(want, m.Table)
		g, ok := got[m.Table]
		if !ok {
			t.Errorf("table %s missing", m.Table)
			continue
		}
		if !strings.HasPrefix(g[0], "ReplacingMergeTree(_version)") {
			t.Errorf("%s engine %q, want ReplacingMergeTree(_version)", m.Table, g[0])
		}
		if g[1] != strings.Join(m.OrderBy, ", ") {
			t.Errorf("%s sorted by %q, want %v", m.Table, g[1], m.OrderBy)
		}
	}
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	sort.Strings(want)
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("tables %v, want %v", names, want)
	}
}
