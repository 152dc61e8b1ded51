package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/dashtest"
)

// apiLead creates a lead over HTTP as the given user.
func apiLead(ts *dashtest.Server, as, title string) crmcore.Lead {
	ts.T.Helper()
	var l crmcore.Lead
	in := map[string]any{"title": title, "source": "web_form",
		"contact": map[string]any{"name": "Сидоров Павел", "phone": "+7 495 123-45-67", "email": "pavel@romashka.ru"},
		"company": map[string]any{"name": "ООО «Ромашка»"}}
	if st := ts.DoJSON("POST", "/api/v1/leads?confirm_duplicate=true", as, in, &l); st != 201 {
		ts.T.Fatalf("create lead %q as %s: status %d", title, as, st)
	}
	return l
}

func TestLeadsAPIWorkflow(t *testing.T) {
	ts := dashtest.New(t)
	a := apiLead(ts, "manager", "Заявка: станки для цеха")
	b := apiLead(ts, "manager", "Заявка: обучение персонала")
	u, ub := fmt.Sprintf("/api/v1/leads/%d", a.ID), fmt.Sprintf("/api/v1/leads/%d", b.ID)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "create", Method: "POST", URL: "/api/v1/leads", As: "manager", Status: 201,
			Body:     `{"title":"Звонок: интерес к CRM","source":"call","contact":{"name":"Ольга"},"company":{"name":"АО «Вектор»"}}`,
			Contains: []string{`"status":"new"`, `"status_name":"Не обработан"`, `"source":"call"`, "АО «Вектор»", `"deal_id":null`}},
		{Name: "get one", Method: "GET", URL: u, As: "manager", Status: 200,
			Contains: []string{"Заявка: станки для цеха", `"email":"pavel@romashka.ru"`, "Иванов Иван Иванович"}},
		{Name: "list", Method: "GET", URL: "/api/v1/leads?status=new&source=web_form", As: "manager", Status: 200,
			Contains: []string{`"total":2`, "станки", "обучение"}, NotContains: []string{"Вектор"}},
		{Name: "director lists all", Method: "GET", URL: "/api/v1/leads?limit=2&offset=1", As: "director", Status: 200,
			Contains: []string{`"total":3`, `"offset":1`}, NotContains: []string{"Вектор"}},
		{Name: "patch", Method: "PATCH", URL: u, As: "manager", Status: 200,
			Body:     `{"title":"Заявка: станки (срочно)","contact":{"name":"Сидоров Павел","phone":"+7 900 000-00-00"}}`,
			Contains: []string{"(срочно)", "+7 900 000-00-00", "ООО «Ромашка»"}, NotContains: []string{"pavel@romashka.ru"}},
		{Name: "interested", Method: "POST", URL: u + "/status", As: "manager", Status: 200, Body: `{"status":"interested"}`,
			Contains: []string{`"status":"interested"`}},
		{Name: "paused", Method: "POST", URL: ub + "/status", As: "manager", Status: 200, Body: `{"status":"paused"}`},
		{Name: "back to new is not allowed", Method: "POST", URL: u + "/status", As: "manager", Status: 409, Body: `{"status":"new"}`,
			Contains: []string{"transition_not_allowed"}},
		{Name: "convert", Method: "POST", URL: u + "/convert", As: "manager", Status: 201, Body: `{"amount":120000,"currency":"RUB"}`,
			Contains: []string{`"title":"Заявка: станки (срочно)"`, `"pipeline":"sales"`, `"stage":"new"`, `"source":"web_form"`,
				fmt.Sprintf(`"lead_id":%d`, a.ID), `"amount":120000.00`}},
		{Name: "lead is converted", Method: "GET", URL: u, As: "manager", Status: 200,
			Contains: []string{`"status":"converted"`}, NotContains: []string{`"deal_id":null`, `"converted_at":null`}},
		{Name: "convert again", Method: "POST", URL: u + "/convert", As: "manager", Status: 409, Body: `{}`, Contains: []string{"already_converted"}},
		{Name: "disqualify with a reason", Method: "POST", URL: ub + "/status", As: "manager", Status: 200,
			Body: `{"status":"disqualified","reason":"Нет бюджета"}`, Contains: []string{`"disqualify_reason":"Нет бюджета"`}},
		{Name: "convert a disqualified lead", Method: "POST", URL: ub + "/convert", As: "director", Status: 409, Body: `{}`,
			Contains: []string{"transition_not_allowed"}},
		{Name: "analyst reads", Method: "GET", URL: u, As: "analyst", Status: 200},
		{Name: "anonymous", Method: "GET", URL: "/api/v1/leads", Status: 401},
	})
	if n := ts.RowCount("lead_status_changes"); n != 3+4 {
		t.Errorf("lead_status_changes = %d, want 3 creations + interested, paused, converted, disqualified", n)
	}
	if n := ts.RowCount("deals"); n != 1 {
		t.Errorf("deals = %d, want the one converted", n)
	}
}

func TestLeadsAPINoAccessAndRoles(t *testing.T) {
	ts := dashtest.New(t)
	l := apiLead(ts, "manager", "Тайный лид Иванова")
	u := fmt.Sprintf("/api/v1/leads/%d", l.ID)
	hidden := []string{"Тайный", "Сидоров"}
	runUnchanged(t, ts, []dashtest.Scenario{
		{Name: "GET", Method: "GET", URL: u, As: "manager2", Status: 404, NotContains: hidden},
		{Name: "PATCH", Method: "PATCH", URL: u, As: "manager2", Status: 404, Body: `{"title":"Мой"}`, NotContains: hidden},
		{Name: "status", Method: "POST", URL: u + "/status", As: "manager2", Status: 404, Body: `{"status":"interested"}`, NotContains: hidden},
		{Name: "convert", Method: "POST", URL: u + "/convert", As: "manager2", Status: 404, Body: `{}`, NotContains: hidden},
		{Name: "list", Method: "GET", URL: "/api/v1/leads", As: "manager2", Status: 200, Contains: []string{`"total":0`}, NotContains: hidden},
		{Name: "analyst cannot create", Method: "POST", URL: "/api/v1/leads", As: "analyst", Status: 403, Body: `{"title":"Лид","source":"call"}`,
			Contains: []string{"read_only"}},
		{Name: "analyst cannot patch", Method: "PATCH", URL: u, As: "analyst", Status: 403, Body: `{"title":"Лид"}`},
		{Name: "analyst cannot change status", Method: "POST", URL: u + "/status", As: "analyst", Status: 403, Body: `{"status":"interested"}`},
		{Name: "analyst cannot convert", Method: "POST", URL: u + "/convert", As: "analyst", Status: 403, Body: `{}`},
		{Name: "manager creates only for self", Method: "POST", URL: "/api/v1/leads", As: "manager", Status: 403, Field: "responsible_id",
			Body: fmt.Sprintf(`{"title":"Лид","source":"call","responsible_id":%d}`, ts.Users["manager2"].ID)},
	}, "leads", "lead_status_changes", "deals")
}

func TestLeadsAPIRejectsBadInput(t *testing.T) {
	ts := dashtest.New(t)
	l := apiLead(ts, "manager", "Лид для проверок")
	u := fmt.Sprintf("/api/v1/leads/%d", l.ID)
	long := strings.Repeat("я", 300)
	post := func(name, body string, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: "create: " + name, Method: "POST", URL: "/api/v1/leads", As: "manager", Body: body, Status: 422, Field: field}
	}
	runUnchanged(t, ts, []dashtest.Scenario{
		{Name: "create: malformed JSON", Method: "POST", URL: "/api/v1/leads", As: "manager", Body: `{"title":"Лид",`, Status: 400},
		post("unknown field", `{"title":"Лид","source":"call","status":"converted"}`, "status"),
		post("responsible is text", `{"title":"Лид","source":"call","responsible_id":"x"}`, "responsible_id"),
		post("contact is text", `{"title":"Лид","source":"call","contact":"Ольга"}`, "contact"),
		post("unknown source", `{"title":"Лид","source":"tv"}`, "source"),
		post("title of 300 characters", `{"title":"`+long+`","source":"call"}`, "title"),
		post("non-UTF-8 title", "{\"title\":\"\xff\xfe\",\"source\":\"call\"}", "title"),
		post("bad e-mail", `{"title":"Лид","source":"call","contact":{"name":"Ольга","email":"нет"}}`, "contact.email"),
		post("unknown contact id", `{"title":"Лид","source":"call","contact":{"id":424242,"name":"Ольга"}}`, "contact.id"),
		{Name: "patch: unknown source", Method: "PATCH", URL: u, As: "manager", Body: `{"source":"tv"}`, Status: 422, Field: "source"},
		{Name: "patch: status", Method: "PATCH", URL: u, As: "manager", Body: `{"status":"interested"}`, Status: 422, Field: "status"},
		{Name: "Status: unknown", Method: "POST", URL: u + "/status", As: "manager", Body: `{"status":"won"}`, Status: 422, Field: "status"},
		{Name: "Status: converted", Method: "POST", URL: u + "/status", As: "manager", Body: `{"status":"converted"}`, Status: 422, Field: "status",
			Contains: []string{"use_convert"}},
		{Name: "Status: disqualify without reason", Method: "POST", URL: u + "/status", As: "manager", Body: `{"status":"disqualified"}`,
			Status: 422, Field: "reason"},
		{Name: "Status: malformed", Method: "POST", URL: u + "/status", As: "manager", Body: `{"status"}`, Status: 400},
		{Name: "convert: unknown currency", Method: "POST", URL: u + "/convert", As: "manager", Body: `{"currency":"XXX"}`, Status: 422, Field: "currency"},
		{Name: "convert: negative amount", Method: "POST", URL: u + "/convert", As: "manager", Body: `{"amount":-5}`, Status: 422, Field: "amount"},
		{Name: "convert: amount is text", Method: "POST", URL: u + "/convert", As: "manager", Body: `{"amount":"abc"}`, Status: 422, Field: "amount"},
		{Name: "convert: unknown pipeline", Method: "POST", URL: u + "/convert", As: "manager", Body: `{"pipeline":"nope"}`, Status: 422, Field: "pipeline"},
		{Name: "list: unknown status", Method: "GET", URL: "/api/v1/leads?status=won", As: "director", Status: 422, Field: "status"},
		{Name: "list: offset negative", Method: "GET", URL: "/api/v1/leads?offset=-1", As: "director", Status: 422, Field: "offset"},
	}, "leads", "lead_status_changes", "deals", "stage_changes")
	var got crmcore.Lead
	if ts.DoJSON("GET", u, "manager", nil, &got) != 200 || got.Title != "Лид для проверок" || got.Status != "new" || got.Source != "web_form" {
		t.Errorf("lead changed by rejected calls: %+v", got)
	}
}
