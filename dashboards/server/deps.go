package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// Deps is everything the server needs; built by cmd/voronka.
type Deps struct {
	Store  *crmcore.Store
	Log    *slog.Logger
	Ready  func(ctx context.Context) error // both stores reachable
	Secure bool                            // Secure flag on cookies (TLS)

	Reports   *engine.Engine    // reports and funnels over ClickHouse; nil answers 503
	Saved     *saved.Store      // the standard catalog and saved reports (PostgreSQL); nil answers 503
	Schedules *schedule.Service // scheduled exports and the holiday calendar; nil answers 503
	Ingest    IngestMonitor     // the change stream, when it runs in this process
	Metrics   http.Handler      // Prometheus exposition for /metrics, optional
	// MetricsToken, when set, is the bearer token /metrics asks for
	// (VORONKA_METRICS_TOKEN); empty leaves /metrics open.
	MetricsToken string
	// Registerer receives the server's own metrics (refused sign-ins),
	// optional: the registry Metrics exposes.
	Registerer prometheus.Registerer
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For names the client (VORONKA_TRUSTED_PROXIES); empty:
	// the client is the peer of the connection.
	TrustedProxies []string
	Now            func() time.Time // the sign-in limits' clock (nil: time.Now)
	Forms          FormLimits       // public web-form rate limits (zero: defaults)
}

// IngestMonitor is the change stream as the server sees it: its status
// (JSON-ready) and its health. cmd/voronka adapts *ingest.Streamer to it,
// so the server need not import ingest.
type IngestMonitor interface {
	Status() any
	Healthy() error
}

// FormLimits bound public form submissions per minute: per form key and
// client address, and per form key from everywhere. Zero means the
// default (10 and 300).
type FormLimits struct {
	PerAddress int
	PerKey     int
}

// WithDefaults is l with each zero limit set to its default.
func (l FormLimits) WithDefaults() FormLimits {
	if l.PerAddress <= 0 {
		l.PerAddress = 10
	}
	if l.PerKey <= 0 {
		l.PerKey = 300
	}
	return l
}
