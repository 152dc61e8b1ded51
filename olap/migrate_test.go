package olap_test

import (
	"context"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"time"

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
	files, err := fs.Glob(olap.MigrationsFS(), "*.sql") // sorted by name, so by version
	if err != nil || len(files) < 2 || files[0] != "00001_mirror.sql" {
		t.Fatalf("embedded migrations %v (%v)", files, err)
	}
	if strings.Join(first, " ") != strings.Join(files, " ") {
		t.Fatalf("first migrate applied %v, want %v", first, files)
	}
	second, err := olap.Migrate(ctx, ch.DB)
	if err != nil || len(second) != 0 {
		t.Fatalf("second migrate: %v %v, want nothing applied", second, err)
	}
	var recorded uint64
	q := "SELECT count() FROM " + ch.Database + ".schema_migrations WHERE version = 1"
	if err := ch.DB.QueryRow(ctx, olap.SQL(q)).Scan(&recorded); err != nil || recorded != 1 {
		t.Fatalf("schema_migrations holds version 1 %d times (%v), want once", recorded, err)
	}
}

// The tables the migrations create are exactly the mirror list, each with
// the engine and sorting key it declares.
func TestMigrationsCreateEveryMirror(t *testing.T) {
	testenv.SingleServer(t, "the cluster's engines and tables are TestClusterSchema's")
	ctx := context.Background()
	ch := testenv.NewCH(t)
	const q = `SELECT name, engine_full, sorting_key FROM system.tables WHERE database = ?`
	rows, err := ch.DB.Query(ctx, olap.SQL(q, ch.Database))
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
	want := append([]string{"schema_migrations", olap.WatermarksTable}, olap.DerivedTables()...)
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

// A database that held stage changes before deal_paths existed gets the
// paths filled when the migration is applied: deal 7's two changes in
// time order (the later id first in time), a replayed change once, a
// deleted change left out, and deal 8 whose only change is deleted with
// an empty path.
func TestDealPathsMigrationBackfills(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	cols := []string{"id", "deal_id", "pipeline_id", "to_stage_id", "changed_at", "_version", "_deleted"}
	at := func(h int) time.Time { return time.Date(2025, 3, 1, h, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{int64(11), int64(7), int64(1), int64(3), at(12), uint64(5), uint8(0)},
		{int64(12), int64(7), int64(1), int64(2), at(9), uint64(5), uint8(0)},
		{int64(12), int64(7), int64(1), int64(2), at(9), uint64(6), uint8(0)}, // replayed
		{int64(13), int64(7), int64(1), int64(4), at(15), uint64(5), uint8(0)},
		{int64(13), int64(7), int64(1), int64(4), at(15), uint64(9), uint8(1)}, // deleted
		{int64(14), int64(8), int64(1), int64(2), at(10), uint64(5), uint8(0)},
		{int64(14), int64(8), int64(1), int64(2), at(10), uint64(7), uint8(1)},
	}
	if err := ch.DB.Insert(ctx, "stage_changes", cols, rows); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE {db}.deal_paths", "ALTER TABLE {db}.schema_migrations DELETE WHERE version = 2"} {
		if err := ch.DB.Exec(ctx, olap.SQL(strings.ReplaceAll(q, "{db}", ch.Database))); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	waitMutations(t, ch)
	if applied, err := olap.Migrate(ctx, ch.DB); err != nil || strings.Join(applied, " ") != "00002_deal_paths.sql" {
		t.Fatalf("migrate applied %v (%v), want 00002_deal_paths.sql", applied, err)
	}
	got := chTexts(t, ch, `SELECT concat(toString(deal_id), ' ', toString(ids), ' ', toString(stages), ' ', toString(times), ' v', toString(_version))
FROM {db}.deal_paths FINAL ORDER BY deal_id`)
	want := []string{
		"7 [12,11] [2,3] ['2025-03-01 09:00:00','2025-03-01 12:00:00'] v9",
		"8 [] [] [] v7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("deal_paths:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// waitMutations waits until the database's ALTER … DELETE mutations are done.
func waitMutations(t *testing.T, ch *testenv.CH) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if n := chTexts(t, ch, "SELECT toString(count()) FROM system.mutations WHERE database = '{db}' AND is_done = 0"); n[0] == "0" {
			return
		}
	}
	t.Fatal("mutations unfinished after 30 s")
}

// chTexts runs a one-String-column query ({db} is the test database).
func chTexts(t *testing.T, ch *testenv.CH, q string) []string {
	t.Helper()
	out, err := testenv.CHTexts(context.Background(), ch.DB, strings.ReplaceAll(q, "{db}", ch.Database))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
