package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/olap"
)

func runServe(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	return serve(ctx, cfg, nil)
}

// serve runs the HTTP server until ctx ends. started, when not nil, is
// called once the stores are connected, just before listening.
func serve(ctx context.Context, cfg *Config, started func()) error {
	log := cfg.Logger()
	log.Info("starting voronka", "config", cfg)
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	ch, err := olap.Open(ctx, cfg.CHAddr, cfg.CHDatabase)
	if err != nil {
		return err
	}
	defer ch.Close()
	store := crmcore.NewStore(pool)
	srv := dashboards.New(dashboards.Deps{
		Store:  store,
		Log:    log,
		Ready:  readiness(store, ch),
		Secure: cfg.Secure,
	})
	if started != nil {
		started()
	}
	log.Info("listening", "addr", "http://"+cfg.HTTPAddr)
	if err := srv.Serve(ctx, cfg.HTTPAddr); err != nil {
		return fmt.Errorf("http server: %w", err)
	}
	log.Info("stopped")
	return nil
}

// readiness reports each store that does not answer, by name only.
func readiness(store *crmcore.Store, ch *olap.DB) func(context.Context) error {
	return func(ctx context.Context) error {
		var errs []error
		if err := store.Ping(ctx); err != nil {
			slog.Warn("postgresql not ready", "err", err)
			errs = append(errs, errors.New("postgresql unreachable"))
		}
		if err := ch.Ping(ctx); err != nil {
			slog.Warn("clickhouse not ready", "err", err)
			errs = append(errs, errors.New("clickhouse unreachable"))
		}
		return errors.Join(errs...)
	}
}
