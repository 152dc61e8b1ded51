package dashboards

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
)

// apiLead creates a lead over HTTP as the given user.
func (ts *testServer) apiLead(as, title string) crmcore.Lead {
	ts.t.Helper()
	var l crmcore.Lead
	in := map[string]any{"title": title, "source": "web_form",
		"contact": map[string]any{"name": "Сидоров Павел", "phone": "+7 495 123-45-67", "email": "pavel@romashka.ru"},
		"company": map[string]any{"name": "ООО «Ромашка»"}}
	if st := ts.doJSON("POST", "/api/v1/leads?confirm_duplicate=true", as, in, &l); st != 201 {
		ts.t.Fatalf("create lead %q as %s: status %d", title, as, st)
	}
	return l
}

func TestLeadsAPIWorkflow(t *testing.T) {
	ts := newTestServer(t)
	a := ts.apiLead("manager", "Заявка: станки для цеха")
	b := ts.apiLead("manager", "Заявка: обучение персонала")
	u, ub := fmt.Sprintf("/api/v1/leads/%d", a.ID), fmt.Sprintf("/api/v1/leads/%d", b.ID)
	runScenarios(t, ts, []scenario{
		{name: "create", method: "POST", url: "/api/v1/leads", as: "manager", status: 201,
			body:     `{"title":"Звонок: интерес к CRM","source":"call","contact":{"name":"Ольга"},"company":{"name":"АО «Вектор»"}}`,
			contains: []string{`"status":"new"`, `"status_name":"Не обработан"`, `"source":"call"`, "АО «Вектор»", `"deal_id":null`}},
		{name: "get one", method: "GET", url: u, as: "manager", status: 200,
			contains: []string{"Заявка: станки для цеха", `"email":"pavel@romashka.ru"`, "Иванов Иван Иванович"}},
		{name: "list", method: "GET", url: "/api/v1/leads?status=new&source=web_form", as: "manager", status: 200,
			contains: []string{`"total":2`, "станки", "обучение"}, notContains: []string{"Вектор"}},
		{name: "director lists all", method: "GET", url: "/api/v1/leads?limit=2&offset=1", as: "director", status: 200,
			contains: []string{`"total":3`, `"offset":1`}, notContains: []string{"Вектор"}},
		{name: "patch", method: "PATCH", url: u, as: "manager", status: 200,
			body:     `{"title":"Заявка: станки (срочно)","contact":{"name":"Сидоров Павел","phone":"+7 900 000-00-00"}}`,
			contains: []string{"(срочно)", "+7 900 000-00-00", "ООО «Ромашка»"}, notContains: []string{"pavel@romashka.ru"}},
		{name: "interested", method: "POST", url: u + "/status", as: "manager", status: 200, body: `{"status":"interested"}`,
			contains: []string{`"status":"interested"`}},
		{name: "paused", method: "POST", url: ub + "/status", as: "manager", status: 200, body: `{"status":"paused"}`},
		{name: "back to new is not allowed", method: "POST", url: u + "/status", as: "manager", status: 409, body: `{"status":"new"}`,
			contains: []string{"transition_not_allowed"}},
		{name: "convert", method: "POST", url: u + "/convert", as: "manager", status: 201, body: `{"amount":120000,"currency":"RUB"}`,
			contains: []string{`"title":"Заявка: станки (срочно)"`, `"pipeline":"sales"`, `"stage":"new"`, `"source":"web_form"`,
				fmt.Sprintf(`"lead_id":%d`, a.ID), `"amount":120000.00`}},
		{name: "lead is converted", method: "GET", url: u, as: "manager", status: 200,
			contains: []string{`"status":"converted"`}, notContains: []string{`"deal_id":null`, `"converted_at":null`}},
		{name: "convert again", method: "POST", url: u + "/convert", as: "manager", status: 409, body: `{}`, contains: []string{"already_converted"}},
		{name: "disqualify with a reason", method: "POST", url: ub + "/status", as: "manager", status: 200,
			body: `{"status":"disqualified","reason":"Нет бюджета"}`, contains: []string{`"disqualify_reason":"Нет бюджета"`}},
		{name: "convert a disqualified lead", method: "POST", url: ub + "/convert", as: "director", status: 409, body: `{}`,
			contains: []string{"transition_not_allowed"}},
		{name: "analyst reads", method: "GET", url: u, as: "analyst", status: 200},
		{name: "anonymous", method: "GET", url: "/api/v1/leads", status: 401},
	})
	if n := ts.rowCount("lead_status_changes"); n != 3+4 {
		t.Errorf("lead_status_changes = %d, want 3 creations + interested, paused, converted, disqualified", n)
	}
	if n := ts.rowCount("deals"); n != 1 {
		t.Errorf("deals = %d, want the one converted", n)
	}
}

func TestLeadsAPINoAccessAndRoles(t *testing.T) {
	ts := newTestServer(t)
	l := ts.apiLead("manager", "Тайный лид Иванова")
	u := fmt.Sprintf("/api/v1/leads/%d", l.ID)
	hidden := []string{"Тайный", "Сидоров"}
	runUnchanged(t, ts, []scenario{
		{name: "GET", method: "GET", url: u, as: "manager2", status: 404, notContains: hidden},
		{name: "PATCH", method: "PATCH", url: u, as: "manager2", status: 404, body: `{"title":"Мой"}`, notContains: hidden},
		{name: "status", method: "POST", url: u + "/status", as: "manager2", status: 404, body: `{"status":"interested"}`, notContains: hidden},
		{name: "convert", method: "POST", url: u + "/convert", as: "manager2", status: 404, body: `{}`, notContains: hidden},
		{name: "list", method: "GET", url: "/api/v1/leads", as: "manager2", status: 200, contains: []string{`"total":0`}, notContains: hidden},
		{name: "analyst cannot create", method: "POST", url: "/api/v1/leads", as: "analyst", status: 403, body: `{"title":"Лид","source":"call"}`,
			contains: []string{"read_only"}},
		{name: "analyst cannot patch", method: "PATCH", url: u, as: "analyst", status: 403, body: `{"title":"Лид"}`},
		{name: "analyst cannot change status", method: "POST", url: u + "/status", as: "analyst", status: 403, body: `{"status":"interested"}`},
		{name: "analyst cannot convert", method: "POST", url: u + "/convert", as: "analyst", status: 403, body: `{}`},
		{name: "manager creates only for self", method: "POST", url: "/api/v1/leads", as: "manager", status: 403, field: "responsible_id",
			body: fmt.Sprintf(`{"title":"Лид","source":"call","responsible_id":%d}`, ts.users["manager2"].ID)},
	}, "leads", "lead_status_changes", "deals")
}

func TestLeadsAPIRejectsBadInput(t *testing.T) {
	ts := newTestServer(t)
	l := ts.apiLead("manager", "Лид для проверок")
	u := fmt.Sprintf("/api/v1/leads/%d", l.ID)
	long := strings.Repeat("я", 300)
	post := func(name, body string, field string) scenario {
		return scenario{name: "create: " + name, method: "POST", url: "/api/v1/leads", as: "manager", body: body, status: 422, field: field}
	}
	runUnchanged(t, ts, []scenario{
		{name: "create: malformed JSON", method: "POST", url: "/api/v1/leads", as: "manager", body: `{"title":"Лид",`, status: 400},
		post("unknown field", `{"title":"Лид","source":"call","status":"converted"}`, "status"),
		post("responsible is text", `{"title":"Лид","source":"call","responsible_id":"x"}`, "responsible_id"),
		post("contact is text", `{"title":"Лид","source":"call","contact":"Ольга"}`, "contact"),
		post("unknown source", `{"title":"Лид","source":"tv"}`, "source"),
		post("title of 300 characters", `{"title":"`+long+`","source":"call"}`, "title"),
		post("non-UTF-8 title", "{\"title\":\"\xff\xfe\",\"source\":\"call\"}", "title"),
		post("bad e-mail", `{"title":"Лид","source":"call","contact":{"name":"Ольга","email":"нет"}}`, "contact.email"),
		post("unknown contact id", `{"title":"Лид","source":"call","contact":{"id":424242,"name":"Ольга"}}`, "contact.id"),
		{name: "patch: unknown source", method: "PATCH", url: u, as: "manager", body: `{"source":"tv"}`, status: 422, field: "source"},
		{name: "patch: status", method: "PATCH", url: u, as: "manager", body: `{"status":"interested"}`, status: 422, field: "status"},
		{name: "status: unknown", method: "POST", url: u + "/status", as: "manager", body: `{"status":"won"}`, status: 422, field: "status"},
		{name: "status: converted", method: "POST", url: u + "/status", as: "manager", body: `{"status":"converted"}`, status: 422, field: "status",
			contains: []string{"use_convert"}},
		{name: "status: disqualify without reason", method: "POST", url: u + "/status", as: "manager", body: `{"status":"disqualified"}`,
			status: 422, field: "reason"},
		{name: "status: malformed", method: "POST", url: u + "/status", as: "manager", body: `{"status"}`, status: 400},
		{name: "convert: unknown currency", method: "POST", url: u + "/convert", as: "manager", body: `{"currency":"XXX"}`, status: 422, field: "currency"},
		{name: "convert: negative amount", method: "POST", url: u + "/convert", as: "manager", body: `{"amount":-5}`, status: 422, field: "amount"},
		{name: "convert: amount is text", method: "POST", url: u + "/convert", as: "manager", body: `{"amount":"abc"}`, status: 422, field: "amount"},
		{name: "convert: unknown pipeline", method: "POST", url: u + "/convert", as: "manager", body: `{"pipeline":"nope"}`, status: 422, field: "pipeline"},
		{name: "list: unknown status", method: "GET", url: "/api/v1/leads?status=won", as: "director", status: 422, field: "status"},
		{name: "list: offset negative", method: "GET", url: "/api/v1/leads?offset=-1", as: "director", status: 422, field: "offset"},
	}, "leads", "lead_status_changes", "deals", "stage_changes")
	var got crmcore.Lead
	if ts.doJSON("GET", u, "manager", nil, &got) != 200 || got.Title != "Лид для проверок" || got.Status != "new" || got.Source != "web_form" {
		t.Errorf("lead changed by rejected calls: %+v", got)
	}
}
