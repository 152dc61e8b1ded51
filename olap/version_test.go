package olap_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

func TestVersionTested(t *testing.T) {
	for v, want := range map[string]bool{
		"18.16.1": true, "18.16.1.1": true, "26.5.1": true, "26.12.3.4": true,
		"18.14.9": false, "18.160.1": false, "24.8.2": false, "25.3.1": false, "2.6.1": false, "": false,
	} {
		if got := olap.VersionTested(v); got != want {
			t.Errorf("VersionTested(%q) = %v, want %v", v, got, want)
		}
	}
}

// Probe returns and logs the version the server itself reports.
func TestProbeReportsServerVersion(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewEmptyCH(t)
	var logged bytes.Buffer
	got, err := ch.DB.Probe(ctx, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	var want string
	if err := ch.DB.QueryRow(ctx, olap.SQL("SELECT version()")).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, got) {
		t.Errorf("probe says %q, server says %q", got, want)
	}
	if !strings.Contains(logged.String(), "version="+got) {
		t.Errorf("log %q does not name version %s", logged.String(), got)
	}
}

// A server outside the tested lines is refused, unless AnyVersion; the
// real 18.16 server plays the untested one by narrowing the list.
func TestProbeRefusesUntestedVersion(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewEmptyCH(t)
	saved := olap.TestedVersions
	olap.TestedVersions = []string{"26."}
	t.Cleanup(func() { olap.TestedVersions = saved })
	v, err := ch.DB.Probe(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), v) || !strings.Contains(err.Error(), "VORONKA_CH_ANY_VERSION") {
		t.Fatalf("probe of %s with only 26.x tested: err %v, want a refusal naming the version and the override", v, err)
	}
	ch.DB.AnyVersion = true
	var logged bytes.Buffer
	if _, err := ch.DB.Probe(ctx, slog.New(slog.NewTextHandler(&logged, nil))); err != nil {
		t.Fatalf("probe with AnyVersion: %v", err)
	}
	if !strings.Contains(logged.String(), "level=WARN") {
		t.Errorf("AnyVersion on an untested server should warn, logged %q", logged.String())
	}
}
