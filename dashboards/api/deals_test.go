package api_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/dashtest"
)

// apiDeal creates a sales deal over HTTP as the given user.
func apiDeal(ts *dashtest.Server, as, title string) crmcore.Deal {
	ts.T.Helper()
	var d crmcore.Deal
	in := map[string]any{"title": title, "pipeline": "sales", "amount": 250000, "currency": "RUB"}
	if st := ts.DoJSON("POST", "/api/v1/deals", as, in, &d); st != 201 {
		ts.T.Fatalf("create deal %q as %s: status %d", title, as, st)
	}
	return d
}

// runUnchanged runs rows that must be refused and, after each, checks
// by plain SQL counts that none of tables changed.
func runUnchanged(t *testing.T, ts *dashtest.Server, rows []dashtest.Scenario, tables ...string) {
	t.Helper()
	for _, row := range rows {
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = ts.RowCount(tb)
		}
		dashtest.RunScenarios(t, ts, []dashtest.Scenario{row})
		for _, tb := range tables {
			if n := ts.RowCount(tb); n != before[tb] {
				t.Errorf("%s: %s has %d rows, had %d", row.Name, tb, n, before[tb])
			}
		}
	}
}

func TestDealsAPIWorkflow(t *testing.T) {
	ts := dashtest.New(t)
	a := apiDeal(ts, "manager", "Поставка станков ЧПУ")
	u := fmt.Sprintf("/api/v1/deals/%d", a.ID)
	mgr2 := ts.Users["manager2"].ID
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "create with defaults", Method: "POST", URL: "/api/v1/deals", As: "manager", Status: 201,
			Body:     `{"title":"Внедрение CRM для «Ромашки»","pipeline":"interest","amount":"99.90","source":"website"}`,
			Contains: []string{`"stage":"new"`, `"stage_name":"Новый"`, `"currency":"RUB"`, `"amount":99.90`, `"source":"website"`, "Иванов Иван Иванович"}},
		{Name: "get one", Method: "GET", URL: u, As: "manager", Status: 200,
			Contains: []string{"Поставка станков ЧПУ", `"pipeline":"sales"`, `"stage_name":"Не обработана"`, `"stage_kind":"open"`,
				`"probability":0`, `"amount":250000.00`, `"observers":[]`, `"closed_at":null`}},
		{Name: "list with filters", Method: "GET", URL: "/api/v1/deals?pipeline=sales&stage=new&q=" + url.QueryEscape("СТАНКОВ"), As: "manager",
			Status: 200, Contains: []string{"Поставка станков ЧПУ", `"total":1`}, NotContains: []string{"Ромашки"}},
		{Name: "list by responsible", Method: "GET", URL: fmt.Sprintf("/api/v1/deals?responsible_id=%d&limit=1", ts.Users["manager"].ID),
			As: "director", Status: 200, Contains: []string{`"total":2`, `"limit":1`, "Ромашки"}, NotContains: []string{"станков"}},
		{Name: "patch", Method: "PATCH", URL: u, As: "manager", Status: 200, Body: `{"title":"Поставка станков ЧПУ (5 шт.)","amount":300000,"currency":"EUR"}`,
			Contains: []string{"(5 шт.)", `"amount":300000.00`, `"currency":"EUR"`}},
		{Name: "move", Method: "POST", URL: u + "/move", As: "manager", Status: 200, Body: `{"stage":"first_contact"}`,
			Contains: []string{`"stage":"first_contact"`, `"probability":20`}},
		{Name: "move not allowed", Method: "POST", URL: u + "/move", As: "manager", Status: 409, Body: `{"stage":"won"}`,
			Contains: []string{"transition_not_allowed", "first_contact", "won", `"allowed":[`}},
		{Name: "move to the current stage", Method: "POST", URL: u + "/move", As: "manager", Status: 409, Body: `{"stage":"first_contact"}`},
		{Name: "lose with a reason", Method: "POST", URL: u + "/move", As: "manager", Status: 200, Body: `{"stage":"refused","reason":"Дорого"}`,
			Contains: []string{`"stage_kind":"lost"`, `"lost_reason":"Дорого"`}, NotContains: []string{`"closed_at":null`}},
		{Name: "reopen", Method: "POST", URL: u + "/move", As: "manager", Status: 200, Body: `{"stage":"new"}`,
			Contains: []string{`"closed_at":null`, `"lost_reason":null`}},
		{Name: "history", Method: "GET", URL: u + "/history", As: "manager", Status: 200,
			Contains: []string{`"from":null,"to":"new"`, `"to_name":"Первичный контакт"`, `"reason":"Дорого"`, `"by_name":"Иванов Иван Иванович"`, `"total":4`}},
		{Name: "add observer", Method: "POST", URL: u + "/observers", As: "manager", Status: 201, Body: fmt.Sprintf(`{"user_id":%d}`, mgr2),
			Contains: []string{fmt.Sprintf(`"observers":[%d]`, mgr2)}},
		{Name: "add observer again", Method: "POST", URL: u + "/observers", As: "manager", Status: 200, Body: fmt.Sprintf(`{"user_id":%d}`, mgr2)},
		{Name: "observer reads", Method: "GET", URL: u, As: "manager2", Status: 200, Contains: []string{"Поставка станков"}},
		{Name: "observer lists", Method: "GET", URL: "/api/v1/deals", As: "manager2", Status: 200, Contains: []string{`"total":1`}},
		{Name: "observer cannot move", Method: "POST", URL: u + "/move", As: "manager2", Status: 403, Body: `{"stage":"needs"}`, Contains: []string{"read_only"}},
		{Name: "observer cannot patch", Method: "PATCH", URL: u, As: "manager2", Status: 403, Body: `{"title":"Моя"}`},
		{Name: "manager cannot assign", Method: "POST", URL: u + "/assign", As: "manager", Status: 403, Body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2)},
		{Name: "analyst reads", Method: "GET", URL: u, As: "analyst", Status: 200},
		{Name: "analyst cannot create", Method: "POST", URL: "/api/v1/deals", As: "analyst", Status: 403, Body: `{"title":"Аналитика","pipeline":"sales"}`,
			Contains: []string{"read_only"}},
		{Name: "analyst cannot move", Method: "POST", URL: u + "/move", As: "analyst", Status: 403, Body: `{"stage":"needs"}`},
		{Name: "analyst cannot patch", Method: "PATCH", URL: u, As: "analyst", Status: 403, Body: `{"title":"Аналитика"}`},
		{Name: "analyst cannot assign", Method: "POST", URL: u + "/assign", As: "analyst", Status: 403, Body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2)},
		{Name: "director assigns", Method: "POST", URL: u + "/assign", As: "director", Status: 200, Body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2),
			Contains: []string{"Петрова Анна Викторовна"}},
		{Name: "old responsible loses it", Method: "GET", URL: u, As: "manager", Status: 404},
		{Name: "new responsible moves it", Method: "POST", URL: u + "/move", As: "manager2", Status: 200, Body: `{"stage":"needs"}`},
		{Name: "anonymous", Method: "GET", URL: "/api/v1/deals", Status: 401},
	})
	if n := ts.RowCount("stage_changes"); n != 2+4 {
		t.Errorf("stage_changes = %d, want 2 creations + 4 moves", n)
	}
}

func TestDealsAPIBackfill(t *testing.T) {
	ts := dashtest.New(t)
	at := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
	runUnchanged(t, ts, []dashtest.Scenario{
		{Name: "manager may not backfill", Method: "POST", URL: "/api/v1/deals", As: "manager", Status: 403, Field: "at",
			Body: `{"title":"Из старой CRM","pipeline":"sales","at":"` + at + `"}`, Contains: []string{"backfill_forbidden"}},
	}, "deals", "stage_changes")
	var d crmcore.Deal
	in := map[string]any{"title": "Из старой CRM", "pipeline": "sales", "responsible_id": ts.Users["manager"].ID, "at": at}
	if st := ts.DoJSON("POST", "/api/v1/deals", "admin", in, &d); st != 201 {
		t.Fatalf("admin backfill: %d", st)
	}
	var n int
	err := ts.PG.Pool.QueryRow(ts.T.Context(), `SELECT count(*) FROM stage_changes WHERE deal_id = $1 AND changed_at = $2`, d.ID, at).Scan(&n)
	if err != nil || n != 1 || d.CreatedAt.Format(time.RFC3339) != at {
		t.Errorf("backfilled history rows at %s = %d (%v), created_at %v", at, n, err, d.CreatedAt)
	}
}

func TestDealsAPINoAccess(t *testing.T) {
	ts := dashtest.New(t)
	d := apiDeal(ts, "manager", "Секретная сделка Иванова")
	u := fmt.Sprintf("/api/v1/deals/%d", d.ID)
	mgr2 := ts.Users["manager2"].ID
	hidden := []string{"Секретная", "Иванов"}
	runUnchanged(t, ts, []dashtest.Scenario{
		{Name: "GET", Method: "GET", URL: u, As: "manager2", Status: 404, NotContains: hidden},
		{Name: "PATCH", Method: "PATCH", URL: u, As: "manager2", Status: 404, Body: `{"title":"Моя теперь"}`, NotContains: hidden},
		{Name: "move", Method: "POST", URL: u + "/move", As: "manager2", Status: 404, Body: `{"stage":"needs"}`, NotContains: hidden},
		{Name: "history", Method: "GET", URL: u + "/history", As: "manager2", Status: 404, NotContains: hidden},
		{Name: "observers", Method: "POST", URL: u + "/observers", As: "manager2", Status: 404, Body: fmt.Sprintf(`{"user_id":%d}`, mgr2), NotContains: hidden},
		{Name: "assign", Method: "POST", URL: u + "/assign", As: "manager2", Status: 404, Body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2), NotContains: hidden},
		{Name: "list", Method: "GET", URL: "/api/v1/deals", As: "manager2", Status: 200, Contains: []string{`"items":[]`, `"total":0`}, NotContains: hidden},
		{Name: "absent id", Method: "GET", URL: "/api/v1/deals/999999", As: "director", Status: 404},
		{Name: "non-numeric id", Method: "GET", URL: "/api/v1/deals/abc", As: "director", Status: 404},
	}, "deals", "stage_changes", "deal_observers")
	var got crmcore.Deal
	if ts.DoJSON("GET", u, "manager", nil, &got) != 200 || got.Title != "Секретная сделка Иванова" || got.Stage != "new" || got.ResponsibleID != ts.Users["manager"].ID {
		t.Errorf("deal changed by refused calls: %+v", got)
	}
}

func TestDealsAPIRejectsBadInput(t *testing.T) {
	ts := dashtest.New(t)
	d := apiDeal(ts, "manager", "Поставка бумаги")
	u := fmt.Sprintf("/api/v1/deals/%d", d.ID)
	long := strings.Repeat("я", 300)
	post := func(name, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: "create: " + name, Method: "POST", URL: "/api/v1/deals", As: "manager", Body: body, Status: status, Field: field}
	}
	runUnchanged(t, ts, []dashtest.Scenario{
		post("malformed JSON", `{"title":`, 400, ""),
		post("unknown field", `{"title":"Сделка","pipeline":"sales","stage":"won"}`, 422, "stage"),
		post("amount is text", `{"title":"Сделка","pipeline":"sales","amount":"abc"}`, 422, "amount"),
		post("responsible is text", `{"title":"Сделка","pipeline":"sales","responsible_id":"x"}`, 422, "responsible_id"),
		post("unknown currency", `{"title":"Сделка","pipeline":"sales","currency":"XXX"}`, 422, "currency"),
		post("negative amount", `{"title":"Сделка","pipeline":"sales","amount":-100}`, 422, "amount"),
		post("title of 300 characters", `{"title":"`+long+`","pipeline":"sales"}`, 422, "title"),
		post("non-UTF-8 title", "{\"title\":\"\xff\xfe\",\"pipeline\":\"sales\"}", 422, "title"),
		post("unknown pipeline", `{"title":"Сделка","pipeline":"nope"}`, 422, "pipeline"),
		post("lead pipeline", `{"title":"Сделка","pipeline":"leads"}`, 422, "pipeline"),
		post("empty title", `{"title":"  ","pipeline":"sales"}`, 422, "title"),
		post("unknown company", `{"title":"Сделка","pipeline":"sales","company_id":424242}`, 422, "company_id"),
		post("for another manager", fmt.Sprintf(`{"title":"Сделка","pipeline":"sales","responsible_id":%d}`, ts.Users["manager2"].ID), 403, "responsible_id"),
		{Name: "patch: stage", Method: "PATCH", URL: u, As: "manager", Body: `{"stage":"won"}`, Status: 422, Field: "stage", Contains: []string{"unknown_field"}},
		{Name: "patch: responsible", Method: "PATCH", URL: u, As: "manager", Body: `{"responsible_id":1}`, Status: 422, Field: "responsible_id"},
		{Name: "patch: currency", Method: "PATCH", URL: u, As: "manager", Body: `{"currency":"XXX"}`, Status: 422, Field: "currency"},
		{Name: "patch: negative amount", Method: "PATCH", URL: u, As: "manager", Body: `{"amount":-1}`, Status: 422, Field: "amount"},
		{Name: "patch: non-UTF-8", Method: "PATCH", URL: u, As: "manager", Body: "{\"title\":\"\xff\xfe\"}", Status: 422, Field: "title"},
		{Name: "patch: malformed", Method: "PATCH", URL: u, As: "manager", Body: `{"title"`, Status: 400},
		{Name: "move: unknown stage", Method: "POST", URL: u + "/move", As: "manager", Body: `{"stage":"choice"}`, Status: 422, Field: "stage"},
		{Name: "move: stage is a number", Method: "POST", URL: u + "/move", As: "manager", Body: `{"stage":5}`, Status: 422, Field: "stage"},
		{Name: "move: malformed", Method: "POST", URL: u + "/move", As: "manager", Body: `{`, Status: 400},
		{Name: "assign: unknown user", Method: "POST", URL: u + "/assign", As: "director", Body: `{"responsible_id":999999}`, Status: 422, Field: "responsible_id"},
		{Name: "assign: text", Method: "POST", URL: u + "/assign", As: "director", Body: `{"responsible_id":"x"}`, Status: 422, Field: "responsible_id"},
		{Name: "observers: unknown user", Method: "POST", URL: u + "/observers", As: "manager", Body: `{"user_id":999999}`, Status: 422, Field: "user_id"},
		{Name: "list: responsible is text", Method: "GET", URL: "/api/v1/deals?responsible_id=x", As: "director", Status: 422, Field: "responsible_id"},
		{Name: "list: limit too big", Method: "GET", URL: "/api/v1/deals?limit=501", As: "director", Status: 422, Field: "limit"},
		{Name: "list: limit zero", Method: "GET", URL: "/api/v1/deals?limit=0", As: "director", Status: 422, Field: "limit"},
		{Name: "list: unknown stage", Method: "GET", URL: "/api/v1/deals?stage=zzz", As: "director", Status: 422, Field: "stage"},
		{Name: "list: unknown pipeline", Method: "GET", URL: "/api/v1/deals?pipeline=nope", As: "director", Status: 422, Field: "pipeline"},
	}, "deals", "stage_changes", "deal_observers")
	var got crmcore.Deal
	if ts.DoJSON("GET", u, "manager", nil, &got) != 200 || got.Title != "Поставка бумаги" || got.Stage != "new" ||
		got.Currency != "RUB" || got.Amount.StringFixed(2) != "250000.00" || got.ResponsibleID != ts.Users["manager"].ID {
		t.Errorf("deal changed by rejected calls: %+v", got)
	}
}
