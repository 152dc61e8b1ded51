package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// trusting is a server that reads the client address from
// X-Forwarded-For (the test peer 0.0.0.0 is its trusted proxy), with
// the sign-in limits on clk.
func trusting(t *testing.T, clk *clock) *dashtest.Server {
	return serverWith(t, func(d *server.Deps) {
		d.TrustedProxies, d.Now = []string{"0.0.0.0"}, clk.now
	})
}

// TestLoginLockoutNormalisedWithBackoff: failures under any spelling of
// one e-mail (spaces, case), from ten addresses, lock that account —
// even the right password, however spelt, is refused with 429 and
// Retry-After — while other accounts sign in. After the lock a further
// failure locks it for twice as long; an admin sees the lock and lifts
// it, and the right password signs in again.
func TestLoginLockoutNormalisedWithBackoff(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	ts := trusting(t, clk)
	variants := []string{"analyst@test.local", "   analyst@test.local", "ANALYST@test.local", "\tAnalyst@Test.Local  "}
	for i := 0; i < 10; i++ {
		if a := apiLogin(t, ts, variants[i%len(variants)], "wrong", fmt.Sprintf("198.51.100.%d", i)); a.status != 401 {
			t.Fatalf("failure %d: %d %s, want 401", i+1, a.status, a.body)
		}
	}
	tokens := ts.RowCount("auth_tokens")
	for _, email := range []string{"   analyst@test.local", "analyst@test.local", "Analyst@TEST.local "} {
		a := apiLogin(t, ts, email, dashtest.Password, "203.0.113.1")
		if a.status != 429 || a.code() != "account_locked" || a.header.Get("Retry-After") != "60" {
			t.Fatalf("right password as %q while locked: %d %q %s, want 429 account_locked after 60 s", email, a.status, a.header.Get("Retry-After"), a.body)
		}
	}
	if n := ts.RowCount("auth_tokens"); n != tokens {
		t.Fatalf("a locked account got a session: auth_tokens %d, want %d", n, tokens)
	}
	if a := apiLogin(t, ts, "director@test.local", dashtest.Password, "198.51.100.1"); a.status != 200 {
		t.Fatalf("another account from the same address: %d %s", a.status, a.body)
	}

	// The first lock lasts a minute; the next failure locks for two.
	clk.advance(61 * time.Second)
	if a := apiLogin(t, ts, "analyst@test.local", "wrong", "203.0.113.2"); a.status != 401 {
		t.Fatalf("after the first lock: %d %s, want 401", a.status, a.body)
	}
	if a := apiLogin(t, ts, "analyst@test.local", dashtest.Password, "203.0.113.2"); a.status != 429 || a.header.Get("Retry-After") != "120" {
		t.Fatalf("second lock: %d Retry-After %q, want 429 after 120 s", a.status, a.header.Get("Retry-After"))
	}
	clk.advance(61 * time.Second)
	if a := apiLogin(t, ts, "analyst@test.local", dashtest.Password, "203.0.113.2"); a.status != 429 || a.header.Get("Retry-After") != "59" {
		t.Fatalf("61 s into the second lock: %d Retry-After %q, want 429 after 59 s", a.status, a.header.Get("Retry-After"))
	}

	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "a manager may not see lockouts", Method: "GET", URL: "/api/v1/auth/lockouts", As: "manager", Status: 403},
		{Name: "nor lift one", Method: "DELETE", URL: "/api/v1/auth/lockouts/analyst@test.local", As: "director", Status: 403},
		{Name: "an admin sees it", Method: "GET", URL: "/api/v1/auth/lockouts", As: "admin", Status: 200,
			Contains: []string{`"email":"analyst@test.local","failures":11,"lockouts":2,"locked_until":"2026-03-02T09:03:01Z"`, `"total":1`}},
		{Name: "an admin lifts it, spelt any way", Method: "DELETE", URL: "/api/v1/auth/lockouts/" + url.PathEscape(" Analyst@test.local"), As: "admin", Status: 204},
		{Name: "nothing left to lift", Method: "DELETE", URL: "/api/v1/auth/lockouts/analyst@test.local", As: "admin", Status: 404},
		{Name: "no lockouts left", Method: "GET", URL: "/api/v1/auth/lockouts", As: "admin", Status: 200, Contains: []string{`"items":[],"total":0`}},
	})
	if a := apiLogin(t, ts, "analyst@test.local", dashtest.Password, "203.0.113.2"); a.status != 200 {
		t.Fatalf("after the admin lifted the lock: %d %s", a.status, a.body)
	}
}

// TestLoginAddressLimit: forty different e-mails from one client address
// meet 429 after twenty failures, and then so does a right password from
// there; X-Forwarded-For is believed only from a trusted proxy, so a
// client cannot escape the limit by sending one.
func TestLoginAddressLimit(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprintf("trusted proxy %v", trusted), func(t *testing.T) {
			clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			ts := serverWith(t, func(d *server.Deps) {
				if d.Now = clk.now; trusted {
					d.TrustedProxies = []string{"0.0.0.0"}
				}
			})
			addr := func(i int) string { return fmt.Sprintf("192.0.2.%d", i) } // ignored: no trusted proxy
			if trusted {
				addr = func(int) string { return "192.0.2.77" }
			}
			var codes []string
			for i := 0; i < 40; i++ {
				a := apiLogin(t, ts, fmt.Sprintf("guess%d@test.local", i), "wrong", addr(i))
				codes = append(codes, fmt.Sprint(a.status))
				if i >= 20 && (a.code() != "too_many_attempts" || a.header.Get("Retry-After") == "") {
					t.Fatalf("attempt %d: %d %s, want 429 too_many_attempts with Retry-After", i+1, a.status, a.body)
				}
			}
			want := strings.Repeat("401 ", 20) + strings.Repeat("429 ", 20)
			if got := strings.Join(codes, " ") + " "; got != want {
				t.Fatalf("statuses %s, want %s", got, want)
			}
			if a := apiLogin(t, ts, "manager@test.local", dashtest.Password, addr(41)); a.status != 429 {
				t.Fatalf("right password from the limited address: %d, want 429", a.status)
			}
			if trusted {
				if a := apiLogin(t, ts, "manager@test.local", dashtest.Password, "192.0.2.78"); a.status != 200 {
					t.Fatalf("another client behind the proxy: %d %s", a.status, a.body)
				}
			}
			clk.advance(server.AddressWindow)
			if a := apiLogin(t, ts, "manager@test.local", dashtest.Password, addr(42)); a.status != 200 {
				t.Fatalf("after the window: %d %s", a.status, a.body)
			}
		})
	}
}

// TestLoginPageAndAPIShareLimit: failures through the login form and the
// API count together; the form then answers 429 in Russian, the API with
// account_locked.
func TestLoginPageAndAPIShareLimit(t *testing.T) {
	ts := dashtest.New(t)
	form := url.Values{"email": {" Director@test.local"}, "password": {"wrong"}, "csrf": {dashtest.CSRF}}
	for i := 0; i < 5; i++ {
		if a := apiLogin(t, ts, "director@test.local", "wrong", ""); a.status != 401 {
			t.Fatalf("API failure %d: %d", i+1, a.status)
		}
		if status, _, _ := ts.PageBody("POST", "/login", "", form); status != 401 {
			t.Fatalf("form failure %d: %d", i+1, status)
		}
	}
	form.Set("password", dashtest.Password)
	status, body, _ := ts.PageBody("POST", "/login", "", form)
	if status != 429 || !strings.Contains(body, "Вход для этой почты временно закрыт") || !strings.Contains(body, `lang="ru"`) {
		t.Fatalf("form, right password, locked: %d %s", status, body)
	}
	if a := apiLogin(t, ts, "director@test.local", dashtest.Password, ""); a.status != 429 || a.code() != "account_locked" {
		t.Fatalf("API, right password, locked: %d %s", a.status, a.body)
	}
}
