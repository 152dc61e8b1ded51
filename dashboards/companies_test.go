package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// bizDeal inserts a sales deal of the user alias by plain SQL (with its
// stage_changes row), independent of the deals API; observers are added.
func bizDeal(ts *testServer, title, alias string, observers ...string) int64 {
	ts.t.Helper()
	const q = `
WITH st AS (
    SELECT s.id, s.pipeline_id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
    WHERE p.code = 'sales' AND s.code = 'new'),
d AS (
    INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_by)
    SELECT $1, st.pipeline_id, st.id, 500000, 'RUB', $2, $2 FROM st
    RETURNING id, pipeline_id, stage_id, created_at)
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at, changed_by)
SELECT id, pipeline_id, stage_id, created_at, $2 FROM d
RETURNING deal_id`
	ctx := context.Background()
	var id int64
	if err := ts.pg.Pool.QueryRow(ctx, q, title, ts.users[alias].ID).Scan(&id); err != nil {
		ts.t.Fatalf("insert deal: %v", err)
	}
	for _, o := range observers {
		if _, err := ts.pg.Pool.Exec(ctx, `INSERT INTO deal_observers (deal_id, user_id) VALUES ($1, $2)`, id, ts.users[o].ID); err != nil {
			ts.t.Fatalf("add observer: %v", err)
		}
	}
	return id
}

// tableDigest is a table's row count and a hash of all its rows: equal
// digests before and after a rejected request prove nothing changed.
func tableDigest(ts *testServer, table string) string {
	ts.t.Helper()
	var digest string
	q := `SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM ` + table + ` t`
	if err := ts.pg.Pool.QueryRow(context.Background(), q).Scan(&digest); err != nil {
		ts.t.Fatalf("digest %s: %v", table, err)
	}
	return fmt.Sprintf("%d:%s", ts.rowCount(table), digest)
}

// runRejects runs each row alone and checks, after each, that the rows of
// every listed table are what they were.
func runRejects(t *testing.T, ts *testServer, tables []string, rows []scenario) {
	t.Helper()
	for _, sc := range rows {
		before := map[string]string{}
		for _, tb := range tables {
			before[tb] = tableDigest(ts, tb)
		}
		runScenarios(t, ts, []scenario{sc})
		for _, tb := range tables {
			if after := tableDigest(ts, tb); after != before[tb] {
				t.Errorf("%s: table %s changed (%s → %s)", sc.name, tb, before[tb], after)
			}
		}
	}
}

// createdID posts a body and returns the new record's id.
func createdID(ts *testServer, path, as, body string) int64 {
	ts.t.Helper()
	var out struct{ ID int64 }
	status, text := ts.do("POST", path, as, body)
	if status != 201 {
		ts.t.Fatalf("POST %s as %s: %d %s", path, as, status, text)
	}
	if err := json.Unmarshal([]byte(text), &out); err != nil || out.ID == 0 {
		ts.t.Fatalf("POST %s: no id in %s", path, text)
	}
	return out.ID
}

func TestCompaniesAPI(t *testing.T) {
	ts := newTestServer(t)
	id := createdID(ts, "/api/v1/companies", "manager",
		`{"name":"ООО «Ромашка»","inn":"7701234567","phone":"+7 495 123-45-67","email":"info@romashka.ru","address":"Москва, Тверская, 1"}`)
	one := fmt.Sprintf("/api/v1/companies/%d", id)
	mgrID := ts.users["manager"].ID
	runScenarios(t, ts, []scenario{
		{name: "second company", method: "POST", url: "/api/v1/companies", as: "director", status: 201,
			body: `{"name":"ИП Иванов Пётр","inn":"500100732259"}`, contains: []string{`"inn":"500100732259"`}},
		{name: "analyst reads", method: "GET", url: one, as: "analyst", status: 200,
			contains: []string{"ООО «Ромашка»", `"inn":"7701234567"`, fmt.Sprintf(`"responsible_id":%d`, mgrID)}},
		{name: "another manager edits the shared directory", method: "PATCH", url: one, as: "manager2", status: 200,
			body: `{"phone":"","address":"Москва, Арбат, 10"}`, contains: []string{`"phone":null`, "Арбат", "ООО «Ромашка»"}},
		{name: "search by name", method: "GET", url: "/api/v1/companies?q=" + url.QueryEscape("ромаш"), as: "manager2", status: 200,
			contains: []string{"ООО «Ромашка»", `"total":1`}, notContains: []string{"Иванов"}},
		{name: "page", method: "GET", url: "/api/v1/companies?limit=1&offset=1", as: "manager", status: 200,
			contains: []string{`"total":2`, `"limit":1`, `"offset":1`, "ООО «Ромашка»"}},
		{name: "missing company", method: "GET", url: "/api/v1/companies/999999", as: "manager", status: 404},
		{name: "not an id", method: "GET", url: "/api/v1/companies/abc", as: "manager", status: 404},
		{name: "anonymous", method: "GET", url: one, status: 401},
		{name: "bad limit", method: "GET", url: "/api/v1/companies?limit=100000", as: "manager", status: 422, field: "limit"},
	})
	long := strings.Repeat("я", 300)
	runRejects(t, ts, []string{"companies"}, []scenario{
		{name: "analyst may not create", method: "POST", url: "/api/v1/companies", as: "analyst", body: `{"name":"ООО «Лютик»"}`, status: 403},
		{name: "analyst may not edit", method: "PATCH", url: one, as: "analyst", body: `{"name":"ООО «Лютик»"}`, status: 403},
		{name: "malformed JSON", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":`, status: 400},
		{name: "unknown field", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":"ООО «Лютик»","kpp":"770101001"}`, status: 422, field: "kpp"},
		{name: "wrong type", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":"ООО «Лютик»","responsible_id":"x"}`, status: 422, field: "responsible_id"},
		{name: "short INN", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":"ООО «Лютик»","inn":"77012345"}`, status: 422, field: "inn"},
		{name: "INN with letters", method: "PATCH", url: one, as: "manager", body: `{"inn":"77012345AB"}`, status: 422, field: "inn"},
		{name: "over-long name", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":"` + long + `"}`, status: 422, field: "name", contains: []string{"too_long"}},
		{name: "non-UTF-8 name", method: "POST", url: "/api/v1/companies", as: "manager", body: "{\"name\":\"ООО \xff\"}", status: 422, field: "name"},
		{name: "empty name", method: "PATCH", url: one, as: "manager", body: `{"name":"  "}`, status: 422, field: "name"},
		{name: "bad e-mail", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":"ООО «Лютик»","email":"почта"}`, status: 422, field: "email"},
		{name: "unknown responsible", method: "POST", url: "/api/v1/companies", as: "manager", body: `{"name":"ООО «Лютик»","responsible_id":999999}`, status: 422, field: "responsible_id"},
		{name: "patch a missing company", method: "PATCH", url: "/api/v1/companies/999999", as: "manager", body: `{"name":"ООО «Лютик»"}`, status: 404},
	})
}
