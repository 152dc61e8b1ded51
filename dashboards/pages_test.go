package dashboards

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/server"
)

const testCSRF = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// page sends a browser-like request: the alias's session cookie (none for
// ""), the CSRF cookie, and form as a urlencoded body when not nil.
func (ts *testServer) page(method, target, as string, form url.Values) *http.Response {
	ts.t.Helper()
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, rd)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: testCSRF})
	if as != "" {
		req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: ts.tokens[as]})
	}
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp
}

// pageBody is page's status and body text.
func (ts *testServer) pageBody(method, target, as string, form url.Values) (int, string, http.Header) {
	ts.t.Helper()
	resp := ts.page(method, target, as, form)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestPagesLogin(t *testing.T) {
	ts := newTestServer(t)
	form := func(email, pw, csrf string) url.Values {
		return url.Values{"email": {email}, "password": {pw}, "csrf": {csrf}}
	}
	tokens := ts.rowCount("auth_tokens")
	for _, sc := range []struct {
		name, method, url, as string
		form                  url.Values
		status                int
		location              string
		contains              []string
	}{
		{name: "a page without a session goes to login", method: "GET", url: "/dashboards/director", status: 303, location: "/login"},
		{name: "kanban too", method: "GET", url: "/kanban/sales", status: 303, location: "/login"},
		{name: "a bad session too", method: "GET", url: "/", as: "nobody", status: 303, location: "/login"},
		{name: "login form, Russian by default", method: "GET", url: "/login", status: 200,
			contains: []string{`lang="ru"`, "Вход", `name="csrf" value="` + testCSRF + `"`, "Свежесть данных: неизвестно"}},
		{name: "English switch", method: "GET", url: "/login?lang=en", status: 200, contains: []string{`lang="en"`, "Sign in", "Data freshness: unknown", `href="/login?lang=ru"`}},
		{name: "no CSRF token", method: "POST", url: "/login", form: form("director@test.local", testPassword, ""), status: 403, contains: []string{"Форма устарела"}},
		{name: "wrong CSRF token", method: "POST", url: "/login", form: form("director@test.local", testPassword, strings.Repeat("a", 64)), status: 403},
		{name: "wrong password", method: "POST", url: "/login", form: form("director@test.local", "nope", testCSRF), status: 401, contains: []string{"Неверная почта или пароль"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, body, h := ts.pageBody(sc.method, sc.url, sc.as, sc.form)
			if status != sc.status || h.Get("Location") != sc.location {
				t.Fatalf("status %d location %q, want %d %q; %s", status, h.Get("Location"), sc.status, sc.location, body)
			}
			for _, s := range sc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q: %s", s, body)
				}
			}
		})
	}
	if n := ts.rowCount("auth_tokens"); n != tokens {
		t.Fatalf("auth_tokens %d after rejected sign-ins, want %d", n, tokens)
	}
	resp := ts.page("POST", "/login", "", form("director@test.local", testPassword, testCSRF))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie && c.HttpOnly {
			session = c.Value
		}
	}
	if session == "" || ts.rowCount("auth_tokens") != tokens+1 {
		t.Fatalf("no HttpOnly session cookie or token row: %v", resp.Cookies())
	}
	ts.tokens["form"] = session
	if status, body, _ := ts.pageBody("GET", "/kanban/sales", "form", nil); status != 200 || !strings.Contains(body, "Орлова Марина Сергеевна") || !strings.Contains(body, "(директор)") {
		t.Fatalf("kanban after login: %d %s", status, body)
	}
	if status, _, h := ts.pageBody("POST", "/logout", "form", url.Values{"csrf": {testCSRF}}); status != 303 || h.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", status, h.Get("Location"))
	}
	if status, _, _ := ts.pageBody("GET", "/kanban/sales", "form", nil); status != 303 {
		t.Fatalf("the session survived logout: %d", status)
	}
}

// TestPagesLoginLimit: the sign-in form allows 10 attempts a minute per
// address and e-mail.
func TestPagesLoginLimit(t *testing.T) {
	ts := newTestServer(t)
	form := url.Values{"email": {"analyst@test.local"}, "password": {"wrong"}, "csrf": {testCSRF}}
	for i := 1; i <= 10; i++ {
		if status, _, _ := ts.pageBody("POST", "/login", "", form); status != 401 {
			t.Fatalf("attempt %d: %d, want 401", i, status)
		}
	}
	form.Set("password", testPassword)
	if status, body, _ := ts.pageBody("POST", "/login", "", form); status != 429 || !strings.Contains(body, "Слишком много попыток") {
		t.Fatalf("attempt 11: %d %s, want 429", status, body)
	}
}
