package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// msk is Moscow time, the zone of dates in activity queries.
var msk = time.FixedZone("MSK", 3*60*60)

func TestActivitiesAPI(t *testing.T) {
	ts := dashtest.New(t)
	ts.Store.Now = func() time.Time { return time.Date(2025, 3, 10, 10, 0, 0, 0, msk) }
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	other := bizDeal(ts, "Внедрение CRM", "manager2", "manager") // manager observes
	var lead int64
	err := ts.PG.Pool.QueryRow(context.Background(), `
INSERT INTO leads (title, source, stage_id, responsible_id)
SELECT 'Заявка с сайта', 'website', s.id, $1 FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
WHERE p.code = 'leads' AND s.code = 'new' RETURNING id`, ts.Users["manager"].ID).Scan(&lead)
	if err != nil {
		t.Fatal(err)
	}
	call := createdID(ts, "/api/v1/activities", "manager", fmt.Sprintf(
		`{"type":"call","subject":"Звонок Иванову Петру","deal_id":%d,"direction":"out","duration_s":120}`, deal))
	one := fmt.Sprintf("/api/v1/activities/%d", call)
	mgr, mgr2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "task on own lead", Method: "POST", URL: "/api/v1/activities", As: "manager", Status: 201,
			Body:     fmt.Sprintf(`{"type":"task","subject":"Перезвонить по заявке","lead_id":%d,"due_at":"2025-03-10T12:00:00+03:00"}`, lead),
			Contains: []string{fmt.Sprintf(`"lead_id":%d`, lead), fmt.Sprintf(`"owner_id":%d`, mgr)}},
		{Name: "director records for manager2", Method: "POST", URL: "/api/v1/activities", As: "director", Status: 201,
			Body:     fmt.Sprintf(`{"type":"meeting","subject":"Встреча в офисе клиента","owner_id":%d,"deal_id":%d}`, mgr2, other),
			Contains: []string{fmt.Sprintf(`"owner_id":%d`, mgr2)}},
		{Name: "owner reads", Method: "GET", URL: one, As: "manager", Status: 200,
			Contains: []string{"Звонок Иванову Петру", `"direction":"out"`, `"duration_s":120`}},
		{Name: "no access: manager2 reads manager's activity", Method: "GET", URL: one, As: "manager2", Status: 404,
			NotContains: []string{"Иванову"}},
		{Name: "director reads", Method: "GET", URL: one, As: "director", Status: 200},
		{Name: "manager sees own and the observed deal's", Method: "GET", URL: "/api/v1/activities", As: "manager", Status: 200,
			Contains: []string{`"total":3`, "Встреча в офисе клиента"}},
		{Name: "manager2 sees its own only", Method: "GET", URL: "/api/v1/activities", As: "manager2", Status: 200,
			Contains: []string{`"total":1`, "Встреча"}, NotContains: []string{"Иванову", "заявке"}},
		{Name: "filter by deal", Method: "GET", URL: fmt.Sprintf("/api/v1/activities?deal_id=%d", deal), As: "analyst", Status: 200,
			Contains: []string{`"total":1`, "Иванову"}},
		{Name: "filter by type and owner", Method: "GET", URL: fmt.Sprintf("/api/v1/activities?type=task&owner_id=%d", mgr), As: "director", Status: 200,
			Contains: []string{`"total":1`, "заявке"}},
		{Name: "the day in Moscow time", Method: "GET", URL: "/api/v1/activities?from=2025-03-10&to=2025-03-10", As: "director", Status: 200,
			Contains: []string{`"total":3`}},
		{Name: "the day before", Method: "GET", URL: "/api/v1/activities?to=2025-03-09", As: "director", Status: 200,
			Contains: []string{`"total":0`}},
		{Name: "from an instant after", Method: "GET", URL: "/api/v1/activities?from=2025-03-10T07:00:01Z", As: "director", Status: 200,
			Contains: []string{`"total":0`}},
		{Name: "bad from", Method: "GET", URL: "/api/v1/activities?from=вчера", As: "director", Status: 422, Field: "from"},
		{Name: "bad type filter", Method: "GET", URL: "/api/v1/activities?type=visit", As: "director", Status: 422, Field: "type"},
		{Name: "mark done", Method: "PATCH", URL: one, As: "manager", Status: 200,
			Body: `{"done_at":"2025-03-10T15:30:00Z"}`, Contains: []string{"Звонок Иванову Петру", `"done_at":"2025-03-10T`}},
	})
	long := strings.Repeat("я", 300)
	post := func(name, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/activities", As: as, Body: body, Status: status, Field: field}
	}
	runRejects(t, ts, []string{"activities"}, []dashtest.Scenario{
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
		{Name: "no access: manager2 patches", Method: "PATCH", URL: one, As: "manager2", Body: `{"subject":"x"}`, Status: 404},
		{Name: "analyst patches", Method: "PATCH", URL: one, As: "analyst", Body: `{"subject":"x"}`, Status: 403},
		{Name: "empty subject", Method: "PATCH", URL: one, As: "manager", Body: `{"subject":""}`, Status: 422, Field: "subject"},
	})
}
