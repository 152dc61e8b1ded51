package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// clock is a settable clock for the sign-in limits.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// serverWith is dashtest's server (its users signed in) rebuilt with deps
// changed by edit; the sign-in limits start empty.
func serverWith(t *testing.T, edit func(*server.Deps)) *dashtest.Server {
	t.Helper()
	ts := dashtest.New(t)
	d := server.Deps{Store: ts.Store, Ready: ts.Store.Ping}
	edit(&d)
	ts.Srv = dashboards.New(d)
	return ts
}

// answer is one response: status, headers, body.
type answer struct {
	status int
	header http.Header
	body   string
}

// code is the error code of a JSON error answer.
func (a answer) code() string {
	var e struct{ Error struct{ Code string } }
	json.Unmarshal([]byte(a.body), &e)
	return e.Error.Code
}

// call sends one request with the given headers ("Cookie" adds the
// session cookie of that user alias).
func call(t *testing.T, ts *dashtest.Server, method, target string, headers map[string]string, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for k, v := range headers {
		if k == "Cookie" {
			req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: ts.Tokens[v]})
			req.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: dashtest.CSRF})
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// apiLogin signs in through the API from the client address addr (sent
// as X-Forwarded-For; only a server trusting the test peer reads it).
func apiLogin(t *testing.T, ts *dashtest.Server, email, password, addr string) answer {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	h := map[string]string{"Content-Type": "application/json"}
	if addr != "" {
		h["X-Forwarded-For"] = addr
	}
	return call(t, ts, "POST", "/api/v1/auth/login", h, string(b))
}
