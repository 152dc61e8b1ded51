package dashboards

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
)

// apiDeal creates a sales deal over HTTP as the given user.
func (ts *testServer) apiDeal(as, title string) crmcore.Deal {
	ts.t.Helper()
	var d crmcore.Deal
	in := map[string]any{"title": title, "pipeline": "sales", "amount": 250000, "currency": "RUB"}
	if st := ts.doJSON("POST", "/api/v1/deals", as, in, &d); st != 201 {
		ts.t.Fatalf("create deal %q as %s: status %d", title, as, st)
	}
	return d
}

// runUnchanged runs rows that must be refused and, after each, checks
// by plain SQL counts that none of tables changed.
func runUnchanged(t *testing.T, ts *testServer, rows []scenario, tables ...string) {
	t.Helper()
	for _, row := range rows {
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = ts.rowCount(tb)
		}
		runScenarios(t, ts, []scenario{row})
		for _, tb := range tables {
			if n := ts.rowCount(tb); n != before[tb] {
				t.Errorf("%s: %s has %d rows, had %d", row.name, tb, n, before[tb])
			}
		}
	}
}

func TestDealsAPIWorkflow(t *testing.T) {
	ts := newTestServer(t)
	a := ts.apiDeal("manager", "Поставка станков ЧПУ")
	u := fmt.Sprintf("/api/v1/deals/%d", a.ID)
	mgr2 := ts.users["manager2"].ID
	runScenarios(t, ts, []scenario{
		{name: "create with defaults", method: "POST", url: "/api/v1/deals", as: "manager", status: 201,
			body:     `{"title":"Внедрение CRM для «Ромашки»","pipeline":"interest","amount":"99.90","source":"website"}`,
			contains: []string{`"stage":"new"`, `"stage_name":"Новый"`, `"currency":"RUB"`, `"amount":99.90`, `"source":"website"`, "Иванов Иван Иванович"}},
		{name: "get one", method: "GET", url: u, as: "manager", status: 200,
			contains: []string{"Поставка станков ЧПУ", `"pipeline":"sales"`, `"stage_name":"Не обработана"`, `"stage_kind":"open"`,
				`"probability":0`, `"amount":250000.00`, `"observers":[]`, `"closed_at":null`}},
		{name: "list with filters", method: "GET", url: "/api/v1/deals?pipeline=sales&stage=new&q=" + url.QueryEscape("СТАНКОВ"), as: "manager",
			status: 200, contains: []string{"Поставка станков ЧПУ", `"total":1`}, notContains: []string{"Ромашки"}},
		{name: "list by responsible", method: "GET", url: fmt.Sprintf("/api/v1/deals?responsible_id=%d&limit=1", ts.users["manager"].ID),
			as: "director", status: 200, contains: []string{`"total":2`, `"limit":1`, "Ромашки"}, notContains: []string{"станков"}},
		{name: "patch", method: "PATCH", url: u, as: "manager", status: 200, body: `{"title":"Поставка станков ЧПУ (5 шт.)","amount":300000,"currency":"EUR"}`,
			contains: []string{"(5 шт.)", `"amount":300000.00`, `"currency":"EUR"`}},
		{name: "move", method: "POST", url: u + "/move", as: "manager", status: 200, body: `{"stage":"first_contact"}`,
			contains: []string{`"stage":"first_contact"`, `"probability":20`}},
		{name: "move not allowed", method: "POST", url: u + "/move", as: "manager", status: 409, body: `{"stage":"won"}`,
			contains: []string{"transition_not_allowed", "first_contact", "won", `"allowed":[`}},
		{name: "move to the current stage", method: "POST", url: u + "/move", as: "manager", status: 409, body: `{"stage":"first_contact"}`},
		{name: "lose with a reason", method: "POST", url: u + "/move", as: "manager", status: 200, body: `{"stage":"refused","reason":"Дорого"}`,
			contains: []string{`"stage_kind":"lost"`, `"lost_reason":"Дорого"`}, notContains: []string{`"closed_at":null`}},
		{name: "reopen", method: "POST", url: u + "/move", as: "manager", status: 200, body: `{"stage":"new"}`,
			contains: []string{`"closed_at":null`, `"lost_reason":null`}},
		{name: "history", method: "GET", url: u + "/history", as: "manager", status: 200,
			contains: []string{`"from":null,"to":"new"`, `"to_name":"Первичный контакт"`, `"reason":"Дорого"`, `"by_name":"Иванов Иван Иванович"`, `"total":4`}},
		{name: "add observer", method: "POST", url: u + "/observers", as: "manager", status: 201, body: fmt.Sprintf(`{"user_id":%d}`, mgr2),
			contains: []string{fmt.Sprintf(`"observers":[%d]`, mgr2)}},
		{name: "add observer again", method: "POST", url: u + "/observers", as: "manager", status: 200, body: fmt.Sprintf(`{"user_id":%d}`, mgr2)},
		{name: "observer reads", method: "GET", url: u, as: "manager2", status: 200, contains: []string{"Поставка станков"}},
		{name: "observer lists", method: "GET", url: "/api/v1/deals", as: "manager2", status: 200, contains: []string{`"total":1`}},
		{name: "observer cannot move", method: "POST", url: u + "/move", as: "manager2", status: 403, body: `{"stage":"needs"}`, contains: []string{"read_only"}},
		{name: "observer cannot patch", method: "PATCH", url: u, as: "manager2", status: 403, body: `{"title":"Моя"}`},
		{name: "manager cannot assign", method: "POST", url: u + "/assign", as: "manager", status: 403, body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2)},
		{name: "analyst reads", method: "GET", url: u, as: "analyst", status: 200},
		{name: "analyst cannot create", method: "POST", url: "/api/v1/deals", as: "analyst", status: 403, body: `{"title":"Аналитика","pipeline":"sales"}`,
			contains: []string{"read_only"}},
		{name: "analyst cannot move", method: "POST", url: u + "/move", as: "analyst", status: 403, body: `{"stage":"needs"}`},
		{name: "analyst cannot patch", method: "PATCH", url: u, as: "analyst", status: 403, body: `{"title":"Аналитика"}`},
		{name: "analyst cannot assign", method: "POST", url: u + "/assign", as: "analyst", status: 403, body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2)},
		{name: "director assigns", method: "POST", url: u + "/assign", as: "director", status: 200, body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2),
			contains: []string{"Петрова Анна Викторовна"}},
		{name: "old responsible loses it", method: "GET", url: u, as: "manager", status: 404},
		{name: "new responsible moves it", method: "POST", url: u + "/move", as: "manager2", status: 200, body: `{"stage":"needs"}`},
		{name: "anonymous", method: "GET", url: "/api/v1/deals", status: 401},
	})
	if n := ts.rowCount("stage_changes"); n != 2+4 {
		t.Errorf("stage_changes = %d, want 2 creations + 4 moves", n)
	}
}

func TestDealsAPIBackfill(t *testing.T) {
	ts := newTestServer(t)
	at := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
	runUnchanged(t, ts, []scenario{
		{name: "manager may not backfill", method: "POST", url: "/api/v1/deals", as: "manager", status: 403, field: "at",
			body: `{"title":"Из старой CRM","pipeline":"sales","at":"` + at + `"}`, contains: []string{"backfill_forbidden"}},
	}, "deals", "stage_changes")
	var d crmcore.Deal
	in := map[string]any{"title": "Из старой CRM", "pipeline": "sales", "responsible_id": ts.users["manager"].ID, "at": at}
	if st := ts.doJSON("POST", "/api/v1/deals", "admin", in, &d); st != 201 {
		t.Fatalf("admin backfill: %d", st)
	}
	var n int
	err := ts.pg.Pool.QueryRow(ts.t.Context(), `SELECT count(*) FROM stage_changes WHERE deal_id = $1 AND changed_at = $2`, d.ID, at).Scan(&n)
	if err != nil || n != 1 || d.CreatedAt.Format(time.RFC3339) != at {
		t.Errorf("backfilled history rows at %s = %d (%v), created_at %v", at, n, err, d.CreatedAt)
	}
}

func TestDealsAPINoAccess(t *testing.T) {
	ts := newTestServer(t)
	d := ts.apiDeal("manager", "Секретная сделка Иванова")
	u := fmt.Sprintf("/api/v1/deals/%d", d.ID)
	mgr2 := ts.users["manager2"].ID
	hidden := []string{"Секретная", "Иванов"}
	runUnchanged(t, ts, []scenario{
		{name: "GET", method: "GET", url: u, as: "manager2", status: 404, notContains: hidden},
		{name: "PATCH", method: "PATCH", url: u, as: "manager2", status: 404, body: `{"title":"Моя теперь"}`, notContains: hidden},
		{name: "move", method: "POST", url: u + "/move", as: "manager2", status: 404, body: `{"stage":"needs"}`, notContains: hidden},
		{name: "history", method: "GET", url: u + "/history", as: "manager2", status: 404, notContains: hidden},
		{name: "observers", method: "POST", url: u + "/observers", as: "manager2", status: 404, body: fmt.Sprintf(`{"user_id":%d}`, mgr2), notContains: hidden},
		{name: "assign", method: "POST", url: u + "/assign", as: "manager2", status: 404, body: fmt.Sprintf(`{"responsible_id":%d}`, mgr2), notContains: hidden},
		{name: "list", method: "GET", url: "/api/v1/deals", as: "manager2", status: 200, contains: []string{`"items":[]`, `"total":0`}, notContains: hidden},
		{name: "absent id", method: "GET", url: "/api/v1/deals/999999", as: "director", status: 404},
		{name: "non-numeric id", method: "GET", url: "/api/v1/deals/abc", as: "director", status: 404},
	}, "deals", "stage_changes", "deal_observers")
	var got crmcore.Deal
	if ts.doJSON("GET", u, "manager", nil, &got) != 200 || got.Title != "Секретная сделка Иванова" || got.Stage != "new" || got.ResponsibleID != ts.users["manager"].ID {
		t.Errorf("deal changed by refused calls: %+v", got)
	}
}

func TestDealsAPIRejectsBadInput(t *testing.T) {
	ts := newTestServer(t)
	d := ts.apiDeal("manager", "Поставка бумаги")
	u := fmt.Sprintf("/api/v1/deals/%d", d.ID)
	long := strings.Repeat("я", 300)
	post := func(name, body string, status int, field string) scenario {
		return scenario{name: "create: " + name, method: "POST", url: "/api/v1/deals", as: "manager", body: body, status: status, field: field}
	}
	runUnchanged(t, ts, []scenario{
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
		post("for another manager", fmt.Sprintf(`{"title":"Сделка","pipeline":"sales","responsible_id":%d}`, ts.users["manager2"].ID), 403, "responsible_id"),
		{name: "patch: stage", method: "PATCH", url: u, as: "manager", body: `{"stage":"won"}`, status: 422, field: "stage", contains: []string{"unknown_field"}},
		{name: "patch: responsible", method: "PATCH", url: u, as: "manager", body: `{"responsible_id":1}`, status: 422, field: "responsible_id"},
		{name: "patch: currency", method: "PATCH", url: u, as: "manager", body: `{"currency":"XXX"}`, status: 422, field: "currency"},
		{name: "patch: negative amount", method: "PATCH", url: u, as: "manager", body: `{"amount":-1}`, status: 422, field: "amount"},
		{name: "patch: non-UTF-8", method: "PATCH", url: u, as: "manager", body: "{\"title\":\"\xff\xfe\"}", status: 422, field: "title"},
		{name: "patch: malformed", method: "PATCH", url: u, as: "manager", body: `{"title"`, status: 400},
		{name: "move: unknown stage", method: "POST", url: u + "/move", as: "manager", body: `{"stage":"choice"}`, status: 422, field: "stage"},
		{name: "move: stage is a number", method: "POST", url: u + "/move", as: "manager", body: `{"stage":5}`, status: 422, field: "stage"},
		{name: "move: malformed", method: "POST", url: u + "/move", as: "manager", body: `{`, status: 400},
		{name: "assign: unknown user", method: "POST", url: u + "/assign", as: "director", body: `{"responsible_id":999999}`, status: 422, field: "responsible_id"},
		{name: "assign: text", method: "POST", url: u + "/assign", as: "director", body: `{"responsible_id":"x"}`, status: 422, field: "responsible_id"},
		{name: "observers: unknown user", method: "POST", url: u + "/observers", as: "manager", body: `{"user_id":999999}`, status: 422, field: "user_id"},
		{name: "list: responsible is text", method: "GET", url: "/api/v1/deals?responsible_id=x", as: "director", status: 422, field: "responsible_id"},
		{name: "list: limit too big", method: "GET", url: "/api/v1/deals?limit=501", as: "director", status: 422, field: "limit"},
		{name: "list: limit zero", method: "GET", url: "/api/v1/deals?limit=0", as: "director", status: 422, field: "limit"},
		{name: "list: unknown stage", method: "GET", url: "/api/v1/deals?stage=zzz", as: "director", status: 422, field: "stage"},
		{name: "list: unknown pipeline", method: "GET", url: "/api/v1/deals?pipeline=nope", as: "director", status: 422, field: "pipeline"},
	}, "deals", "stage_changes", "deal_observers")
	var got crmcore.Deal
	if ts.doJSON("GET", u, "manager", nil, &got) != 200 || got.Title != "Поставка бумаги" || got.Stage != "new" ||
		got.Currency != "RUB" || got.Amount.StringFixed(2) != "250000.00" || got.ResponsibleID != ts.users["manager"].ID {
		t.Errorf("deal changed by rejected calls: %+v", got)
	}
}
