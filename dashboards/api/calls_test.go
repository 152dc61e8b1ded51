package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/internal/testenv"
)

// cdr is one Master.csv row as Asterisk writes it.
func cdr(src, dst, channel, dstchannel, start string, billsec int, disposition, uniqueid string) string {
	return fmt.Sprintf(`"","%s","%s","from-internal","""%s"" <%s>","%s","%s","Dial","","%s","","%s",%d,%d,"%s","DOCUMENTATION","%s",""`+"\n",
		src, dst, src, src, channel, dstchannel, start, start, billsec+5, billsec, disposition, uniqueid)
}

// TestUserExtensionsAPI: an admin sets extensions on POST and PATCH
// /users; they are unique; nobody else sets them.
func TestUserExtensionsAPI(t *testing.T) {
	ts := dashtest.New(t)
	mgr := "/api/v1/users/" + dashtest.Itoa(ts.Users["manager"].ID)
	mgr2 := "/api/v1/users/" + dashtest.Itoa(ts.Users["manager2"].ID)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "admin sets an extension", Method: "PATCH", URL: mgr, As: "admin", Body: `{"extension":" 101 "}`,
			Status: 200, Contains: []string{`"extension":"101"`}},
		{Name: "taken by another user", Method: "PATCH", URL: mgr2, As: "admin", Body: `{"extension":"101"}`,
			Status: 409, Field: "extension", Contains: []string{`"already_exists"`}},
		{Name: "not an extension", Method: "PATCH", URL: mgr2, As: "admin", Body: `{"extension":"10 1"}`,
			Status: 422, Field: "extension"},
		{Name: "a SIP login", Method: "PATCH", URL: mgr2, As: "admin", Body: `{"extension":"petrova.a"}`,
			Status: 200, Contains: []string{`"extension":"petrova.a"`}},
		{Name: "a director may not", Method: "PATCH", URL: mgr2, As: "director", Body: `{"extension":"102"}`, Status: 403},
		{Name: "a manager may not", Method: "PATCH", URL: mgr, As: "manager", Body: `{"extension":"102"}`, Status: 403},
		{Name: "no such user", Method: "PATCH", URL: "/api/v1/users/999999", As: "admin", Body: `{"extension":"102"}`, Status: 404},
		{Name: "a new user with one", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 201, Contains: []string{`"extension":"103"`},
			Body: `{"email":"new@test.local","name":"Новый Сотрудник","role":"manager","password":"secret","extension":"103"}`},
		{Name: "a new user with a taken one", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 409, Field: "extension",
			Body: `{"email":"new2@test.local","name":"Ещё Сотрудник","role":"manager","password":"secret","extension":"103"}`},
		{Name: "the list shows them", Method: "GET", URL: "/api/v1/users", As: "director", Status: 200,
			Contains: []string{`"extension":"101"`, `"extension":"petrova.a"`, `"extension":null`}},
		{Name: "the OpenAPI lists the calls import and the patch", Method: "GET", URL: "/api/v1/openapi.json", Status: 200,
			Contains: []string{`"/api/v1/calls/import"`, `intake_CallResult`, `crmcore_UserPatch`}},
		{Name: "removed with an empty one", Method: "PATCH", URL: mgr2, As: "admin", Body: `{"extension":""}`,
			Status: 200, Contains: []string{`"extension":null`}},
	})
}

// TestCallsImportAPI: a CDR file through POST /calls/import, raw and
// multipart, then the copy in ClickHouse and the manager-activity
// report. The file, by hand: manager (101) calls the contact's number
// out and is called back (2 calls on the contact's deal), manager2
// (petrova) takes a call from an unknown number (1 call, no link), 101
// calls 102 (internal, skipped).
func TestCallsImportAPI(t *testing.T) {
	ts := dashtest.New(t)
	for alias, ext := range map[string]string{"manager": "101", "manager2": "petrova"} {
		if st, body := ts.Do("PATCH", "/api/v1/users/"+dashtest.Itoa(ts.Users[alias].ID), "admin", `{"extension":"`+ext+`"}`); st != 200 {
			t.Fatalf("extension: %d %s", st, body)
		}
	}
	contact := createdID(ts, "/api/v1/contacts", "director", `{"first_name":"Иван","last_name":"Клиентов","phone":"+7 (912) 345-67-89"}`)
	deal := bizDeal(ts, "Поставка станков", "manager")
	if _, err := ts.PG.Pool.Exec(context.Background(), `UPDATE deals SET contact_id = $1 WHERE id = $2`, contact, deal); err != nil {
		t.Fatal(err)
	}
	file := cdr("101", "89123456789", "SIP/101-0000001a", "SIP/trunk-0000001b", "2024-03-02 10:15:03", 123, "ANSWERED", "1709363703.26") +
		cdr("89123456789", "s", "SIP/trunk-0000001c", "SIP/101-0000001d", "2024-03-04 09:00:00", 40, "ANSWERED", "1709532000.27") +
		cdr("84950000000", "4951112233", "PJSIP/mts-00000003", "PJSIP/petrova-00000004", "2024-03-05 12:30:00", 0, "NO ANSWER", "1709631000.28") +
		cdr("101", "102", "SIP/101-0000001e", "SIP/102-0000001f", "2024-03-05 13:00:00", 180, "ANSWERED", "1709632800.29")
	const url = "/api/v1/calls/import"
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: file, Status: 401},
		{Name: "a manager may not", Method: "POST", URL: url, As: "manager", Body: file, Status: 403},
		{Name: "an analyst may not", Method: "POST", URL: url, As: "analyst", Body: file, Status: 403},
		{Name: "a bad format", Method: "POST", URL: url + "?format=cisco", As: "director", Body: file, Status: 422, Field: "format"},
		{Name: "bad min_digits", Method: "POST", URL: url + "?min_digits=пять", As: "director", Body: file, Status: 422, Field: "min_digits"},
		{Name: "a bad zone", Method: "POST", URL: url + "?zone=Mars", As: "director", Body: file, Status: 422, Field: "zone"},
		{Name: "an empty file", Method: "POST", URL: url, As: "director", Body: " ", Status: 422, Field: "file"},
		{Name: "a dry run", Method: "POST", URL: url + "?dry_run=true", As: "director", Body: file, Status: 200,
			Contains: []string{`"dry_run":true`, `"applied":false`, `"created":3`, `"internal":1`}},
		{Name: "the director imports the raw file", Method: "POST", URL: url, As: "director", Body: file, Status: 200,
			Contains: []string{`"applied":true`, `"created":3`, `"skipped":1`, `"failed":0`, `"internal":1`, `"duplicates":0`,
				`"action":"skipped_internal"`, `"reason":"on deal #` + dashtest.Itoa(deal) + `"`, `"zone":"Europe/Moscow"`, `"min_digits":5`}},
	})
	st, body := ts.PostFile(url, "admin", "Master.csv", []byte(file))
	if st != 200 || !strings.Contains(body, `"created":0`) || !strings.Contains(body, `"duplicates":3`) {
		t.Fatalf("re-import as multipart: %d %s", st, body)
	}
	if n := ts.RowCount("activities"); n != 3 {
		t.Fatalf("%d activities, want 3", n)
	}
	ch := ts.Mirror(time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC))
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	got, err := testenv.CHTexts(context.Background(), ch.DB, ch.DB.Names.Current("activities",
		`concat(toString(owner_id), ' ', toString(ifNull(deal_id, 0)), ' ', ifNull(direction, ''), ' ', toString(ifNull(duration_s, -1)))`)+
		` AND type = 'call' ORDER BY id`)
	want := []string{fmt.Sprintf("%d %d out 123", m, deal), fmt.Sprintf("%d %d in 40", m, deal), fmt.Sprintf("%d 0 in 0", m2)}
	if err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("ClickHouse calls %v (%v), want %v", got, err, want)
	}
	if got, err := testenv.CHTexts(context.Background(), ch.DB, ch.DB.Names.Current("users", "ifNull(extension, '-')")+" ORDER BY id"); err != nil ||
		!strings.Contains(strings.Join(got, ","), "101,petrova") {
		t.Fatalf("ClickHouse users' extensions %v %v", got, err)
	}
	calls := managerCalls(t, ts, `{"kind":"manager_activity","period":{"from":"2024-03-01","to":"2024-03-31"}}`)
	if w := map[int64]int64{m: 2, m2: 1}; calls[m] != w[m] || calls[m2] != w[m2] {
		t.Fatalf("manager activity calls %v, want %v", calls, w)
	}
}

// managerCalls runs a manager-activity definition as director: calls by
// responsible.
func managerCalls(t *testing.T, ts *dashtest.Server, def string) map[int64]int64 {
	t.Helper()
	st, body := ts.Do("POST", "/api/v1/reports/run", "director", def)
	var res struct {
		Columns []struct{ Key string }
		Rows    [][]any
	}
	if st != 200 || json.Unmarshal([]byte(body), &res) != nil {
		t.Fatalf("report: %d %s", st, body)
	}
	col := map[string]int{}
	keys := []string{}
	for i, c := range res.Columns {
		col[c.Key] = i
		keys = append(keys, c.Key)
	}
	sort.Strings(keys)
	out := map[int64]int64{}
	for _, r := range res.Rows {
		id, _ := strconv.ParseInt(fmt.Sprint(r[col["responsible"]]), 10, 64) // ids are strings in JSON
		n, _ := r[col["calls"]].(float64)
		out[id] = int64(n)
	}
	if _, ok := col["calls"]; !ok {
		t.Fatalf("no calls column in %v", keys)
	}
	return out
}
