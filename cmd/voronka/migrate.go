package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/olap"
)

func runMigrate(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	return migrateAll(ctx, cfg, env)
}

func migrateAll(ctx context.Context, cfg *Config, env *cliEnv) error {
	applied, err := crmcore.Migrate(ctx, cfg.PGURL)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "postgresql: %d migration(s) applied\n", len(applied))
	return migrateClickHouse(ctx, cfg, env)
}

func migrateClickHouse(ctx context.Context, cfg *Config, env *cliEnv) error {
	ch, err := openClickHouse(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer ch.Close()
	version, err := ch.ServerVersion()
	if err != nil {
		return err
	}
	applied, err := olap.Migrate(ctx, ch)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "clickhouse: %d migration(s) applied (server %s, database %s)\n", len(applied), version, cfg.CHDatabase)
	return nil
}

func parseAndValidate(fs *flag.FlagSet, args []string, cfg *Config) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected arguments %v", fs.Name(), fs.Args())
	}
	return cfg.Validate()
}
