package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/seed"
)

// runSeed is `voronka seed [--deals N] [--seed S] [--now T]`: migrate, then
// append a deterministic batch of demo CRM data.
func runSeed(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := loadConfig(fs, env.getenv)
	deals := fs.Int("deals", 20000, "number of deals to generate (leads ≈ deals, companies ≈ deals/5, contacts ≈ deals/3)")
	seedNum := fs.Uint64("seed", 1, "random seed: the same seed, --deals and --now give the same data")
	nowArg := fs.String("now", "", "the clock as RFC 3339, e.g. 2025-06-30T18:00:00+03:00 (default: now); data covers the two years before it")
	ifEmpty := fs.Bool("if-empty", false, "seed only when the database holds no deals (for container start-up)")
	triggers := fs.Bool("fk-triggers", false, "keep foreign-key triggers firing during the load (~5x slower; needs no superuser)")
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	if *deals < 0 {
		return fmt.Errorf("seed: --deals must not be negative")
	}
	now := time.Now()
	if *nowArg != "" {
		t, err := time.Parse(time.RFC3339, *nowArg)
		if err != nil {
			return fmt.Errorf("seed: --now: %w", err)
		}
		now = t
	}
	if *ifEmpty {
		if n, err := dealCount(ctx, cfg); err != nil || n > 0 {
			if err == nil {
				fmt.Fprintf(env.stdout, "database already holds %d deals; not seeding\n", n)
			}
			return err
		}
	}
	opts := seed.Options{Deals: *deals, Seed: *seedNum, Now: now, Progress: env.stderr, FKTriggers: *triggers}
	if _, err := seedWith(ctx, cfg, env, opts); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "demo logins (password %q):", seed.DemoPassword)
	for _, a := range seed.DemoAccounts {
		fmt.Fprintf(env.stdout, " %s", a.Email)
	}
	fmt.Fprintf(env.stdout, " (and manager2…manager%d)\n", seed.Managers)
	return nil
}

// seedDemo migrates and seeds deals deals with seed 1 at the current time,
// drawing progress on env.stderr and printing the summary on env.stdout.
// It is the seeding step of `voronka demo`.
func seedDemo(ctx context.Context, cfg *Config, env *cliEnv, deals int) (seed.Stats, error) {
	return seedWith(ctx, cfg, env, seed.Options{Deals: deals, Seed: 1, Now: time.Now(), Progress: env.stderr})
}

func seedWith(ctx context.Context, cfg *Config, env *cliEnv, opts seed.Options) (seed.Stats, error) {
	if _, err := crmcore.Migrate(ctx, cfg.PGURL); err != nil {
		return seed.Stats{}, err
	}
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return seed.Stats{}, err
	}
	defer pool.Close()
	st, err := seed.Run(ctx, pool, opts)
	if err != nil {
		return st, err
	}
	printSeedSummary(env.stdout, st)
	return st, nil
}

func printSeedSummary(w io.Writer, st seed.Stats) {
	secs := st.Elapsed.Seconds()
	fmt.Fprintf(w, "seeded %d deals in %s: %.0f deals/s, %.0f rows/s\n",
		st.Deals, st.Elapsed.Round(time.Millisecond), st.DealsPerSecond(), float64(st.Rows())/max(secs, 1e-9))
	for _, t := range st.Tables() {
		fmt.Fprintf(w, "  %-20s %10d\n", t.Table, t.Rows)
	}
	if !st.FastLoad {
		fmt.Fprintln(w, "  (loaded with foreign-key triggers on)")
	}
}
