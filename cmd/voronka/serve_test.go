package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// TestServeEndToEnd starts `voronka serve` on loopback against real
// stores with the change stream in-process: health, readiness, a login,
// a deal created over HTTP reaching ClickHouse, ingest status and
// metrics (behind VORONKA_METRICS_TOKEN), `voronka ingest verify` clean;
// then a graceful stop.
func TestServeEndToEnd(t *testing.T) {
	const metricsToken = "serve-test-metrics-token"
	pg := testenv.NewPG(t)
	ch := testenv.NewCH(t)
	addr := freeAddr(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL, "VORONKA_CH_DATABASE": ch.Database,
		"VORONKA_HTTP_ADDR": addr, "VORONKA_LOG_LEVEL": "warn", "VORONKA_METRICS_TOKEN": metricsToken}
	if _, err := runCLI(t, vars, "user", "add", "--email", "dir@example.ru", "--name", "Директор", "--role", "director", "--password", "пароль1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, cliGetenv(vars), io.Discard, io.Discard)
	}()
	base := "http://" + addr
	waitHTTP(t, base+"/healthz")
	for path, want := range map[string]int{"/healthz": 200, "/api/v1/me": 401} {
		if got, _ := call(t, "GET", base+path, "", ""); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
	token := loginToken(t, base, "dir@example.ru", "пароль1")
	waitFor(t, "snapshot done", func() bool {
		_, body := call(t, "GET", base+"/api/v1/ingest/status", token, "")
		return strings.Contains(body, `"snapshot_done":true`)
	})
	if got, body := call(t, "GET", base+"/readyz", "", ""); got != 200 {
		t.Errorf("readyz %d %s", got, body)
	}
	st, body := call(t, "POST", base+"/api/v1/deals", token, `{"title":"Сделка из теста","pipeline":"sales","amount":12345.67,"currency":"RUB"}`)
	if st != 201 {
		t.Fatalf("create deal: %d %s", st, body)
	}
	var deal struct{ ID int64 }
	json.Unmarshal([]byte(body), &deal)
	table := ch.DB.Table("deals")
	waitFor(t, "the deal in ClickHouse", func() bool {
		var n uint64
		q := fmt.Sprintf("SELECT count() FROM %s FINAL WHERE id = %d AND _deleted = 0 AND title = 'Сделка из теста'", table, deal.ID)
		return ch.DB.QueryRow(context.Background(), olap.SQL(q)).Scan(&n) == nil && n == 1
	})
	if st, _ := call(t, "GET", base+"/metrics", "", ""); st != 401 {
		t.Errorf("/metrics without VORONKA_METRICS_TOKEN's token: %d, want 401", st)
	}
	if _, metrics := call(t, "GET", base+"/metrics", metricsToken, ""); !strings.Contains(metrics, "voronka_ingest_lag_seconds") ||
		!strings.Contains(metrics, "voronka_ingest_snapshot_done 1") || !strings.Contains(metrics, `voronka_login_refused_total{reason="invalid_credentials"} 0`) {
		t.Errorf("metrics lack the ingest gauges or the refused sign-ins:\n%.500s", metrics)
	}
	waitFor(t, "ingest verify clean", func() bool {
		_, err := runCLI(t, vars, "ingest", "verify")
		return err == nil
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30 s of cancellation")
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHTTP(t *testing.T, url string) {
	waitFor(t, url, func() bool {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
}

// waitFor polls cond for up to 60 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func call(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func loginToken(t *testing.T, base, email, password string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp)
	}
	defer resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "voronka_session=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(strings.ToLower(cookie), "samesite=lax") {
		t.Errorf("session cookie %q: want HttpOnly, SameSite=Lax", cookie)
	}
	var lr struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&lr)
	return lr.Token
}
