package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// testServer is a Server over a fresh database with one signed-in user per
// role: admin, director, analyst, and two managers (manager, manager2).
type testServer struct {
	t      *testing.T
	srv    *server.Server
	store  *crmcore.Store
	pg     *testenv.PG
	users  map[string]crmcore.User // by alias
	tokens map[string]string       // by alias
}

const testPassword = "secret-пароль"

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	pg := testenv.NewPG(t)
	store := crmcore.NewStore(pg.Pool)
	ts := &testServer{t: t, pg: pg, store: store, users: map[string]crmcore.User{}, tokens: map[string]string{},
		srv: New(server.Deps{Store: store, Ready: store.Ping})}
	for _, u := range []struct{ alias, name, role string }{
		{"admin", "Администратор Системы", "admin"},
		{"director", "Орлова Марина Сергеевна", "director"},
		{"analyst", "Ким Алексей Петрович", "analyst"},
		{"manager", "Иванов Иван Иванович", "manager"},
		{"manager2", "Петрова Анна Викторовна", "manager"},
	} {
		created, err := store.CreateUser(context.Background(), crmcore.NewUser{
			Email: u.alias + "@test.local", Name: u.name, Role: u.role, Password: testPassword})
		if err != nil {
			t.Fatalf("create %s: %v", u.alias, err)
		}
		ts.users[u.alias] = created
		status, body := ts.do("POST", "/api/v1/auth/login", "", `{"email":"`+u.alias+`@test.local","password":"`+testPassword+`"}`)
		if status != 200 {
			t.Fatalf("login %s: %d %s", u.alias, status, body)
		}
		var lr struct{ Token string }
		json.Unmarshal([]byte(body), &lr)
		ts.tokens[u.alias] = lr.Token
	}
	return ts
}

// do sends one request as the user alias ("" = anonymous); body may be
// "" for none. It returns the status and the body text.
func (ts *testServer) do(method, url, as, body string) (int, string) {
	ts.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+ts.tokens[as])
	}
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// doJSON sends a request and decodes a 2xx answer into out.
func (ts *testServer) doJSON(method, url, as string, in, out any) int {
	ts.t.Helper()
	body := ""
	if in != nil {
		b, _ := json.Marshal(in)
		body = string(b)
	}
	status, text := ts.do(method, url, as, body)
	if out != nil && status < 300 {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			ts.t.Fatalf("%s %s: decode %q: %v", method, url, text, err)
		}
	}
	return status
}

// scenario is one row of an HTTP test table.
type scenario struct {
	name        string
	method, url string
	as          string // user alias, "" = anonymous
	body        string
	status      int
	contains    []string // substrings the body must hold
	notContains []string // substrings it must not
	field       string   // expected error field, when an error
}

func runScenarios(t *testing.T, ts *testServer, rows []scenario) {
	t.Helper()
	for _, sc := range rows {
		t.Run(sc.name, func(t *testing.T) {
			status, body := ts.do(sc.method, sc.url, sc.as, sc.body)
			if status != sc.status {
				t.Fatalf("%s %s as %q: status %d, want %d; body %s", sc.method, sc.url, sc.as, status, sc.status, body)
			}
			for _, s := range sc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q: %s", s, body)
				}
			}
			for _, s := range sc.notContains {
				if strings.Contains(body, s) {
					t.Errorf("body holds %q: %s", s, body)
				}
			}
			if sc.field != "" {
				var e struct {
					Error server.ErrorBody `json:"error"`
				}
				json.Unmarshal([]byte(body), &e)
				if e.Error.Field != sc.field {
					t.Errorf("error field %q, want %q (%s)", e.Error.Field, sc.field, body)
				}
			}
		})
	}
}

// rowCount is a plain SQL count, to prove a rejected request changed nothing.
func (ts *testServer) rowCount(table string) int {
	ts.t.Helper()
	var n int
	if err := ts.pg.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		ts.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// newEngineServer is the harness after fixture (SQL with %[1]d = manager's
// id, %[2]d = manager2's) ran on PostgreSQL and every mirrored table was
// copied to a fresh ClickHouse database, the server given a report engine
// over it with the clock at 2025-03-01.
func newEngineServer(t *testing.T, fixture string) *testServer {
	t.Helper()
	ts := newTestServer(t)
	if _, err := ts.pg.Pool.Exec(context.Background(), fmt.Sprintf(fixture, ts.users["manager"].ID, ts.users["manager2"].ID)); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	ch := testenv.NewCH(t)
	testenv.Mirror(t, ts.pg, ch, testenv.Copy{})
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	ts.srv = New(server.Deps{Store: ts.store, Ready: ts.store.Ping,
		Reports: &reports.Engine{CH: ch.DB, PG: ts.pg.Pool, Now: func() time.Time { return now }}})
	return ts
}
