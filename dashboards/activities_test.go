package dashboards

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestActivitiesAPI(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Now = func() time.Time { return time.Date(2025, 3, 10, 10, 0, 0, 0, dateZone) }
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	other := bizDeal(ts, "Внедрение CRM", "manager2", "manager") // manager observes
	var lead int64
	err := ts.pg.Pool.QueryRow(context.Background(), `
INSERT INTO leads (title, source, stage_id, responsible_id)
SELECT 'Заявка с сайта', 'website', s.id, $1 FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
WHERE p.code = 'leads' AND s.code = 'new' RETURNING id`, ts.users["manager"].ID).Scan(&lead)
	if err != nil {
		t.Fatal(err)
	}
	call := createdID(ts, "/api/v1/activities", "manager", fmt.Sprintf(
		`{"type":"call","subject":"Звонок Иванову Петру","deal_id":%d,"direction":"out","duration_s":120}`, deal))
	one := fmt.Sprintf("/api/v1/activities/%d", call)
	mgr, mgr2 := ts.users["manager"].ID, ts.users["manager2"].ID
	runScenarios(t, ts, []scenario{
		{name: "task on own lead", method: "POST", url: "/api/v1/activities", as: "manager", status: 201,
			body:     fmt.Sprintf(`{"type":"task","subject":"Перезвонить по заявке","lead_id":%d,"due_at":"2025-03-10T12:00:00+03:00"}`, lead),
			contains: []string{fmt.Sprintf(`"lead_id":%d`, lead), fmt.Sprintf(`"owner_id":%d`, mgr)}},
		{name: "director records for manager2", method: "POST", url: "/api/v1/activities", as: "director", status: 201,
			body:     fmt.Sprintf(`{"type":"meeting","subject":"Встреча в офисе клиента","owner_id":%d,"deal_id":%d}`, mgr2, other),
			contains: []string{fmt.Sprintf(`"owner_id":%d`, mgr2)}},
		{name: "owner reads", method: "GET", url: one, as: "manager", status: 200,
			contains: []string{"Звонок Иванову Петру", `"direction":"out"`, `"duration_s":120`}},
		{name: "no access: manager2 reads manager's activity", method: "GET", url: one, as: "manager2", status: 404,
			notContains: []string{"Иванову"}},
		{name: "director reads", method: "GET", url: one, as: "director", status: 200},
		{name: "manager sees own and the observed deal's", method: "GET", url: "/api/v1/activities", as: "manager", status: 200,
			contains: []string{`"total":3`, "Встреча в офисе клиента"}},
		{name: "manager2 sees its own only", method: "GET", url: "/api/v1/activities", as: "manager2", status: 200,
			contains: []string{`"total":1`, "Встреча"}, notContains: []string{"Иванову", "заявке"}},
		{name: "filter by deal", method: "GET", url: fmt.Sprintf("/api/v1/activities?deal_id=%d", deal), as: "analyst", status: 200,
			contains: []string{`"total":1`, "Иванову"}},
		{name: "filter by type and owner", method: "GET", url: fmt.Sprintf("/api/v1/activities?type=task&owner_id=%d", mgr), as: "director", status: 200,
			contains: []string{`"total":1`, "заявке"}},
		{name: "the day in Moscow time", method: "GET", url: "/api/v1/activities?from=2025-03-10&to=2025-03-10", as: "director", status: 200,
			contains: []string{`"total":3`}},
		{name: "the day before", method: "GET", url: "/api/v1/activities?to=2025-03-09", as: "director", status: 200,
			contains: []string{`"total":0`}},
		{name: "from an instant after", method: "GET", url: "/api/v1/activities?from=2025-03-10T07:00:01Z", as: "director", status: 200,
			contains: []string{`"total":0`}},
		{name: "bad from", method: "GET", url: "/api/v1/activities?from=вчера", as: "director", status: 422, field: "from"},
		{name: "bad type filter", method: "GET", url: "/api/v1/activities?type=visit", as: "director", status: 422, field: "type"},
		{name: "mark done", method: "PATCH", url: one, as: "manager", status: 200,
			body: `{"done_at":"2025-03-10T15:30:00Z"}`, contains: []string{"Звонок Иванову Петру", `"done_at":"2025-03-10T`}},
	})
	long := strings.Repeat("я", 300)
	post := func(name, as, body string, status int, field string) scenario {
		return scenario{name: name, method: "POST", url: "/api/v1/activities", as: as, body: body, status: status, field: field}
	}
	runRejects(t, ts, []string{"activities"}, []scenario{
		post("no access: manager2 on manager's deal", "manager2", fmt.Sprintf(`{"type":"call","subject":"x","deal_id":%d}`, deal), 404, ""),
		post("no access: manager2 on manager's lead", "manager2", fmt.Sprintf(`{"type":"task","subject":"x","lead_id":%d}`, lead), 404, ""),
		post("observer may not write", "manager", fmt.Sprintf(`{"type":"call","subject":"x","deal_id":%d}`, other), 403, ""),
		post("analyst", "analyst", `{"type":"task","subject":"x"}`, 403, ""),
		post("manager for someone else", "manager", fmt.Sprintf(`{"type":"task","subject":"x","owner_id":%d}`, mgr2), 403, "owner_id"),
		post("malformed JSON", "manager", `{"type":"call",`, 400, ""),
		post("unknown field", "manager", `{"type":"call","subject":"x","priority":1}`, 422, "priority"),
		post("wrong type deal_id", "manager", `{"type":"call","subject":"x","deal_id":"x"}`, 422, "deal_id"),
		post("invalid type", "manager", `{"type":"visit","subject":"x"}`, 422, "type"),
		post("over-long subject", "manager", `{"type":"task","subject":"`+long+`"}`, 422, "subject"),
		post("non-UTF-8 subject", "manager", "{\"type\":\"task\",\"subject\":\"\xff\"}", 422, "subject"),
		post("negative duration", "manager", `{"type":"call","subject":"x","duration_s":-5}`, 422, "duration_s"),
		post("direction of a meeting", "manager", `{"type":"meeting","subject":"x","direction":"in"}`, 422, "direction"),
		post("bad due_at", "manager", `{"type":"task","subject":"x","due_at":"завтра"}`, 422, "due_at"),
		{name: "no access: manager2 patches", method: "PATCH", url: one, as: "manager2", body: `{"subject":"x"}`, status: 404},
		{name: "analyst patches", method: "PATCH", url: one, as: "analyst", body: `{"subject":"x"}`, status: 403},
		{name: "empty subject", method: "PATCH", url: one, as: "manager", body: `{"subject":""}`, status: 422, field: "subject"},
	})
}
