package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/schedule"
)

// runScheduler is `voronka scheduler`: the export scheduler alone, for
// deployments that run it apart from `voronka serve`.
func runScheduler(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("scheduler", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	pool, ch, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer ch.Close()
	svc, err := newSchedules(cfg, pool, &engine.Engine{CH: ch, Now: time.Now})
	if err != nil {
		return err
	}
	svc.Log.Info("scheduler running", "config", cfg, "every", cfg.SchedulerTick)
	return svc.Loop(ctx, cfg.SchedulerTick)
}

// newSchedules builds the scheduled-export service: mail through
// VORONKA_SMTP_URL when set, else files to VORONKA_EXPORT_DIR.
func newSchedules(cfg *Config, pool *pgxpool.Pool, eng *engine.Engine) (*schedule.Service, error) {
	host, _ := os.Hostname()
	svc := &schedule.Service{PG: pool, Engine: eng, Dir: cfg.ExportDir, Worker: fmt.Sprintf("%s:%d", host, os.Getpid()),
		Log: cfg.Logger().With("part", "scheduler"), BaseURL: cfg.PublicURL}
	if svc.BaseURL == "" {
		svc.BaseURL = "http://" + cfg.HTTPAddr
	}
	if cfg.SMTPURL != "" {
		m, err := schedule.ParseSMTPURL(cfg.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("VORONKA_SMTP_URL: %w", err)
		}
		svc.Mailer = m
	}
	return svc, nil
}

// startScheduler runs the scheduler in the background unless
// VORONKA_NO_SCHEDULER / --no-scheduler; done closes when it has stopped.
func startScheduler(ctx context.Context, cfg *Config, svc *schedule.Service) <-chan struct{} {
	done := make(chan struct{})
	if cfg.NoScheduler {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		_ = svc.Loop(ctx, cfg.SchedulerTick)
	}()
	return done
}
