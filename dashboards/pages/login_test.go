package pages_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

func TestPagesLogin(t *testing.T) {
	ts := dashtest.New(t)
	form := func(email, pw, csrf string) url.Values {
		return url.Values{"email": {email}, "password": {pw}, "csrf": {csrf}}
	}
	tokens := ts.RowCount("auth_tokens")
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
			contains: []string{`lang="ru"`, "Вход", `name="csrf" value="` + dashtest.CSRF + `"`, "Свежесть данных: неизвестно"}},
		{name: "English switch", method: "GET", url: "/login?lang=en", status: 200, contains: []string{`lang="en"`, "Sign in", "Data freshness: unknown", `href="/login?lang=ru"`}},
		{name: "no CSRF token", method: "POST", url: "/login", form: form("director@test.local", dashtest.Password, ""), status: 403, contains: []string{"Форма устарела"}},
		{name: "wrong CSRF token", method: "POST", url: "/login", form: form("director@test.local", dashtest.Password, strings.Repeat("a", 64)), status: 403},
		{name: "wrong password", method: "POST", url: "/login", form: form("director@test.local", "nope", dashtest.CSRF), status: 401, contains: []string{"Неверная почта или пароль"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, body, h := ts.PageBody(sc.method, sc.url, sc.as, sc.form)
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
	if n := ts.RowCount("auth_tokens"); n != tokens {
		t.Fatalf("auth_tokens %d after rejected sign-ins, want %d", n, tokens)
	}
	resp := ts.Page("POST", "/login", "", form("director@test.local", dashtest.Password, dashtest.CSRF))
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == server.SessionCookie && c.HttpOnly {
			session = c.Value
		}
	}
	if session == "" || ts.RowCount("auth_tokens") != tokens+1 {
		t.Fatalf("no HttpOnly session cookie or token row: %v", resp.Cookies())
	}
	ts.Tokens["form"] = session
	if status, body, _ := ts.PageBody("GET", "/kanban/sales", "form", nil); status != 200 || !strings.Contains(body, "Орлова Марина Сергеевна") || !strings.Contains(body, "(директор)") {
		t.Fatalf("kanban after login: %d %s", status, body)
	}
	if status, _, h := ts.PageBody("POST", "/logout", "form", url.Values{"csrf": {dashtest.CSRF}}); status != 303 || h.Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", status, h.Get("Location"))
	}
	if status, _, _ := ts.PageBody("GET", "/kanban/sales", "form", nil); status != 303 {
		t.Fatalf("the session survived logout: %d", status)
	}
}

// TestPagesLoginLimit: ten failed sign-ins lock the account (the limits
// themselves are tested in dashboards/server); the form then says so in
// Russian, with 429, even to the right password.
func TestPagesLoginLimit(t *testing.T) {
	ts := dashtest.New(t)
	form := url.Values{"email": {"analyst@test.local"}, "password": {"wrong"}, "csrf": {dashtest.CSRF}}
	for i := 1; i <= 10; i++ {
		if status, _, _ := ts.PageBody("POST", "/login", "", form); status != 401 {
			t.Fatalf("attempt %d: %d, want 401", i, status)
		}
	}
	form.Set("password", dashtest.Password)
	if status, body, _ := ts.PageBody("POST", "/login", "", form); status != 429 || !strings.Contains(body, "Вход для этой почты временно закрыт") {
		t.Fatalf("attempt 11: %d %s, want 429", status, body)
	}
}
