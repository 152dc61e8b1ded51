package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/testenv"
)

// TestCallsImportCommand: `voronka calls import` on the intake fixture
// (testdata/Master.csv: lines 1–5 are 101's, 102's and ivanov's calls
// and one internal call, line 6 is extension 105's, which nobody has).
func TestCallsImportCommand(t *testing.T) {
	pg := testenv.NewPG(t)
	ctx := context.Background()
	s := crmcore.NewStore(pg.Pool)
	s.CreateUser(ctx, crmcore.NewUser{Email: "admin@x.ru", Name: "Админ", Role: "admin", Password: "secret"})
	vars := map[string]string{"VORONKA_PG_URL": pg.URL}
	for _, ext := range []string{"101", "102", "ivanov"} {
		if _, err := runCLI(t, vars, "user", "add", "--email", ext+"@x.ru", "--name", "Сотрудник "+ext, "--role", "manager",
			"--password", "secret", "--extension", ext); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join("..", "..", "crmcore", "intake", "testdata", "Master.csv")
	count := func() int {
		var n int
		pg.Pool.QueryRow(ctx, `SELECT count(*) FROM activities WHERE type = 'call'`).Scan(&n)
		return n
	}
	out, err := runCLI(t, vars, "calls", "import", "--file", file)
	if err == nil || !strings.Contains(out, "line 6: error [extension]: no user has extension 105") ||
		!strings.Contains(out, "6 rows: 4 added, 0 duplicates, 1 internal skipped, 1 errors — NOT applied") || count() != 0 {
		t.Fatalf("unknown extension: %v\n%s", err, out)
	}
	if _, err := runCLI(t, vars, "user", "add", "--email", "new@x.ru", "--name", "Новый", "--role", "manager",
		"--password", "secret", "--extension", "105"); err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, vars, "calls", "import", "--file", file, "--min-digits", "5", "--zone", "Europe/Moscow")
	if err != nil || !strings.Contains(out, "line 4: skipped_internal: internal call 101 → 102") ||
		!strings.Contains(out, "6 rows: 5 added, 0 duplicates, 1 internal skipped, 0 errors — applied") || count() != 5 {
		t.Fatalf("import: %v (%d calls)\n%s", err, count(), out)
	}
	out, err = runCLI(t, vars, "calls", "import", "--file", file)
	if err != nil || !strings.Contains(out, "6 rows: 0 added, 5 duplicates, 1 internal skipped, 0 errors — applied") || count() != 5 {
		t.Fatalf("again: %v (%d calls)\n%s", err, count(), out)
	}
	if _, err := runCLI(t, vars, "calls", "import", "--file", file, "--format", "cisco"); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("bad format: %v", err)
	}
}
