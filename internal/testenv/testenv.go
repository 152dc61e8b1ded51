// Package testenv gives each test a fresh, migrated PostgreSQL and
// ClickHouse database on the private dev servers (started on demand
// through internal/devenv), copies CRM rows into the mirror the way a
// finished snapshot leaves them, and drops both in t.Cleanup. When the
// servers cannot be started the test fails: a skipped test proves
// nothing in CI. It is test support: it sits above the stores it
// migrates (crmcore, olap) and only tests import it.
package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/devenv"
)

var (
	dev        *devenv.Env
	devServers = &startOnce{what: "dev servers"}
)

// Dev starts (or finds) the private servers once per test binary.
func Dev(tb testing.TB) *devenv.Env {
	tb.Helper()
	devServers.do(tb, func(ctx context.Context) error {
		dev = devenv.New(devenv.DefaultDir(os.Getenv), os.Getenv, os.Stderr)
		return dev.Up(ctx)
	})
	return dev
}

// startOnce starts something once per test binary (ten minutes at most);
// every test after a failed start fails with its error.
type startOnce struct {
	what string
	once sync.Once
	err  error
}

func (s *startOnce) do(tb testing.TB, start func(context.Context) error) {
	tb.Helper()
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		s.err = start(ctx)
	})
	if s.err != nil {
		tb.Fatalf("%s: %v", s.what, s.err)
	}
}

// PG is a fresh migrated database for one test.
type PG struct {
	URL  string
	Name string
	Pool *pgxpool.Pool
}

// NewPG creates a database from a migrated template and drops it when the
// test ends.
func NewPG(tb testing.TB) *PG {
	tb.Helper()
	tmpl, err := template(context.Background(), Dev(tb))
	if err != nil {
		tb.Fatalf("template database: %v", err)
	}
	return newPG(tb, tmpl)
}

// NewEmptyPG is a fresh database with no migrations applied.
func NewEmptyPG(tb testing.TB) *PG {
	tb.Helper()
	return newPG(tb, "template0")
}

func newPG(tb testing.TB, tmpl string) *PG {
	tb.Helper()
	env := Dev(tb)
	ctx := context.Background()
	name := DBName()
	if err := adminExec(ctx, env, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmpl)); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	url := env.PGURL(name)
	pool, err := crmcore.OpenPool(ctx, url)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		pool.Close()
		if os.Getenv("VORONKA_KEEP_TEST_DB") == "" {
			dropSlots(context.Background(), env, name)
			_ = adminExec(context.Background(), env, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		}
	})
	return &PG{URL: url, Name: name, Pool: pool}
}

var (
	tmplOnce sync.Once
	tmplName string
	tmplErr  error
)

// template returns a database migrated to the current migrations, named by
// their fingerprint, created once across parallel test binaries (guarded
// by an advisory lock).
func template(ctx context.Context, env *devenv.Env) (string, error) {
	tmplOnce.Do(func() {
		tmplName, tmplErr = makeTemplate(ctx, env)
	})
	return tmplName, tmplErr
}

func makeTemplate(ctx context.Context, env *devenv.Env) (string, error) {
	name := "tmpl_" + migrationsHash()
	conn, err := pgx.Connect(ctx, env.PGURL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(4242)"); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(4242)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil || exists {
		return name, err
	}
	building := name + "_build"
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	if _, err := crmcore.Migrate(ctx, env.PGURL(building)); err != nil {
		return "", err
	}
	_, err = conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name)
	return name, err
}

func migrationsHash() string {
	h := sha256.New()
	fs.WalkDir(crmcore.MigrationsFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(crmcore.MigrationsFS(), p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// dropSlots removes the replication slots of database db (a test's
// stream may have left one): a slot pins WAL for the whole cluster and
// keeps the database from being dropped.
func dropSlots(ctx context.Context, env *devenv.Env, db string) {
	conn, err := pgx.Connect(ctx, env.PGURL("postgres"))
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	const q = `
SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL`
	conn.Exec(ctx, q, db)
	for i := 0; i < 50; i++ {
		_, err := conn.Exec(ctx, `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, db)
		var left int
		conn.QueryRow(ctx, `SELECT count(*) FROM pg_replication_slots WHERE database = $1`, db).Scan(&left)
		if err == nil && left == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func adminExec(ctx context.Context, env *devenv.Env, sql string) error {
	conn, err := pgx.Connect(ctx, env.PGURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
