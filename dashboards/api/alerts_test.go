package api_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports/schedule"
)

// TestAlertsAPI: who may set alerts, bad input on the field with nothing
// saved, and a check run through the API: the director's count of this
// year's deals by stage (the totals row) is below a threshold no count
// reaches, so the first check fires for them and the second tells nobody.
func TestAlertsAPI(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	u := ts.Users
	body := `{"name":"Мало сделок","report_id":"deals_by_stage","measure":"count","condition":"below","value":1000000,` +
		`"cron":"0 9 * * 1-5","delivery":"folder","recipients":[` + strconv.FormatInt(u["director"].ID, 10) + `]}`
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "a manager may not set one", Method: "POST", URL: "/api/v1/alerts", As: "manager", Body: body, Status: 403},
		{Name: "a measure the report lacks", Method: "POST", URL: "/api/v1/alerts", As: "director", Status: 422, Field: "measure",
			Body: strings.Replace(body, `"measure":"count"`, `"measure":"calls"`, 1), Contains: []string{`"code":"unknown_measure"`, `"amount_sum"`}},
		{Name: "no value", Method: "POST", URL: "/api/v1/alerts", As: "director", Status: 422, Field: "value",
			Body: strings.Replace(body, `"value":1000000,`, ``, 1)},
		{Name: "an unknown recipient", Method: "POST", URL: "/api/v1/alerts", As: "director", Status: 422, Field: "recipients[0]",
			Body: strings.Replace(body, strconv.FormatInt(u["director"].ID, 10), "0", 1)},
		{Name: "malformed", Method: "POST", URL: "/api/v1/alerts", As: "director", Status: 400, Body: `{"name":`},
	})
	if n := ts.RowCount("alerts"); n != 0 {
		t.Fatalf("%d alerts after bad input", n)
	}
	var al schedule.Alert
	if st := ts.DoJSON("POST", "/api/v1/alerts", "director", json.RawMessage(body), &al); st != 201 || al.NextCheckAt == nil {
		t.Fatalf("create: %d %+v", st, al)
	}
	one := "/api/v1/alerts/" + strconv.FormatInt(al.ID, 10)
	var run schedule.AlertRun
	if st := ts.DoJSON("POST", one+"/check", "director", nil, &run); st != 200 || run.Status != "succeeded" || len(run.Checks) != 1 ||
		!run.Checks[0].Holds || run.Checks[0].Event != schedule.EventFired || run.Checks[0].Via != "folder" {
		t.Fatalf("first check: %d %+v", st, run)
	}
	if st := ts.DoJSON("POST", one+"/check", "director", nil, &run); st != 200 || len(run.Checks) != 1 || run.Checks[0].Event != schedule.EventNone {
		t.Fatalf("second check: %d %+v, want nothing told while it stays true", st, run)
	}
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "two checks listed", Method: "GET", URL: one + "/runs", As: "director", Status: 200, Contains: []string{`"total":2`, `"event":"fired"`, `"event":"none"`}},
		{Name: "a manager does not see it", Method: "GET", URL: one, As: "manager", Status: 404},
		{Name: "nor checks it", Method: "POST", URL: one + "/check", As: "manager", Status: 404},
		{Name: "a new figure starts afresh", Method: "PATCH", URL: one, As: "director", Body: `{"value":2000000}`, Status: 200},
		{Name: "delete", Method: "DELETE", URL: one, As: "director", Status: 204},
	})
	if n := ts.RowCount("alert_states"); n != 0 {
		t.Errorf("%d standings left after the delete", n)
	}
}
