package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/testenv"
)

func TestImportCommand(t *testing.T) {
	pg := testenv.NewPG(t)
	ctx := context.Background()
	s := crmcore.NewStore(pg.Pool)
	s.CreateUser(ctx, crmcore.NewUser{Email: "admin@x.ru", Name: "Админ", Role: "admin", Password: "secret"})
	mgr, _ := s.CreateUser(ctx, crmcore.NewUser{Email: "mgr@x.ru", Name: "Менеджер", Role: "manager", Password: "secret"})
	vars := map[string]string{"VORONKA_PG_URL": pg.URL}
	file := filepath.Join("..", "..", "crmcore", "intake", "testdata", "leads_cp1251.csv")
	out, err := runCLI(t, vars, "import", "--kind", "leads", "--file", file, "--dry-run", "--encoding", "cp1251")
	if err != nil || !strings.Contains(out, "line 5: skip: duplicate of line 2 (email)") ||
		!strings.Contains(out, "4 rows: 3 created, 0 updated, 1 skipped, 0 errors — dry run") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	count := func() int {
		var n int
		pg.Pool.QueryRow(ctx, `SELECT count(*) FROM leads WHERE responsible_id = $1 AND source = 'import'`, mgr.ID).Scan(&n)
		return n
	}
	if count() != 0 {
		t.Fatal("a dry run wrote leads")
	}
	out, err = runCLI(t, vars, "import", "--kind", "leads", "--file", file, "--responsible", "mgr@x.ru", "--map", "Комментарий=title")
	if err != nil || !strings.Contains(out, "applied") || count() != 3 {
		t.Fatalf("import: %v (%d leads)\n%s", err, count(), out)
	}
	var title string
	pg.Pool.QueryRow(ctx, `SELECT title FROM leads WHERE contact_name = 'Смирнов Олег Игоревич'`).Scan(&title)
	if title != "звонил в пятницу" {
		t.Errorf("--map did not take the comment column as title: %q", title)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Телефон;Почта\n+7 916 111 11 11;не почта\n"), 0o644)
	out, err = runCLI(t, vars, "import", "--kind", "leads", "--file", bad)
	if err == nil || !strings.Contains(out, "line 2: error [email]: not an e-mail address") || count() != 3 {
		t.Errorf("bad file: %v\n%s", err, out)
	}
	if _, err := runCLI(t, vars, "import", "--kind", "deals", "--file", bad); err == nil || !strings.Contains(err.Error(), "kind") {
		t.Errorf("unknown kind: %v", err)
	}
}
