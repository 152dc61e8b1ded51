package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// TestBadTextIsRefusedNot500 sends text PostgreSQL cannot take — NUL,
// bytes that are not UTF-8, a lone surrogate — to every list's search
// and to the names of saved reports, schedules and calendar days, and
// as the login e-mail: each is a 422 naming the field, and nothing is
// written.
func TestBadTextIsRefusedNot500(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	var rows []dashtest.Scenario
	for _, list := range []string{"companies", "contacts", "products", "deals", "leads"} {
		for _, q := range []struct{ name, value string }{
			{"NUL", "a%00b"}, {"not UTF-8", "%FF"}, {"a lone surrogate", "a%ED%A0%80b"}, {"a control character", "%07"},
		} {
			rows = append(rows, dashtest.Scenario{Name: list + " q with " + q.name, Method: "GET",
				URL: "/api/v1/" + list + "?q=" + q.value, As: "director", Status: 422, Field: "q",
				Contains: []string{`"code":"invalid_encoding"`}})
		}
	}
	const def = `{"dataset":"deals","measures":[{"agg":"count"}]}`
	sched := `{"name":"Ещё\u0000","report_id":"deals_by_stage","cron":"0 9 * * 1","recipients":[` + dashtest.Itoa(ts.Users["director"].ID) + `]}`
	rows = append(rows,
		dashtest.Scenario{Name: "saved report name with NUL", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422,
			Field: "name", Body: `{"name":"От\u0000чёт","definition":` + def + `}`, Contains: []string{`"code":"invalid_encoding"`}},
		dashtest.Scenario{Name: "schedule name with NUL", Method: "POST", URL: "/api/v1/schedules", As: "director", Status: 422,
			Field: "name", Body: sched, Contains: []string{`"code":"invalid_encoding"`}},
		dashtest.Scenario{Name: "holiday name with NUL", Method: "PUT", URL: "/api/v1/holidays/2026-07-03", As: "director", Status: 422,
			Field: "name", Body: `{"kind":"holiday","name":"Корпо\u0000ратив"}`, Contains: []string{`"code":"invalid_encoding"`}},
		dashtest.Scenario{Name: "saved report name with a lone surrogate", Method: "POST", URL: "/api/v1/reports", As: "analyst", Status: 422,
			Field: "name", Body: `{"name":"От\ud800чёт","definition":` + def + `}`, Contains: []string{`"code":"invalid_encoding"`}},
		dashtest.Scenario{Name: "company name with a lone surrogate", Method: "POST", URL: "/api/v1/companies", As: "director", Status: 422,
			Field: "name", Body: `{"name":"ООО \udc00"}`, Contains: []string{`"code":"invalid_encoding"`}},
		dashtest.Scenario{Name: "login e-mail with NUL", Method: "POST", URL: "/api/v1/auth/login", Status: 422,
			Field: "email", Body: `{"email":"director\u0000@test.local","password":"x"}`, Contains: []string{`"code":"invalid_encoding"`}},
	)
	before := map[string]int{}
	for _, table := range []string{"saved_reports", "export_schedules", "holidays", "companies"} {
		before[table] = ts.RowCount(table)
	}
	dashtest.RunScenarios(t, ts.Server, rows)
	for table, n := range before {
		if ts.RowCount(table) != n {
			t.Errorf("a refused request changed %s: %d → %d rows", table, n, ts.RowCount(table))
		}
	}
	// A saved report renamed to a name with NUL is refused the same way.
	id := createdID(ts.Server, "/api/v1/reports", "analyst", `{"name":"Отчёт","definition":`+def+`}`)
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{{Name: "rename with NUL", Method: "PATCH",
		URL: "/api/v1/reports/" + dashtest.Itoa(id), As: "analyst", Body: `{"name":"\u0000"}`, Status: 422, Field: "name"}})
}

// TestInvalidDuplicatesAre422 sends leads, companies and contacts that
// both duplicate existing records and are invalid: each answers 422 on
// the field at fault (validation first), not 409 possible_duplicate.
func TestInvalidDuplicatesAre422(t *testing.T) {
	ts := dashtest.New(t)
	const phone = "+7 (900) 111-22-33"
	for url, body := range map[string]string{
		"/api/v1/leads":     `{"title":"Первый","source":"exhibition","contact":{"name":"Олег Сидоров","phone":"` + phone + `"}}`,
		"/api/v1/companies": `{"name":"ООО «Ромашка»","inn":"7701234567"}`,
		"/api/v1/contacts":  `{"first_name":"Анна","last_name":"Смирнова","phone":"+7 (900) 555-66-77"}`,
	} {
		if st, b := ts.Do("POST", url, "director", body); st != 201 {
			t.Fatalf("create %s: %d %s", url, st, b)
		}
	}
	long := strings.Repeat("д", 256)
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	lead := func(extra string) string {
		return `{"title":"Дубль","source":"exhibition","contact":{"name":"Олег","phone":"` + phone + `"}` + extra + `}`
	}
	leads, companies, contacts := ts.RowCount("leads"), ts.RowCount("companies"), ts.RowCount("contacts")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "a valid duplicate lead is 409", Method: "POST", URL: "/api/v1/leads", As: "director", Body: lead(""), Status: 409,
			Contains: []string{"possible_duplicate"}},
		{Name: "lead title too long", Method: "POST", URL: "/api/v1/leads", As: "director", Status: 422, Field: "title",
			Body: `{"title":"` + long + `","source":"exhibition","contact":{"phone":"` + phone + `"}}`, Contains: []string{"too_long"}},
		{Name: "lead contact name with a control character", Method: "POST", URL: "/api/v1/leads", As: "director", Status: 422,
			Field: "contact.name", Body: `{"title":"Дубль","source":"exhibition","contact":{"name":"Олег\u0001","phone":"` + phone + `"}}`},
		{Name: "lead for no such responsible", Method: "POST", URL: "/api/v1/leads", As: "director", Status: 422,
			Field: "responsible_id", Body: lead(`,"responsible_id":999999`), Contains: []string{"unknown_user"}},
		{Name: "lead of an unknown source", Method: "POST", URL: "/api/v1/leads", As: "director", Status: 422,
			Field: "source", Body: strings.Replace(lead(""), "exhibition", "nowhere", 1)},
		{Name: "lead at in the future", Method: "POST", URL: "/api/v1/leads", As: "admin", Status: 422,
			Field: "at", Body: lead(`,"at":"` + future + `"`), Contains: []string{"in_future"}},
		{Name: "a manager's lead for someone else", Method: "POST", URL: "/api/v1/leads", As: "manager", Status: 403,
			Field: "responsible_id", Body: lead(`,"responsible_id":` + dashtest.Itoa(ts.Users["manager2"].ID))},
		{Name: "a valid duplicate company is 409", Method: "POST", URL: "/api/v1/companies", As: "director", Status: 409,
			Body: `{"name":"Ромашка","inn":"7701234567"}`, Contains: []string{"possible_duplicate"}},
		{Name: "company name too long", Method: "POST", URL: "/api/v1/companies", As: "director", Status: 422, Field: "name",
			Body: `{"name":"` + long + `","inn":"7701234567"}`},
		{Name: "company for no such responsible", Method: "POST", URL: "/api/v1/companies", As: "director", Status: 422,
			Field: "responsible_id", Body: `{"name":"Ромашка","inn":"7701234567","responsible_id":999999}`},
		{Name: "company name with NUL", Method: "POST", URL: "/api/v1/companies", As: "director", Status: 422, Field: "name",
			Body: `{"name":"Ромашка\u0000","inn":"7701234567"}`, Contains: []string{"invalid_encoding"}},
		{Name: "a valid duplicate contact is 409", Method: "POST", URL: "/api/v1/contacts", As: "director", Status: 409,
			Body: `{"first_name":"Анна","phone":"89005556677"}`, Contains: []string{"possible_duplicate"}},
		{Name: "contact name with a control character", Method: "POST", URL: "/api/v1/contacts", As: "director", Status: 422,
			Field: "first_name", Body: `{"first_name":"Ан\u0002на","phone":"89005556677"}`},
		{Name: "contact of no such company", Method: "POST", URL: "/api/v1/contacts", As: "director", Status: 422,
			Field: "company_id", Body: `{"first_name":"Анна","phone":"89005556677","company_id":999999}`},
		{Name: "contact for no such responsible", Method: "POST", URL: "/api/v1/contacts", As: "director", Status: 422,
			Field: "responsible_id", Body: `{"first_name":"Анна","phone":"89005556677","responsible_id":999999}`},
		{Name: "an analyst's contact", Method: "POST", URL: "/api/v1/contacts", As: "analyst", Status: 403,
			Body: `{"first_name":"Анна","phone":"89005556677"}`},
	})
	if ts.RowCount("leads") != leads || ts.RowCount("companies") != companies || ts.RowCount("contacts") != contacts {
		t.Error("a refused create wrote a row")
	}
}

// TestStoreDownIs503 points the server at a PostgreSQL that is gone (a
// closed port): every call answers 503 unavailable with Retry-After, not
// 500 internal.
func TestStoreDownIs503(t *testing.T) {
	ts := dashtest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg, err := pgxpool.ParseConfig(ts.PG.Pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Fallbacks = "127.0.0.1", uint16(port), nil
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	gone, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gone.Close)
	store := crmcore.NewStore(gone)
	ts.Srv = dashboards.New(server.Deps{Store: store, Ready: store.Ping})
	for _, c := range []struct{ method, url, body string }{
		{"GET", "/api/v1/companies", ""},
		{"POST", "/api/v1/companies", `{"name":"ООО «Ромашка»"}`},
		{"GET", "/api/v1/deals?q=станк", ""},
		{"POST", "/api/v1/auth/login", `{"email":"director@test.local","password":"` + dashtest.Password + `"}`},
	} {
		t.Run(c.method+" "+c.url, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req := httptest.NewRequest(c.method, c.url, body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+ts.Tokens["director"])
			resp, err := ts.Srv.App().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct{ Error server.ErrorBody }
			json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != 503 || e.Error.Code != "unavailable" {
				t.Fatalf("status %d %+v, want 503 unavailable", resp.StatusCode, e.Error)
			}
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s <= 0 {
				t.Errorf("Retry-After %q, want a number of seconds", resp.Header.Get("Retry-After"))
			}
		})
	}
}

// TestFormTextIsChecked: a public form submission passes the same text
// check as the API — NUL in a mapped field or an extra one is a 422
// invalid_encoding naming the form's field, and creates no lead.
func TestFormTextIsChecked(t *testing.T) {
	ts := dashtest.New(t)
	key := ts.NewForm("web_form")
	leads := ts.RowCount("leads")
	for _, c := range []struct{ name, ct, body, field string }{
		{"NUL in a mapped field", "application/json", `{"fio":"Олег\u0000","tel":"89160000001"}`, "fio"},
		{"NUL in an extra field", "application/json", `{"tel":"89160000002","comment":"a\u0000b"}`, "comment"},
		{"NUL in a form-encoded field", "application/x-www-form-urlencoded", "tel=89160000003&fio=%00", "fio"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, body := ts.PostForm(key, c.ct, c.body)
			var e struct{ Error server.ErrorBody }
			json.Unmarshal([]byte(body), &e)
			if st != 422 || e.Error.Code != "invalid_encoding" || e.Error.Field != c.field {
				t.Errorf("%d %s, want 422 invalid_encoding on %s", st, body, c.field)
			}
		})
	}
	if ts.RowCount("leads") != leads {
		t.Error("a refused submission created a lead")
	}
}
