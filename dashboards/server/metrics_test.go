package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestRefusedLoginsCountedAndLogged: every refused sign-in is one log
// line and one count by reason on /metrics: 10 wrong passwords, then 3
// attempts on the locked account, then wrong passwords for 10 other
// e-mails from the same address reach its limit of 20, and 2 more meet it.
func TestRefusedLoginsCountedAndLogged(t *testing.T) {
	reg := prometheus.NewRegistry()
	logs := &syncBuffer{}
	ts := serverWith(t, func(d *server.Deps) {
		d.Registerer, d.Metrics = reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
		d.Log = slog.New(slog.NewTextHandler(logs, nil))
	})
	for i := 0; i < 10; i++ {
		apiLogin(t, ts, "analyst@test.local", "wrong", "")
	}
	for i := 0; i < 3; i++ {
		apiLogin(t, ts, " analyst@test.local", dashtest.Password, "")
	}
	for i := 0; i < 12; i++ {
		apiLogin(t, ts, fmt.Sprintf("nobody%d@test.local", i), "wrong", "") // the 11th and 12th meet the address limit
	}
	m := call(t, ts, "GET", "/metrics", nil, "")
	for _, want := range []string{
		`voronka_login_refused_total{reason="invalid_credentials"} 20`,
		`voronka_login_refused_total{reason="account_locked"} 3`,
		`voronka_login_refused_total{reason="address_limited"} 2`,
	} {
		if m.status != 200 || !strings.Contains(m.body, want) {
			t.Errorf("/metrics lacks %q: %d %s", want, m.status, grepLines(m.body, "voronka_login"))
		}
	}
	got := logs.String()
	for reason, n := range map[string]int{"invalid_credentials": 20, "account_locked": 3, "address_limited": 2} {
		if c := strings.Count(got, `msg="sign-in refused" reason=`+reason+" "); c != n {
			t.Errorf("%d log lines for %s, want %d:\n%s", c, reason, n, got)
		}
	}
	if !strings.Contains(got, `reason=account_locked account=analyst@test.local address=0.0.0.0`) || strings.Contains(got, dashtest.Password) {
		t.Errorf("the log should name the account and address, never the password:\n%s", got)
	}
}

// TestMetricsToken: with a token /metrics answers only to it (401
// otherwise); without one it stays open, as before.
func TestMetricsToken(t *testing.T) {
	const token = "0123456789abcdef-metrics"
	reg := prometheus.NewRegistry()
	ts := serverWith(t, func(d *server.Deps) {
		d.Registerer, d.Metrics, d.MetricsToken = reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), token
	})
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong"}, {"Authorization": token},
		{"Authorization": "Bearer " + ts.Tokens["admin"]}, {"Cookie": "admin"}} {
		if a := call(t, ts, "GET", "/metrics", h, ""); a.status != 401 || strings.Contains(a.body, "voronka_login") {
			t.Errorf("/metrics with %v: %d %s, want 401", h, a.status, a.body)
		}
	}
	if a := call(t, ts, "GET", "/metrics", map[string]string{"Authorization": "Bearer " + token}, ""); a.status != 200 || !strings.Contains(a.body, "voronka_login_refused_total") {
		t.Errorf("/metrics with the token: %d %s", a.status, a.body)
	}
	open := serverWith(t, func(d *server.Deps) {
		reg := prometheus.NewRegistry()
		d.Registerer, d.Metrics = reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	})
	if a := call(t, open, "GET", "/metrics", nil, ""); a.status != 200 {
		t.Errorf("/metrics without a token configured: %d", a.status)
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
