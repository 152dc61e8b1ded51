package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// bizDeal inserts a sales deal of the user alias by plain SQL (with its
// stage_changes row), independent of the deals API; observers are added.
func bizDeal(ts *dashtest.Server, title, alias string, observers ...string) int64 {
	ts.T.Helper()
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
	if err := ts.PG.Pool.QueryRow(ctx, q, title, ts.Users[alias].ID).Scan(&id); err != nil {
		ts.T.Fatalf("insert deal: %v", err)
	}
	for _, o := range observers {
		if _, err := ts.PG.Pool.Exec(ctx, `INSERT INTO deal_observers (deal_id, user_id) VALUES ($1, $2)`, id, ts.Users[o].ID); err != nil {
			ts.T.Fatalf("add observer: %v", err)
		}
	}
	return id
}

// tableDigest is a table's row count and a hash of all its rows: equal
// digests before and after a rejected request prove nothing changed.
func tableDigest(ts *dashtest.Server, table string) string {
	ts.T.Helper()
	var digest string
	q := `SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM ` + table + ` t`
	if err := ts.PG.Pool.QueryRow(context.Background(), q).Scan(&digest); err != nil {
		ts.T.Fatalf("digest %s: %v", table, err)
	}
	return fmt.Sprintf("%d:%s", ts.RowCount(table), digest)
}

// runRejects runs each row alone and checks, after each, that the rows of
// every listed table are what they were.
func runRejects(t *testing.T, ts *dashtest.Server, tables []string, rows []dashtest.Scenario) {
	t.Helper()
	for _, sc := range rows {
		before := map[string]string{}
		for _, tb := range tables {
			before[tb] = tableDigest(ts, tb)
		}
		dashtest.RunScenarios(t, ts, []dashtest.Scenario{sc})
		for _, tb := range tables {
			if after := tableDigest(ts, tb); after != before[tb] {
				t.Errorf("%s: table %s changed (%s → %s)", sc.Name, tb, before[tb], after)
			}
		}
	}
}

// createdID posts a body and returns the new record's id.
func createdID(ts *dashtest.Server, path, as, body string) int64 {
	ts.T.Helper()
	var out struct{ ID int64 }
	status, text := ts.Do("POST", path, as, body)
	if status != 201 {
		ts.T.Fatalf("POST %s as %s: %d %s", path, as, status, text)
	}
	if err := json.Unmarshal([]byte(text), &out); err != nil || out.ID == 0 {
		ts.T.Fatalf("POST %s: no id in %s", path, text)
	}
	return out.ID
}

func TestCompaniesAPI(t *testing.T) {
	ts := dashtest.New(t)
	id := createdID(ts, "/api/v1/companies", "manager",
		`{"name":"ООО «Ромашка»","inn":"7701234567","phone":"+7 495 123-45-67","email":"info@romashka.ru","address":"Москва, Тверская, 1"}`)
	one := fmt.Sprintf("/api/v1/companies/%d", id)
	mgrID := ts.Users["manager"].ID
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "second company", Method: "POST", URL: "/api/v1/companies", As: "director", Status: 201,
			Body: `{"name":"ИП Иванов Пётр","inn":"500100732259"}`, Contains: []string{`"inn":"500100732259"`}},
		{Name: "analyst reads", Method: "GET", URL: one, As: "analyst", Status: 200,
			Contains: []string{"ООО «Ромашка»", `"inn":"7701234567"`, fmt.Sprintf(`"responsible_id":%d`, mgrID)}},
		{Name: "another manager edits the shared directory", Method: "PATCH", URL: one, As: "manager2", Status: 200,
			Body: `{"phone":"","address":"Москва, Арбат, 10"}`, Contains: []string{`"phone":null`, "Арбат", "ООО «Ромашка»"}},
		{Name: "search by name", Method: "GET", URL: "/api/v1/companies?q=" + url.QueryEscape("ромаш"), As: "manager2", Status: 200,
			Contains: []string{"ООО «Ромашка»", `"total":1`}, NotContains: []string{"Иванов"}},
		{Name: "page", Method: "GET", URL: "/api/v1/companies?limit=1&offset=1", As: "manager", Status: 200,
			Contains: []string{`"total":2`, `"limit":1`, `"offset":1`, "ООО «Ромашка»"}},
		{Name: "missing company", Method: "GET", URL: "/api/v1/companies/999999", As: "manager", Status: 404},
		{Name: "not an id", Method: "GET", URL: "/api/v1/companies/abc", As: "manager", Status: 404},
		{Name: "anonymous", Method: "GET", URL: one, Status: 401},
		{Name: "bad limit", Method: "GET", URL: "/api/v1/companies?limit=100000", As: "manager", Status: 422, Field: "limit"},
	})
	long := strings.Repeat("я", 300)
	runRejects(t, ts, []string{"companies"}, []dashtest.Scenario{
		{Name: "analyst may not create", Method: "POST", URL: "/api/v1/companies", As: "analyst", Body: `{"name":"ООО «Лютик»"}`, Status: 403},
		{Name: "analyst may not edit", Method: "PATCH", URL: one, As: "analyst", Body: `{"name":"ООО «Лютик»"}`, Status: 403},
		{Name: "malformed JSON", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":`, Status: 400},
		{Name: "unknown field", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":"ООО «Лютик»","kpp":"770101001"}`, Status: 422, Field: "kpp"},
		{Name: "wrong type", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":"ООО «Лютик»","responsible_id":"x"}`, Status: 422, Field: "responsible_id"},
		{Name: "short INN", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":"ООО «Лютик»","inn":"77012345"}`, Status: 422, Field: "inn"},
		{Name: "INN with letters", Method: "PATCH", URL: one, As: "manager", Body: `{"inn":"77012345AB"}`, Status: 422, Field: "inn"},
		{Name: "over-long name", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":"` + long + `"}`, Status: 422, Field: "name", Contains: []string{"too_long"}},
		{Name: "non-UTF-8 name", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: "{\"name\":\"ООО \xff\"}", Status: 422, Field: "name"},
		{Name: "empty name", Method: "PATCH", URL: one, As: "manager", Body: `{"name":"  "}`, Status: 422, Field: "name"},
		{Name: "bad e-mail", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":"ООО «Лютик»","email":"почта"}`, Status: 422, Field: "email"},
		{Name: "unknown responsible", Method: "POST", URL: "/api/v1/companies", As: "manager", Body: `{"name":"ООО «Лютик»","responsible_id":999999}`, Status: 422, Field: "responsible_id"},
		{Name: "patch a missing company", Method: "PATCH", URL: "/api/v1/companies/999999", As: "manager", Body: `{"name":"ООО «Лютик»"}`, Status: 404},
	})
}
