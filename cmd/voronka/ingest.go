package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/olap"
)

// runIngest is `voronka ingest [run|verify|drop-slot]`: the change stream
// alone, the reconcile check, or retiring the replication slot.
func runIngest(ctx context.Context, args []string, env *cliEnv) error {
	action := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		action, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("ingest "+action, flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	switch action {
	case "run":
		return ingestRun(ctx, cfg)
	case "verify":
		return ingestVerify(ctx, cfg, env)
	case "drop-slot":
		if err := ingest.DropSlot(ctx, cfg.PGURL, cfg.Slot()); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "replication slot %s dropped\n", cfg.Slot())
		return nil
	}
	return fmt.Errorf("unknown ingest action %q: want run, verify or drop-slot", action)
}

// newStreamer builds the change stream from the config.
func newStreamer(cfg *Config, ch *olap.DB) (*ingest.Streamer, error) {
	return ingest.New(ingest.Config{
		PGURL:         cfg.PGURL,
		Slot:          cfg.Slot(),
		BatchRows:     cfg.IngestBatchRows,
		BatchWait:     cfg.IngestBatchWait,
		InsertTimeout: cfg.IngestInsertTimeout,
		Logger:        cfg.Logger().With("part", "ingest"),
	}, ch)
}

func ingestRun(ctx context.Context, cfg *Config) error {
	ch, err := openClickHouse(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer ch.Close()
	s, err := newStreamer(cfg, ch)
	if err != nil {
		return err
	}
	cfg.Logger().Info("ingest running", "slot", cfg.Slot(), "clickhouse", cfg.CHAddr, "database", cfg.CHDatabase)
	return s.Run(ctx)
}

// ingestVerify compares every mirrored table; differences exit non-zero.
func ingestVerify(ctx context.Context, cfg *Config, env *cliEnv) error {
	pool, ch, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer ch.Close()
	rep, err := ingest.Verify(ctx, pool, ch)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if err := rep.WriteText(env.stdout); err != nil {
		return err
	}
	if !rep.OK() {
		return errors.New("verify: PostgreSQL and ClickHouse differ in " + fmt.Sprint(rep.Failed()))
	}
	return nil
}
