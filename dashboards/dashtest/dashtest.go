package dashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// Server is the whole server (dashboards.New) over a fresh database with
// one signed-in user per role: admin, director, analyst, and two managers
// (manager, manager2).
type Server struct {
	T      *testing.T
	Srv    *server.Server
	Store  *crmcore.Store
	PG     *testenv.PG
	Users  map[string]crmcore.User // by alias
	Tokens map[string]string       // by alias: the bearer token, also the session cookie
}

// Password is every test user's password.
const Password = "secret-пароль"

// New is the server over a fresh database with its users signed in
// through POST /api/v1/auth/login.
func New(t *testing.T) *Server {
	t.Helper()
	pg := testenv.NewPG(t)
	store := crmcore.NewStore(pg.Pool)
	ts := &Server{T: t, PG: pg, Store: store, Users: map[string]crmcore.User{}, Tokens: map[string]string{},
		Srv: dashboards.New(server.Deps{Store: store, Ready: store.Ping})}
	for _, u := range []struct{ alias, name, role string }{
		{"admin", "Администратор Системы", "admin"},
		{"director", "Орлова Марина Сергеевна", "director"},
		{"analyst", "Ким Алексей Петрович", "analyst"},
		{"manager", "Иванов Иван Иванович", "manager"},
		{"manager2", "Петрова Анна Викторовна", "manager"},
	} {
		created, err := store.CreateUser(context.Background(), crmcore.NewUser{
			Email: u.alias + "@test.local", Name: u.name, Role: u.role, Password: Password})
		if err != nil {
			t.Fatalf("create %s: %v", u.alias, err)
		}
		ts.Users[u.alias] = created
		status, body := ts.Do("POST", "/api/v1/auth/login", "", `{"email":"`+u.alias+`@test.local","password":"`+Password+`"}`)
		if status != 200 {
			t.Fatalf("login %s: %d %s", u.alias, status, body)
		}
		var lr struct{ Token string }
		json.Unmarshal([]byte(body), &lr)
		ts.Tokens[u.alias] = lr.Token
	}
	return ts
}

// Do sends one request as the user alias ("" = anonymous); body may be
// "" for none. It returns the status and the body text.
func (ts *Server) Do(method, url, as, body string) (int, string) {
	ts.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+ts.Tokens[as])
	}
	return ts.send(req)
}

// send runs req through the app and returns the status and the body text.
func (ts *Server) send(req *http.Request) (int, string) {
	ts.T.Helper()
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		ts.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// DoJSON sends a request and decodes a 2xx answer into out.
func (ts *Server) DoJSON(method, url, as string, in, out any) int {
	ts.T.Helper()
	body := ""
	if in != nil {
		b, _ := json.Marshal(in)
		body = string(b)
	}
	status, text := ts.Do(method, url, as, body)
	if out != nil && status < 300 {
		if err := json.Unmarshal([]byte(text), out); err != nil {
			ts.T.Fatalf("%s %s: decode %q: %v", method, url, text, err)
		}
	}
	return status
}

// Scenario is one row of an HTTP test table.
type Scenario struct {
	Name        string
	Method, URL string
	As          string // user alias, "" = anonymous
	Body        string
	Status      int
	Contains    []string // substrings the body must hold
	NotContains []string // substrings it must not
	Field       string   // expected error field, when an error
}

// RunScenarios runs each row as a subtest against ts.
func RunScenarios(t *testing.T, ts *Server, rows []Scenario) {
	t.Helper()
	for _, sc := range rows {
		t.Run(sc.Name, func(t *testing.T) {
			status, body := ts.Do(sc.Method, sc.URL, sc.As, sc.Body)
			if status != sc.Status {
				t.Fatalf("%s %s as %q: status %d, want %d; body %s", sc.Method, sc.URL, sc.As, status, sc.Status, body)
			}
			for _, s := range sc.Contains {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q: %s", s, body)
				}
			}
			for _, s := range sc.NotContains {
				if strings.Contains(body, s) {
					t.Errorf("body holds %q: %s", s, body)
				}
			}
			if sc.Field != "" {
				var e struct {
					Error server.ErrorBody `json:"error"`
				}
				json.Unmarshal([]byte(body), &e)
				if e.Error.Field != sc.Field {
					t.Errorf("error field %q, want %q (%s)", e.Error.Field, sc.Field, body)
				}
			}
		})
	}
}

// RowCount is a plain SQL count, to prove a rejected request changed nothing.
func (ts *Server) RowCount(table string) int {
	ts.T.Helper()
	var n int
	if err := ts.PG.Pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		ts.T.Fatalf("count %s: %v", table, err)
	}
	return n
}

// NewEngine is New after each fixture (SQL with %[1]d = manager's id,
// %[2]d = manager2's) ran on PostgreSQL in turn and every mirrored table
// was copied to a fresh ClickHouse database, the server given a report
// engine over it with the clock at 2025-03-01.
func NewEngine(t *testing.T, fixtures ...string) *Server {
	t.Helper()
	ts := New(t)
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	for _, fixture := range fixtures {
		if _, err := ts.PG.Pool.Exec(context.Background(), fmt.Sprintf(fixture, m, m2)); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	ts.Mirror(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	return ts
}

// Mirror copies every mirrored table to a fresh ClickHouse database, as
// the change stream would, and gives the server a report engine over it
// with the clock at now; it returns the database.
func (ts *Server) Mirror(now time.Time) *testenv.CH {
	ts.T.Helper()
	ch := testenv.NewCH(ts.T)
	testenv.Mirror(ts.T, ts.PG, ch, testenv.Copy{})
	ts.Srv = dashboards.New(server.Deps{Store: ts.Store, Ready: ts.Store.Ping,
		Reports: &engine.Engine{CH: ch.DB, Now: func() time.Time { return now }},
		Saved:   &saved.Store{PG: ts.PG.Pool, Now: func() time.Time { return now }}})
	return ch
}

// Itoa is an id as text.
func Itoa(id int64) string { return strconv.FormatInt(id, 10) }
