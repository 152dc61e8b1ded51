package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

func runServe(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	return serve(ctx, cfg, nil)
}

// serve runs the HTTP server and, unless disabled, the change stream and
// the export scheduler in this process, until ctx ends. started, when not nil, is called once the
// stores are connected, just before listening.
func serve(ctx context.Context, cfg *Config, started func()) error {
	log := cfg.Logger()
	log.Info("starting voronka", "config", cfg)
	pool, ch, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer ch.Close()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	mon, ingestDone, err := startIngest(ctx, cfg, ch, reg, log)
	if err != nil {
		return err
	}
	store := crmcore.NewStore(pool)
	var cache *engine.Cache // VORONKA_REPORT_CACHE_TTL=0: none
	if cfg.ReportCacheTTL > 0 {
		cache = &engine.Cache{TTL: cfg.ReportCacheTTL, MaxStaleness: cfg.ReportMaxStaleness}
		registerCacheMetrics(reg, cache)
	}
	eng := &engine.Engine{CH: ch, Now: time.Now, Cache: cache}
	schedules, err := newSchedules(cfg, pool, eng)
	if err != nil {
		return err
	}
	schedulerDone := startScheduler(ctx, cfg, schedules)
	deps := server.Deps{
		Store:     store,
		Reports:   eng,
		Saved:     &saved.Store{PG: pool, Now: time.Now},
		Schedules: schedules,
		Log:       log,
		Ready:     readiness(store, ch, mon, log),
		Secure:    cfg.Secure,
		Metrics:   promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),

		MetricsToken: cfg.MetricsToken,
		Registerer:   reg,
	}
	deps.TrustedProxies, _ = cfg.Proxies() // Validate checked them
	if mon != nil {
		deps.Ingest = mon
	}
	srv := dashboards.New(deps)
	mailDone := startMailbox(ctx, cfg, store, log)
	if started != nil {
		started()
	}
	log.Info("listening", "addr", "http://"+cfg.HTTPAddr)
	err = srv.Serve(ctx, cfg.HTTPAddr)
	stop()
	<-ingestDone
	<-schedulerDone
	<-mailDone
	if err != nil {
		return fmt.Errorf("http server: %w", err)
	}
	log.Info("stopped")
	return nil
}

// openStores connects to both stores; the caller closes them.
func openStores(ctx context.Context, cfg *Config) (*pgxpool.Pool, *olap.DB, error) {
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return nil, nil, err
	}
	ch, err := openClickHouse(ctx, cfg, false)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return pool, ch, nil
}

// openClickHouse connects and checks the server's version (logged;
// refused outside olap.TestedVersions unless cfg.CHAnyVersion). An
// unreachable server is an error when mustAnswer, else a warning: the
// readiness check and the ingest retries take over.
func openClickHouse(ctx context.Context, cfg *Config, mustAnswer bool) (*olap.DB, error) {
	ch, err := olap.OpenCluster(ctx, cfg.CHAddr, cfg.CHDatabase, cfg.CHCluster)
	if err != nil {
		return nil, err
	}
	ch.AnyVersion = cfg.CHAnyVersion
	log := cfg.Logger()
	_, err = ch.Probe(ctx, log)
	if err == nil && cfg.CHCluster != "" {
		var nodes []olap.ClusterNode
		if nodes, err = ch.CheckCluster(ctx); err == nil {
			log.Info("clickhouse cluster", "cluster", cfg.CHCluster, "nodes", len(nodes))
		}
	}
	if err == nil {
		err = ch.CheckLayout(ctx)
	}
	switch {
	case err == nil:
	case !mustAnswer && errors.Is(err, olap.ErrUnreachable):
		log.Warn("clickhouse does not answer yet", "addr", cfg.CHAddr, "err", err)
	default:
		ch.Close()
		return nil, err
	}
	return ch, nil
}

// ingestMonitor adapts the stream to what the dashboards show.
type ingestMonitor struct{ s *ingest.Streamer }

func (m ingestMonitor) Status() any    { return m.s.Status() }
func (m ingestMonitor) Healthy() error { return m.s.Healthy() }

// startIngest runs the change stream in the background unless
// VORONKA_NO_INGEST / --no-ingest; done closes when it has stopped.
func startIngest(ctx context.Context, cfg *Config, ch *olap.DB, reg prometheus.Registerer, log *slog.Logger) (*ingestMonitor, <-chan struct{}, error) {
	done := make(chan struct{})
	if cfg.NoIngest {
		close(done)
		return nil, done, nil
	}
	s, err := newStreamer(cfg, ch)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Register(reg); err != nil {
		return nil, nil, err
	}
	go func() {
		defer close(done)
		if err := s.Run(ctx); err != nil {
			log.Error("ingest stopped", "err", err)
		}
	}()
	return &ingestMonitor{s}, done, nil
}

// readiness reports each part that does not answer, by name only (the
// cause goes to log).
func readiness(store *crmcore.Store, ch *olap.DB, mon *ingestMonitor, log *slog.Logger) func(context.Context) error {
	return func(ctx context.Context) error {
		var errs []error
		if err := store.Ping(ctx); err != nil {
			log.Warn("postgresql not ready", "err", err)
			errs = append(errs, errors.New("postgresql unreachable"))
		}
		if err := ch.Ping(ctx); err != nil {
			log.Warn("clickhouse not ready", "err", err)
			errs = append(errs, errors.New("clickhouse unreachable"))
		} else if err := ch.CheckReplicas(ctx); err != nil {
			log.Warn("clickhouse replicas not ready", "err", err)
			errs = append(errs, errors.New("clickhouse replicas read-only"))
		}
		if mon != nil {
			if err := mon.Healthy(); err != nil {
				errs = append(errs, errors.New("ingest retrying: "+err.Error()))
			}
		}
		return errors.Join(errs...)
	}
}

// registerCacheMetrics exports the report cache's counters.
func registerCacheMetrics(reg *prometheus.Registry, c *engine.Cache) {
	for _, m := range []struct {
		name, help string
		get        func(engine.CacheStats) int64
	}{
		{"voronka_report_cache_hits_total", "Report answers from the cache whose tables had not changed.", func(s engine.CacheStats) int64 { return s.Hits }},
		{"voronka_report_cache_stale_total", "Report answers served within the staleness bound while one run refreshed them.", func(s engine.CacheStats) int64 { return s.Stale }},
		{"voronka_report_cache_misses_total", "Report answers computed while the caller waited.", func(s engine.CacheStats) int64 { return s.Misses }},
		{"voronka_report_statement_hits_total", "Statements of computed answers read from the statement memo (their tables had not changed).", func(s engine.CacheStats) int64 { return s.StatementHits }},
		{"voronka_report_statement_runs_total", "Statements of computed answers run in ClickHouse (no rows kept for them still held).", func(s engine.CacheStats) int64 { return s.StatementRuns }},
	} {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: m.name, Help: m.help},
			func() float64 { return float64(m.get(c.Stats())) }))
	}
}
