package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/voronka/voronka/crmcore/mailbox"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/reports/engine"

	"github.com/voronka/voronka/internal/devenv"
)

const configHelp = `
Configuration comes from VORONKA_* environment variables, each also a flag.
ClickHouse must be a tested version (18.16 or 26.x, logged at startup);
VORONKA_CH_ANY_VERSION=1 (--ch-any-version) runs on another one anyway.`

// Config is the one configuration struct, passed down, never global.
type Config struct {
	PGURL      string
	CHAddr     string
	CHDatabase string
	CHCluster  string // VORONKA_CH_CLUSTER: the cluster to run on ("": one server)
	HTTPAddr   string
	SMTPURL    string
	ExportDir  string
	PublicURL  string // VORONKA_PUBLIC_URL: where users reach Voronka, for the links in mail
	LogLevel   string
	DevDir     string
	Secure     bool // secure cookies (set behind TLS)
	// CHAnyVersion runs on a ClickHouse outside olap.TestedVersions.
	CHAnyVersion bool

	NoIngest        bool          // serve without the in-process change stream
	IngestSlot      string        // logical replication slot (per PostgreSQL cluster)
	IngestBatchRows int           // flush a batch at this many changes…
	IngestBatchWait time.Duration // …or this long after its first commit
	batchRowsErr    error         // VORONKA_INGEST_BATCH_ROWS did not parse
	batchWaitErr    error         // VORONKA_INGEST_BATCH_WAIT did not parse
	// IngestInsertTimeout bounds each write to ClickHouse; past it the
	// stream reports itself unhealthy and retries.
	IngestInsertTimeout time.Duration
	insertTimeoutErr    error // VORONKA_INGEST_INSERT_TIMEOUT did not parse

	ReportCacheTTL time.Duration // an answer over unchanged data is reused at most this long (0: no cache)
	cacheTTLErr    error
	// ReportMaxStaleness bounds how far behind the data a cached answer
	// may be served while data changes (one recomputation runs meanwhile).
	ReportMaxStaleness time.Duration
	stalenessErr       error
	NoScheduler        bool          // serve without the in-process export scheduler
	SchedulerTick      time.Duration // how often the scheduler looks for due runs
	tickErr            error         // VORONKA_SCHEDULER_TICK did not parse
	IMAPURL            string        // mailbox intake: imaps://user:pass@host/INBOX?unseen=true&delete=false&interval=30s
	// MetricsToken, when set, is the bearer token GET /metrics asks for:
	// at least 16 visible ASCII characters, no spaces.
	MetricsToken string
	// TrustedProxies: comma-separated addresses or CIDRs of the reverse
	// proxies whose X-Forwarded-For names the client.
	TrustedProxies string
}

// loadConfig reads defaults, then the environment, then registers flags on
// fs so that flags override both. Call fs.Parse afterwards, then Validate,
// which also refuses a variable whose value did not parse.
//
// Without VORONKA_PG_URL and VORONKA_CH_ADDR the defaults are the private
// dev servers' addresses (what `voronka dev env` prints):
// postgres://voronka@127.0.0.1:55432/voronka?sslmode=disable and
// 127.0.0.1:19000, or the ports in VORONKA_DEV_PG_PORT and
// VORONKA_DEV_CH_PORT. They are worked out from those variables alone
// (devenv.AddressesFrom): no dev server manager is built, nothing started.
// The other defaults: ClickHouse database voronka, HTTP on
// 127.0.0.1:8080, exports to the exports folder of the dev directory
// (VORONKA_DEV_DIR, else the checkout's var/), log level info, ingest
// batches of 20000 changes or 200ms written within 10s, a scheduler tick of 30s and report
// answers reused for 60s.
func loadConfig(fs *flag.FlagSet, getenv func(string) string) *Config {
	devDir := devenv.DefaultDir(getenv)
	dev := devenv.AddressesFrom(getenv)
	c := &Config{
		PGURL:      or(getenv("VORONKA_PG_URL"), dev.PGURL("voronka")),
		CHAddr:     or(getenv("VORONKA_CH_ADDR"), dev.CHAddr()),
		CHDatabase: or(getenv("VORONKA_CH_DATABASE"), "voronka"),
		CHCluster:  getenv("VORONKA_CH_CLUSTER"),
		HTTPAddr:   or(getenv("VORONKA_HTTP_ADDR"), "127.0.0.1:8080"),
		SMTPURL:    getenv("VORONKA_SMTP_URL"),
		ExportDir:  or(getenv("VORONKA_EXPORT_DIR"), filepath.Join(devDir, "exports")),
		PublicURL:  getenv("VORONKA_PUBLIC_URL"),
		LogLevel:   or(getenv("VORONKA_LOG_LEVEL"), "info"),
		DevDir:     devDir,
		Secure:     getenv("VORONKA_SECURE_COOKIES") == "1",
		IngestSlot: getenv("VORONKA_INGEST_SLOT"),
		NoIngest:   getenv("VORONKA_NO_INGEST") == "1",

		CHAnyVersion: getenv("VORONKA_CH_ANY_VERSION") == "1",
		IMAPURL:      getenv("VORONKA_IMAP_URL"),

		MetricsToken:   getenv("VORONKA_METRICS_TOKEN"),
		TrustedProxies: getenv("VORONKA_TRUSTED_PROXIES"),
	}
	c.IngestBatchRows, c.batchRowsErr = strconv.Atoi(or(getenv("VORONKA_INGEST_BATCH_ROWS"), strconv.Itoa(ingest.DefaultBatchRows)))
	c.IngestBatchWait, c.batchWaitErr = time.ParseDuration(or(getenv("VORONKA_INGEST_BATCH_WAIT"), ingest.DefaultBatchWait.String()))
	c.IngestInsertTimeout, c.insertTimeoutErr = time.ParseDuration(or(getenv("VORONKA_INGEST_INSERT_TIMEOUT"), ingest.DefaultInsertTimeout.String()))
	c.ReportCacheTTL, c.cacheTTLErr = time.ParseDuration(or(getenv("VORONKA_REPORT_CACHE_TTL"), "60s"))
	c.ReportMaxStaleness, c.stalenessErr = time.ParseDuration(or(getenv("VORONKA_REPORT_MAX_STALENESS"), engine.DefaultMaxStaleness.String()))
	c.NoScheduler = getenv("VORONKA_NO_SCHEDULER") == "1"
	c.SchedulerTick, c.tickErr = time.ParseDuration(or(getenv("VORONKA_SCHEDULER_TICK"), "30s"))
	fs.StringVar(&c.PGURL, "pg-url", c.PGURL, "PostgreSQL URL (VORONKA_PG_URL)")
	fs.StringVar(&c.CHAddr, "ch-addr", c.CHAddr, "ClickHouse native host:port, or several nodes of a cluster comma-separated (VORONKA_CH_ADDR)")
	fs.StringVar(&c.CHDatabase, "ch-database", c.CHDatabase, "ClickHouse database (VORONKA_CH_DATABASE)")
	fs.StringVar(&c.CHCluster, "ch-cluster", c.CHCluster, "ClickHouse cluster from the servers' remote_servers to run on; empty: one server (VORONKA_CH_CLUSTER)")
	fs.BoolVar(&c.CHAnyVersion, "ch-any-version", c.CHAnyVersion, "run on a ClickHouse version Voronka is not tested on (VORONKA_CH_ANY_VERSION=1)")
	fs.StringVar(&c.HTTPAddr, "http-addr", c.HTTPAddr, "HTTP listen address (VORONKA_HTTP_ADDR)")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "smtp://user:pass@host:port for export mail (VORONKA_SMTP_URL)")
	fs.StringVar(&c.ExportDir, "export-dir", c.ExportDir, "where delivered files are written (VORONKA_EXPORT_DIR)")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "where users reach Voronka, for links in mail, e.g. https://crm.example.ru (VORONKA_PUBLIC_URL; default http://VORONKA_HTTP_ADDR)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (VORONKA_LOG_LEVEL)")
	fs.BoolVar(&c.NoIngest, "no-ingest", c.NoIngest, "serve without the change stream; run `voronka ingest` elsewhere (VORONKA_NO_INGEST=1)")
	fs.StringVar(&c.IngestSlot, "ingest-slot", c.IngestSlot, "replication slot (VORONKA_INGEST_SLOT; default voronka_<database>)")
	fs.IntVar(&c.IngestBatchRows, "ingest-batch-rows", c.IngestBatchRows, "flush to ClickHouse at this many changes (VORONKA_INGEST_BATCH_ROWS)")
	fs.DurationVar(&c.IngestBatchWait, "ingest-batch-wait", c.IngestBatchWait, "…or this long after the batch's first commit (VORONKA_INGEST_BATCH_WAIT)")
	fs.DurationVar(&c.IngestInsertTimeout, "ingest-insert-timeout", c.IngestInsertTimeout, "longest wait for ClickHouse to accept a batch before the stream reports a stall and retries (VORONKA_INGEST_INSERT_TIMEOUT)")
	fs.DurationVar(&c.ReportCacheTTL, "report-cache-ttl", c.ReportCacheTTL, "reuse a report's answer over unchanged data at most this long, per access scope; 0 disables the cache (VORONKA_REPORT_CACHE_TTL)")
	fs.DurationVar(&c.ReportMaxStaleness, "report-max-staleness", c.ReportMaxStaleness, "serve a cached answer at most this far behind changing data (VORONKA_REPORT_MAX_STALENESS)")
	fs.BoolVar(&c.NoScheduler, "no-scheduler", c.NoScheduler, "serve without the export scheduler; run `voronka scheduler` elsewhere (VORONKA_NO_SCHEDULER=1)")
	fs.DurationVar(&c.SchedulerTick, "scheduler-tick", c.SchedulerTick, "how often the scheduler looks for due runs (VORONKA_SCHEDULER_TICK)")
	fs.StringVar(&c.IMAPURL, "imap-url", c.IMAPURL, "mailbox polled for leads by serve: imaps://user:pass@host/INBOX?unseen=true&delete=false&interval=30s&responsible=EMAIL (VORONKA_IMAP_URL)")
	fs.BoolVar(&c.Secure, "secure-cookies", c.Secure, "mark session cookies Secure, for TLS deployments (VORONKA_SECURE_COOKIES=1)")
	fs.StringVar(&c.MetricsToken, "metrics-token", c.MetricsToken, "bearer token GET /metrics asks for; empty leaves it open (VORONKA_METRICS_TOKEN)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client (VORONKA_TRUSTED_PROXIES)")
	return c
}

// Validate names the variable at fault.
func (c *Config) Validate() error {
	if u, err := url.Parse(c.PGURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("VORONKA_PG_URL: want postgres://user@host:port/db, got %q", c.PGURL)
	}
	if c.CHAddr == "" {
		return fmt.Errorf("VORONKA_CH_ADDR: empty")
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return fmt.Errorf("VORONKA_SMTP_URL: want smtp://user:pass@host:port")
		}
	}
	if c.ExportDir == "" {
		return fmt.Errorf("VORONKA_EXPORT_DIR: empty")
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("VORONKA_PUBLIC_URL: want http(s)://host[:port], such as https://crm.example.ru")
		}
	}
	if c.tickErr != nil || c.SchedulerTick < time.Second {
		return fmt.Errorf("VORONKA_SCHEDULER_TICK: want a duration of a second or more, such as 30s")
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("VORONKA_LOG_LEVEL: %w", err)
	}
	if c.IMAPURL != "" {
		if _, err := mailbox.ParseURL(c.IMAPURL); err != nil {
			return fmt.Errorf("VORONKA_IMAP_URL: %w", err)
		}
	}
	if c.batchRowsErr != nil || c.IngestBatchRows <= 0 {
		return fmt.Errorf("VORONKA_INGEST_BATCH_ROWS: want a positive number")
	}
	if c.cacheTTLErr != nil || c.ReportCacheTTL < 0 {
		return fmt.Errorf("VORONKA_REPORT_CACHE_TTL: want a duration such as 60s, or 0 to disable")
	}
	if c.stalenessErr != nil || c.ReportMaxStaleness <= 0 {
		return fmt.Errorf("VORONKA_REPORT_MAX_STALENESS: want a positive duration such as 2s")
	}
	if c.batchWaitErr != nil || c.IngestBatchWait <= 0 {
		return fmt.Errorf("VORONKA_INGEST_BATCH_WAIT: want a duration such as 200ms")
	}
	if c.insertTimeoutErr != nil || c.IngestInsertTimeout <= 0 {
		return fmt.Errorf("VORONKA_INGEST_INSERT_TIMEOUT: want a positive duration such as 10s")
	}
	return c.validateSecurity()
}

// validateSecurity checks the metrics token and the trusted proxies.
func (c *Config) validateSecurity() error {
	if c.MetricsToken != "" {
		visible := strings.IndexFunc(c.MetricsToken, func(r rune) bool { return r <= ' ' || r > '~' }) < 0
		if len(c.MetricsToken) < 16 || !visible {
			return fmt.Errorf("VORONKA_METRICS_TOKEN: want at least 16 visible ASCII characters without spaces (e.g. openssl rand -hex 24), or leave it empty")
		}
	}
	if _, err := c.Proxies(); err != nil {
		return fmt.Errorf("VORONKA_TRUSTED_PROXIES: %w", err)
	}
	return nil
}

// Proxies is VORONKA_TRUSTED_PROXIES as a list, each an IP address or
// a CIDR.
func (c *Config) Proxies() ([]string, error) {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR such as 10.0.0.0/8", p)
		}
		out = append(out, p)
	}
	return out, nil
}

// Slot is the replication slot: VORONKA_INGEST_SLOT, else voronka_ and the
// database name. Slots are per cluster, so two databases of one cluster
// (a demo and the tests, say) must not share one.
func (c *Config) Slot() string {
	if c.IngestSlot != "" {
		return c.IngestSlot
	}
	db := "voronka"
	if u, err := url.Parse(c.PGURL); err == nil && len(u.Path) > 1 {
		db = u.Path[1:]
	}
	slot := "voronka_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return '_'
	}, db)
	if len(slot) > 63 {
		slot = slot[:63]
	}
	return slot
}

// Logger builds the process logger at the configured level.
func (c *Config) Logger() *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
}

// LogValue masks secrets when the config is logged.
func (c *Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("pg_url", maskURL(c.PGURL)),
		slog.String("ch_addr", c.CHAddr),
		slog.String("ch_database", c.CHDatabase),
		slog.Bool("ch_any_version", c.CHAnyVersion),
		slog.String("http_addr", c.HTTPAddr),
		slog.Duration("report_cache_ttl", c.ReportCacheTTL),
		slog.Duration("report_max_staleness", c.ReportMaxStaleness),
		slog.String("smtp_url", maskURL(c.SMTPURL)),
		slog.String("export_dir", c.ExportDir),
		slog.String("public_url", c.PublicURL),
		slog.String("imap_url", maskURL(c.IMAPURL)),
		slog.Bool("metrics_token_set", c.MetricsToken != ""),
		slog.String("trusted_proxies", c.TrustedProxies),
	)
}

func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
