package olap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// TestedVersions are the ClickHouse release lines Voronka's SQL is proven
// on, as version prefixes: the Debian 18.16 server every test runs on,
// and the 26.x line of the conformance suite (chDB, internal/chdb), which
// runs every statement Voronka produces on both and compares the answers.
// docs/clickhouse-versions.md lists what differs between them. Add a line
// here only after the conformance suite passed on it.
var TestedVersions = []string{"18.16.", "26."}

// VersionTested reports whether version ("18.16.1", "26.5.1.1") belongs to
// a line in TestedVersions.
func VersionTested(version string) bool {
	for _, p := range TestedVersions {
		if strings.HasPrefix(version+".", p) {
			return true
		}
	}
	return false
}

// ErrUnreachable wraps Probe's error when the server does not answer.
var ErrUnreachable = errors.New("clickhouse unreachable")

// Probe pings the server, logs its version, and returns it. A version
// outside TestedVersions is an error unless db.AnyVersion, when it is
// logged as a warning instead.
func (db *DB) Probe(ctx context.Context, log *slog.Logger) (string, error) {
	if err := db.Ping(ctx); err != nil {
		return "", fmt.Errorf("%w: clickhouse %s: %w", ErrUnreachable, db.addr, err)
	}
	v, err := db.ServerVersion()
	if err != nil {
		return "", fmt.Errorf("clickhouse %s: version: %w", db.addr, err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if VersionTested(v) {
		log.Info("clickhouse server", "version", v, "addr", db.addr)
		return v, nil
	}
	if db.AnyVersion {
		log.Warn("clickhouse server version not tested; running anyway (VORONKA_CH_ANY_VERSION)",
			"version", v, "tested", strings.Join(TestedVersions, "x, ")+"x")
		return v, nil
	}
	return v, fmt.Errorf("clickhouse %s is version %s; Voronka is tested on %sx only (set VORONKA_CH_ANY_VERSION=1 or --ch-any-version to run anyway)",
		db.addr, v, strings.Join(TestedVersions, "x, "))
}
