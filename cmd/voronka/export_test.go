package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports/reportstest"
)

// TestExportCommand writes a standard report as a manager and a
// definition file as everyone: the totals are PostgreSQL's sums over the
// same deals; bad flags are refused before anything is written.
func TestExportCommand(t *testing.T) {
	fx := reportstest.New(t)
	vars := map[string]string{"VORONKA_PG_URL": fx.PG.URL, "VORONKA_CH_DATABASE": fx.CH.Database, "VORONKA_LOG_LEVEL": "warn"}
	dir := t.TempDir()
	sum := func(where string) string {
		var s string
		fx.PG.Pool.QueryRow(context.Background(), `SELECT (sum(d.amount)::float8)::text FROM deals d JOIN users u ON u.id = d.responsible_id
WHERE `+where+` AND d.created_at >= '2025-02-01 00:00+03' AND d.created_at < '2025-03-01 00:00+03'`).Scan(&s)
		return s
	}
	out := filepath.Join(dir, "ivan.xlsx")
	if _, err := runCLI(t, vars, "export", "--report", "deals_by_stage", "--from", "2025-02-01", "--to", "2025-02-28",
		"--as", "ivan@test.local", "--out", out); err != nil {
		t.Fatal(err)
	}
	if got, want := totalsCell(t, out, "D"), sum("u.email = 'ivan@test.local'"); got != want {
		t.Errorf("ivan's amount total %q, PostgreSQL %q", got, want)
	}
	def := filepath.Join(dir, "def.json")
	os.WriteFile(def, []byte(`{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}],"period":{"from":"2025-02-01","to":"2025-02-28"}}`), 0o600)
	out = filepath.Join(dir, "all.xlsx")
	if stdout, err := runCLI(t, vars, "export", "--definition", def, "--out", out); err != nil || !strings.Contains(stdout, ": 5 rows") {
		t.Fatalf("export --definition: %v %q", err, stdout)
	}
	if got, want := totalsCell(t, out, "B"), sum("true"); got != want {
		t.Errorf("amount total %q, PostgreSQL %q", got, want)
	}
	for _, args := range [][]string{
		{"export", "--out", filepath.Join(dir, "x.xlsx")},
		{"export", "--report", "deals_by_stage"},
		{"export", "--report", "deals_by_stage", "--definition", def, "--out", filepath.Join(dir, "x.xlsx")},
		{"export", "--report", "nope", "--out", filepath.Join(dir, "x.xlsx")},
		{"export", "--report", "deals_by_stage", "--as", "nobody@test.local", "--out", filepath.Join(dir, "x.xlsx")},
	} {
		if _, err := runCLI(t, vars, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.xlsx")); !os.IsNotExist(err) {
		t.Errorf("a refused export left a file: %v", err)
	}
}

// totalsCell reads the totals row's cell in column col.
func totalsCell(t *testing.T, path, col string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Отчёт", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	i := int(col[0] - 'A')
	if last[0] != "Итого" || i >= len(last) {
		t.Fatalf("last row %q is not the totals", last)
	}
	return last[i]
}
