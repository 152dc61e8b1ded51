package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/devenv"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// startPrivate starts a PostgreSQL + ClickHouse pair of this test's own
// (fresh cluster, free ports) under var/faults/, so the fault tests can
// stop and restart real servers without touching the shared dev servers
// every other package's tests use. t.TempDir() will not do when we run
// as root: PostgreSQL runs as the postgres user, which cannot enter it.
// The pair is stopped and its directory removed when the test ends,
// failed or not.
func startPrivate(t *testing.T) *devenv.Env {
	t.Helper()
	parent := filepath.Join(devenv.DefaultDir(os.Getenv), "faults")
	dev, err := devenv.NewPrivate(parent, testLog{t})
	if err != nil {
		t.Fatalf("private servers: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := dev.Destroy(ctx); err != nil {
			t.Errorf("destroy private servers: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := dev.Up(ctx); err != nil {
		t.Fatalf("start private servers in %s: %v", dev.Dir, err)
	}
	return dev
}

// testLog sends devenv's progress lines to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("devenv: %s", p)
	return len(p), nil
}

// newPrivateEnv creates a migrated PostgreSQL database and a migrated
// ClickHouse database named name on the private pair, as an env the
// shared helpers (waitSynced, verifyClean, …) work with. Everything goes
// with the pair when the test ends; the pool and connection close first.
func newPrivateEnv(t *testing.T, dev *devenv.Env, name string) *env {
	return newPrivateEnvOn(t, dev, name, dev.CHAddr(), "")
}

// newPrivateEnvOn is newPrivateEnv with the ClickHouse database on the
// nodes at chAddr, in cluster mode when cluster is not "".
func newPrivateEnvOn(t *testing.T, dev *devenv.Env, name, chAddr, cluster string) *env {
	t.Helper()
	ctx := context.Background()
	pgURL := dev.PGURL(name)
	admin, err := crmcore.OpenPool(ctx, dev.PGURL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
	admin.Close()
	if err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	if _, err := crmcore.Migrate(ctx, pgURL); err != nil {
		t.Fatalf("migrate %s: %v", name, err)
	}
	pool, err := crmcore.OpenPool(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ch, err := olap.OpenCluster(ctx, chAddr, name, cluster)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	if _, err := olap.Migrate(ctx, ch); err != nil {
		t.Fatalf("migrate clickhouse %s: %v", name, err)
	}
	return &env{t: t, slot: name,
		pg: &testenv.PG{URL: pgURL, Name: name, Pool: pool},
		ch: &testenv.CH{DB: ch, Database: name, Addr: chAddr}}
}

// director is a user who may create and move any deal.
func (e *env) director() domain.Principal {
	e.t.Helper()
	store := crmcore.NewStore(e.pg.Pool)
	u, err := store.CreateUser(context.Background(), crmcore.NewUser{
		Email: "director@faults.test", Name: "Директор", Role: "director", Password: "secret"})
	if err != nil {
		e.t.Fatal(err)
	}
	return domain.Principal{UserID: u.ID, Name: u.Name, Email: u.Email, Role: domain.RoleDirector}
}
