package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/internal/devenv"
)

// runDemo is the newcomer's one command: private servers, migrations,
// demo data when the database is empty, then the server, with the address
// and the demo logins printed once it listens.
func runDemo(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	deals := fs.Int("deals", 20000, "demo deals to seed when the database holds none")
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	if env.getenv("VORONKA_PG_URL") == "" || env.getenv("VORONKA_CH_ADDR") == "" {
		fmt.Fprintln(env.stderr, "starting the private PostgreSQL and ClickHouse under", cfg.DevDir)
		if err := devenv.New(cfg.DevDir, env.getenv, env.stderr).Up(ctx); err != nil {
			return fmt.Errorf("dev up: %w", err)
		}
	}
	if err := migrateAll(ctx, cfg, env); err != nil {
		return err
	}
	if err := seedIfEmpty(ctx, cfg, env, *deals); err != nil {
		return err
	}
	return serve(ctx, cfg, func() { printWelcome(env, cfg) })
}

// seedIfEmpty seeds demo data unless the database already has deals.
func seedIfEmpty(ctx context.Context, cfg *Config, env *cliEnv, deals int) error {
	n, err := dealCount(ctx, cfg)
	if err != nil || n > 0 {
		if err == nil {
			fmt.Fprintf(env.stdout, "database already holds %d deals; not seeding\n", n)
		}
		return err
	}
	_, err = seedDemo(ctx, cfg, env, deals)
	return err
}

// dealCount is the number of deals in the database (0 before migrations).
func dealCount(ctx context.Context, cfg *Config) (int64, error) {
	if _, err := crmcore.Migrate(ctx, cfg.PGURL); err != nil {
		return 0, err
	}
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM deals`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count deals: %w", err)
	}
	return n, nil
}

func printWelcome(env *cliEnv, cfg *Config) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nVoronka is running at http://%s\nDemo logins (e-mail, role, password):\n", cfg.HTTPAddr)
	for _, a := range seed.DemoAccounts {
		fmt.Fprintf(&b, "  %-28s %-9s %s\n", a.Email, a.Role, a.Password)
	}
	b.WriteString("Press Ctrl-C to stop.\n")
	fmt.Fprint(env.stdout, b.String())
}
