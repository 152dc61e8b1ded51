package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
)

// TestServeEndToEnd starts `voronka serve` on loopback against real
// stores, checks health, readiness and a login, then stops it through its
// context and expects a clean, graceful return.
func TestServeEndToEnd(t *testing.T) {
	pg := testenv.NewPG(t)
	addr := freeAddr(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL, "VORONKA_HTTP_ADDR": addr, "VORONKA_LOG_LEVEL": "warn"}
	if _, err := runCLI(t, vars, "user", "add", "--email", "dir@example.ru", "--name", "Директор", "--role", "director", "--password", "пароль1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, io.Discard, io.Discard)
	}()
	base := "http://" + addr
	waitHTTP(t, base+"/healthz")
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/api/v1/me": 401} {
		if got := get(t, base+path); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"dir@example.ru","password":"пароль1"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", err, resp)
	}
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "voronka_session=") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(strings.ToLower(cookie), "samesite=lax") {
		t.Errorf("session cookie %q: want HttpOnly, SameSite=Lax", cookie)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20 s of cancellation")
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
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

func get(t *testing.T, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(fmt.Errorf("GET %s: %w", url, err))
	}
	resp.Body.Close()
	return resp.StatusCode
}
