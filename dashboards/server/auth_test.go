package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// TestSessionCookie: the API's sign-in and the login form set the same
// session cookie (StartSession): HttpOnly, SameSite=Lax, the whole site,
// expiring with the 7-day token, Secure exactly when the server is.
func TestSessionCookie(t *testing.T) {
	ts := dashtest.New(t)
	for _, secure := range []bool{false, true} {
		ts.Srv = dashboards.New(server.Deps{Store: ts.Store, Secure: secure})
		req := httptest.NewRequest("POST", "/api/v1/auth/login",
			strings.NewReader(`{"email":"manager@test.local","password":"`+dashtest.Password+`"}`))
		req.Header.Set("Content-Type", "application/json")
		api, err := ts.Srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		form := ts.Page("POST", "/login", "", url.Values{"email": {"manager@test.local"}, "password": {dashtest.Password}, "csrf": {dashtest.CSRF}})
		for name, resp := range map[string]*http.Response{"api": api, "form": form} {
			c := sessionCookie(resp)
			if c == nil {
				t.Fatalf("%s (secure %v): no session cookie: %d %v", name, secure, resp.StatusCode, resp.Header)
			}
			days := time.Until(c.Expires).Hours() / 24
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != secure || days < 6.9 || days > 7 {
				t.Errorf("%s (secure %v): cookie %+v", name, secure, c)
			}
		}
	}
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie && c.Value != "" {
			return c
		}
	}
	return nil
}
