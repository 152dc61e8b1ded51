package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/devenv"
	"github.com/voronka/voronka/internal/testenv"
)

// runCLI runs the voronka command line in-process with the given
// environment and returns stdout.
func runCLI(t *testing.T, vars map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := cliGetenv(vars)
	err := run(context.Background(), args, getenv, &out, &errOut)
	return out.String(), err
}

// cliGetenv serves vars, falling back to the process environment for the
// dev-server settings (VORONKA_DEV_*), so a run with other private ports
// reaches the same servers the test helpers started.
func cliGetenv(vars map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "VORONKA_DEV_") {
			return os.Getenv(k)
		}
		return ""
	}
}

func TestMigrateIsIdempotentAndUserAdd(t *testing.T) {
	pg := testenv.NewEmptyPG(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL, "VORONKA_CH_DATABASE": testenv.NewEmptyCH(t).Database}
	out, err := runCLI(t, vars, "migrate")
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if strings.Contains(out, ": 0 migration") || !strings.Contains(out, "clickhouse: ") {
		t.Fatalf("first migrate applied nothing to a store: %s", out)
	}
	out, err = runCLI(t, vars, "migrate")
	if err != nil || !strings.Contains(out, "postgresql: 0 migration(s) applied") || !strings.Contains(out, "clickhouse: 0 migration(s) applied") {
		t.Fatalf("second migrate: %v %q", err, out)
	}
	var stages int
	pg.Pool.QueryRow(context.Background(), `SELECT count(*) FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.code = 'sales'`).Scan(&stages)
	if stages != 11 {
		t.Errorf("sales pipeline has %d stages, want the 11 of the issue", stages)
	}
	out, err = runCLI(t, vars, "user", "add", "--email", "olga@example.ru", "--name", "Смирнова Ольга", "--role", "director", "--password", "секрет")
	if err != nil || !strings.Contains(out, "Смирнова Ольга") {
		t.Fatalf("user add: %v %q", err, out)
	}
	var role, hash string
	pg.Pool.QueryRow(context.Background(), `SELECT role, password_hash FROM users WHERE email = 'olga@example.ru'`).Scan(&role, &hash)
	if role != "director" || !strings.HasPrefix(hash, "$2") || strings.Contains(hash, "секрет") {
		t.Errorf("stored role %q hash %q: want director and a bcrypt hash", role, hash)
	}
	if _, err := runCLI(t, vars, "user", "add", "--email", "x@y.ru", "--name", "X", "--role", "boss", "--password", "1234"); err == nil ||
		!strings.Contains(err.Error(), "role") {
		t.Errorf("bad role accepted: %v", err)
	}
}

func TestConfigValidationNamesTheVariable(t *testing.T) {
	// Stores nobody listens on: a configuration that wrongly passes
	// fails to connect, with an error naming no variable.
	nowhere := func(vars map[string]string) map[string]string {
		vars["VORONKA_PG_URL"], vars["VORONKA_CH_ADDR"] = "postgres://nobody@127.0.0.1:1/none", "127.0.0.1:1"
		return vars
	}
	cases := []struct {
		vars  map[string]string
		flags []string
		want  string // the variable or flag the error names
	}{
		{map[string]string{"VORONKA_PG_URL": "mysql://x"}, nil, "VORONKA_PG_URL"},
		{map[string]string{"VORONKA_SMTP_URL": "http://mail"}, nil, "VORONKA_SMTP_URL"},
		{map[string]string{"VORONKA_PUBLIC_URL": "crm.example.ru"}, nil, "VORONKA_PUBLIC_URL"},
		{map[string]string{"VORONKA_LOG_LEVEL": "loud"}, nil, "VORONKA_LOG_LEVEL"},
		// a value that does not parse is refused, not read as 0 or the largest int…
		{nowhere(map[string]string{"VORONKA_INGEST_BATCH_ROWS": "99999999999999999999"}), nil, "VORONKA_INGEST_BATCH_ROWS"},
		{nowhere(map[string]string{"VORONKA_INGEST_BATCH_ROWS": "many"}), nil, "VORONKA_INGEST_BATCH_ROWS"},
		{nowhere(map[string]string{"VORONKA_INGEST_BATCH_WAIT": "soon"}), nil, "VORONKA_INGEST_BATCH_WAIT"},
		{nowhere(map[string]string{"VORONKA_SCHEDULER_TICK": "often"}), nil, "VORONKA_SCHEDULER_TICK"},
		{nowhere(map[string]string{"VORONKA_INGEST_INSERT_TIMEOUT": "ten"}), nil, "VORONKA_INGEST_INSERT_TIMEOUT"},
		{nowhere(map[string]string{"VORONKA_INGEST_INSERT_TIMEOUT": "0s"}), nil, "VORONKA_INGEST_INSERT_TIMEOUT"},
		{nowhere(map[string]string{"VORONKA_REPORT_CACHE_TTL": "long"}), nil, "VORONKA_REPORT_CACHE_TTL"},
		{nowhere(map[string]string{"VORONKA_REPORT_MAX_STALENESS": "soon"}), nil, "VORONKA_REPORT_MAX_STALENESS"},
		{nowhere(map[string]string{"VORONKA_REPORT_MAX_STALENESS": "0s"}), nil, "VORONKA_REPORT_MAX_STALENESS"},
		// …nor hidden by its flag…
		{nowhere(map[string]string{"VORONKA_INGEST_BATCH_ROWS": "many"}), []string{"--ingest-batch-rows", "100"}, "VORONKA_INGEST_BATCH_ROWS"},
		{nowhere(map[string]string{"VORONKA_INGEST_BATCH_WAIT": "soon"}), []string{"--ingest-batch-wait", "1s"}, "VORONKA_INGEST_BATCH_WAIT"},
		{nowhere(map[string]string{"VORONKA_SCHEDULER_TICK": "often"}), []string{"--scheduler-tick", "30s"}, "VORONKA_SCHEDULER_TICK"},
		{nowhere(map[string]string{"VORONKA_REPORT_CACHE_TTL": "long"}), []string{"--report-cache-ttl", "1m"}, "VORONKA_REPORT_CACHE_TTL"},
		{nowhere(map[string]string{"VORONKA_REPORT_MAX_STALENESS": "soon"}), []string{"--report-max-staleness", "1s"}, "VORONKA_REPORT_MAX_STALENESS"},
		// …and the flags refuse bad values themselves
		{nowhere(map[string]string{}), []string{"--ingest-batch-rows", "many"}, "-ingest-batch-rows"},
		{nowhere(map[string]string{}), []string{"--ingest-batch-rows", "0"}, "VORONKA_INGEST_BATCH_ROWS"},
		{nowhere(map[string]string{}), []string{"--ingest-batch-wait", "soon"}, "-ingest-batch-wait"},
		{nowhere(map[string]string{}), []string{"--scheduler-tick", "often"}, "-scheduler-tick"},
		{nowhere(map[string]string{}), []string{"--scheduler-tick", "500ms"}, "VORONKA_SCHEDULER_TICK"},
	}
	for _, c := range cases {
		_, err := runCLI(t, c.vars, append([]string{"migrate"}, c.flags...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: error %v, want one naming %s", c.vars, c.flags, err, c.want)
		}
	}
	if _, err := runCLI(t, nil, "frobnicate"); err == nil {
		t.Error("unknown command accepted")
	}
}

// Without VORONKA_PG_URL and VORONKA_CH_ADDR the configuration points at
// the dev servers' addresses, on their default ports or those of
// VORONKA_DEV_*_PORT, as `voronka dev env` prints them.
func TestConfigDefaultsAreTheDevServers(t *testing.T) {
	for _, c := range []struct {
		vars          map[string]string
		pgURL, chAddr string
	}{
		{map[string]string{}, "postgres://voronka@127.0.0.1:55432/voronka?sslmode=disable", "127.0.0.1:19000"},
		{map[string]string{"VORONKA_DEV_PG_PORT": "15432", "VORONKA_DEV_CH_PORT": "19999"},
			"postgres://voronka@127.0.0.1:15432/voronka?sslmode=disable", "127.0.0.1:19999"},
	} {
		getenv := func(k string) string { return c.vars[k] }
		cfg := loadConfig(flag.NewFlagSet("test", flag.ContinueOnError), getenv)
		if cfg.PGURL != c.pgURL || cfg.CHAddr != c.chAddr {
			t.Errorf("%v: defaults %s and %s, want %s and %s", c.vars, cfg.PGURL, cfg.CHAddr, c.pgURL, c.chAddr)
		}
		dev := devenv.New(t.TempDir(), getenv, nil)
		if want := dev.EnvLines(); !strings.Contains(want[0], cfg.PGURL) || !strings.Contains(want[1], cfg.CHAddr) {
			t.Errorf("%v: defaults %s and %s, but voronka dev env prints %v", c.vars, cfg.PGURL, cfg.CHAddr, want)
		}
	}
}

func TestDevStatusAndEnv(t *testing.T) {
	testenv.Dev(t)
	out, err := runCLI(t, nil, "dev", "status")
	if err != nil || !strings.Contains(out, "postgresql running") || !strings.Contains(out, "clickhouse running") {
		t.Fatalf("dev status: %v\n%s", err, out)
	}
	out, _ = runCLI(t, nil, "dev", "env")
	if !strings.Contains(out, "export VORONKA_PG_URL=") || !strings.Contains(out, "export VORONKA_CH_ADDR=") {
		t.Fatalf("dev env: %s", out)
	}
}

func TestSeedIfEmptySeedsOnce(t *testing.T) {
	pg := testenv.NewEmptyPG(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL}
	if _, err := runCLI(t, vars, "seed", "--deals", "40", "--if-empty", "--now", "2026-06-30T18:00:00+03:00"); err != nil {
		t.Fatalf("first seed: %v", err)
	}
	out, err := runCLI(t, vars, "seed", "--deals", "40", "--if-empty")
	if err != nil || !strings.Contains(out, "already holds 40 deals") {
		t.Fatalf("second seed --if-empty: %v %q", err, out)
	}
	var n int
	pg.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n)
	if n != 40 {
		t.Fatalf("deals = %d, want 40 (seeded once)", n)
	}
}
