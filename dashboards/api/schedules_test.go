package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/schedule"
)

// raw sends a JSON request and returns the whole response.
func raw(ts *dashtest.Server, method, target, as, body string) (*http.Response, []byte) {
	ts.T.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+ts.Tokens[as])
	}
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		ts.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// sheetRows reads a workbook's report sheet, raw values.
func sheetRows(t *testing.T, file []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Отчёт", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestXLSXEndpoints downloads a definition and a standard report: the
// file's rows are the run endpoint's rows, the manager's hold only
// their deals, bad input is a JSON error.
func TestXLSXEndpoints(t *testing.T) {
	ts := dashtest.NewReport(t)
	const titles = `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}],"sort":[{"by":"title"}]}`
	resp, file := raw(ts, "POST", "/api/v1/reports/run.xlsx", "manager", titles)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("run.xlsx: %d %v %s", resp.StatusCode, resp.Header, file)
	}
	rows := sheetRows(t, file)
	got := []string{rows[2][0] + " " + rows[2][1], rows[3][0] + " " + rows[3][1], rows[4][0]}
	if want := []string{"М-1 1000", "М-2 9000", "Итого"}; !slices.Equal(got, want) { // 100 USD at 90, by hand
		t.Errorf("manager's file %q, want %q", got, want)
	}
	const q = "?from=2025-01-01&to=2025-01-31"
	resp, file = raw(ts, "GET", "/api/v1/reports/deals_by_stage/export.xlsx"+q, "director", "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), url.PathEscape("Сделки по стадиям 2025-01-01–2025-01-31.xlsx")) {
		t.Fatalf("export.xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	var api reports.Result
	if ts.DoJSON("GET", "/api/v1/reports/deals_by_stage/run"+q, "director", nil, &api) != 200 {
		t.Fatal("run failed")
	}
	rows = sheetRows(t, file)
	for i, r := range api.Rows {
		for j, v := range r {
			if w := strings.Trim(jsonCell(v), `"`); j >= len(rows[i+2]) || rows[i+2][j] != w {
				t.Errorf("row %d col %d: file %q, API %s", i, j, rows[i+2], w)
			}
		}
	}
	deals := ts.RowCount("deals")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: "/api/v1/reports/run.xlsx", Body: titles, Status: 401},
		{Name: "unknown field", Method: "POST", URL: "/api/v1/reports/run.xlsx", As: "analyst", Status: 422, Field: "dimensions[0].field",
			Body: `{"dataset":"deals","dimensions":[{"field":"colour"}]}`},
		{Name: "malformed", Method: "POST", URL: "/api/v1/reports/run.xlsx", As: "analyst", Status: 400, Body: `{"dataset":`},
		{Name: "unknown report", Method: "GET", URL: "/api/v1/reports/nope/export.xlsx", As: "analyst", Status: 404},
		{Name: "bad period", Method: "GET", URL: "/api/v1/reports/deals_by_stage/export.xlsx?from=x&to=2025-01-01", As: "analyst", Status: 422, Field: "from"},
	})
	if ts.RowCount("deals") != deals {
		t.Error("an export changed the deals")
	}
}

func jsonCell(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestSchedulesAPI creates a per-recipient schedule through the API and
// runs it: each recipient's mail holds the rows they may see; the folder
// delivery writes files; who may see what; bad input changes nothing.
func TestSchedulesAPI(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	u := ts.Users
	body := `{"name":"Еженедельно","report_id":"deals_by_stage","cron":"0 9 * * 1","period":"previous_month","recipients":[` +
		strconv.FormatInt(u["manager"].ID, 10) + `,` + strconv.FormatInt(u["director"].ID, 10) + `]}`
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "a manager may not schedule", Method: "POST", URL: "/api/v1/schedules", As: "manager", Body: body, Status: 403},
		{Name: "bad cron", Method: "POST", URL: "/api/v1/schedules", As: "analyst", Status: 422, Field: "cron",
			Body: strings.Replace(body, "0 9 * * 1", "every monday", 1)},
		{Name: "31 February never comes", Method: "POST", URL: "/api/v1/schedules", As: "analyst", Status: 422, Field: "cron",
			Body: strings.Replace(body, "0 9 * * 1", "0 9 31 2 *", 1), Contains: []string{`"code":"impossible_cron"`}},
		{Name: "shared file to a manager", Method: "POST", URL: "/api/v1/schedules", As: "analyst", Status: 422, Field: "per_recipient",
			Body: strings.Replace(body, `"period"`, `"per_recipient":false,"period"`, 1)},
		{Name: "unknown field", Method: "POST", URL: "/api/v1/schedules", As: "analyst", Status: 422, Field: "colour", Body: `{"colour":1}`},
		{Name: "malformed", Method: "POST", URL: "/api/v1/schedules", As: "analyst", Status: 400, Body: `{"name":`},
	})
	if n := ts.RowCount("export_schedules"); n != 0 {
		t.Fatalf("%d schedules after bad input", n)
	}
	var sch schedule.Schedule
	if st := ts.DoJSON("POST", "/api/v1/schedules", "director", json.RawMessage(body), &sch); st != 201 || sch.Timezone != "Europe/Moscow" || !sch.PerRecipient {
		t.Fatalf("create: %d %+v", st, sch)
	}
	one := "/api/v1/schedules/" + strconv.FormatInt(sch.ID, 10)
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "director lists it", Method: "GET", URL: "/api/v1/schedules", As: "director", Status: 200, Contains: []string{`"Еженедельно"`}},
		{Name: "an analyst does not see another's schedule", Method: "GET", URL: "/api/v1/schedules", As: "analyst", Status: 200, NotContains: []string{"Еженедельно"}},
		{Name: "nor opens it", Method: "GET", URL: one, As: "analyst", Status: 404},
		{Name: "a manager neither", Method: "GET", URL: one + "/runs", As: "manager", Status: 404},
		{Name: "nor runs it", Method: "POST", URL: one + "/run", As: "manager", Status: 404},
		{Name: "nor changes it", Method: "PATCH", URL: one, As: "manager", Body: `{"name":"x"}`, Status: 404},
		{Name: "bad patch", Method: "PATCH", URL: one, As: "director", Body: `{"timezone":"Moon/Base"}`, Status: 422, Field: "timezone"},
	})
	var run schedule.Run
	if st := ts.DoJSON("POST", one+"/run", "director", nil, &run); st != 200 || run.Status != "succeeded" || len(run.Deliveries) != 2 {
		t.Fatalf("run now: %d %+v", st, run)
	}
	for _, m := range ts.SMTP.Mails() {
		p, err := reportstest.ParseMail(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		rows := sheetRows(t, p.File)
		text := strings.Join(flattenRows(rows), "|")
		if strings.HasPrefix(m.To[0], "manager@") && (strings.Contains(text, "5000") || !strings.Contains(text, "10000")) {
			t.Errorf("the manager's file shows another's deal or misses theirs: %s", text) // М-1 + М-2 = 10000 ₽, «Секрет» 5000 ₽
		}
		if strings.HasPrefix(m.To[0], "director@") && !strings.Contains(text, "15000") {
			t.Errorf("the director's file misses deals: %s", text)
		}
	}
	if n := len(ts.SMTP.Mails()); n != 2 {
		t.Errorf("%d mails, want 2", n)
	}
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "runs", Method: "GET", URL: one + "/runs", As: "director", Status: 200, Contains: []string{`"status":"succeeded"`, `"trigger":"manual"`, `"via":"email"`}},
		{Name: "to the folder", Method: "PATCH", URL: one, As: "director", Body: `{"delivery":"folder"}`, Status: 200, Contains: []string{`"delivery":"folder"`}},
	})
	if st := ts.DoJSON("POST", one+"/run", "director", nil, &run); st != 200 || run.Status != "succeeded" || len(run.Deliveries) != 2 {
		t.Fatalf("run to folder: %d %+v", st, run)
	}
	for _, d := range run.Deliveries {
		if !strings.HasPrefix(d.Target, ts.Dir) || filepath.Base(d.Target) != "Сделки по стадиям 2025-01-01–2025-01-31.xlsx" {
			t.Errorf("delivered to %s", d.Target)
		}
		if _, err := os.Stat(d.Target); err != nil {
			t.Error(err)
		}
	}
}

// TestSchedulesWithoutMail: with no SMTP server configured, a schedule
// asking for mail is a 422 on delivery that says so and offers the
// folder; the folder and auto are accepted.
func TestSchedulesWithoutMail(t *testing.T) {
	ts := dashtest.NewScheduleWithoutMail(t)
	body := `{"name":"Почтой","report_id":"deals_by_stage","cron":"0 9 * * 1","recipients":[` + dashtest.Itoa(ts.Users["director"].ID) + `],"delivery":"%s"}`
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "mail", Method: "POST", URL: "/api/v1/schedules", As: "director", Status: 422, Field: "delivery",
			Body: fmt.Sprintf(body, "email"), Contains: []string{`"code":"no_smtp"`, "VORONKA_SMTP_URL", `"allowed":["auto","folder"]`}},
		{Name: "folder", Method: "POST", URL: "/api/v1/schedules", As: "director", Status: 201, Body: fmt.Sprintf(body, "folder")},
		{Name: "auto", Method: "POST", URL: "/api/v1/schedules", As: "director", Status: 201, Body: fmt.Sprintf(body, "auto")},
	})
	if n := ts.RowCount("export_schedules"); n != 2 {
		t.Errorf("%d schedules, want the folder's and auto's", n)
	}
}

func flattenRows(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestHolidaysAPI reads and edits the calendar.
func TestHolidaysAPI(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	before := ts.RowCount("holidays")
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "the 2026 calendar", Method: "GET", URL: "/api/v1/holidays?year=2026", As: "manager", Status: 200,
			Contains: []string{`{"day":"2026-01-09","kind":"holiday"`, `"2026-12-31"`, `"total":18`}},
		{Name: "bad year", Method: "GET", URL: "/api/v1/holidays?year=abc", As: "manager", Status: 422, Field: "year"},
		{Name: "an analyst may not edit", Method: "PUT", URL: "/api/v1/holidays/2026-07-03", As: "analyst", Body: `{"kind":"holiday","name":"x"}`, Status: 403},
		{Name: "bad date", Method: "PUT", URL: "/api/v1/holidays/2026-13-03", As: "director", Body: `{"kind":"holiday","name":"x"}`, Status: 422, Field: "day"},
		{Name: "bad kind", Method: "PUT", URL: "/api/v1/holidays/2026-07-03", As: "director", Body: `{"kind":"party","name":"x"}`, Status: 422, Field: "kind"},
	})
	if ts.RowCount("holidays") != before {
		t.Fatal("bad input changed the calendar")
	}
	dashtest.RunScenarios(t, ts.Server, []dashtest.Scenario{
		{Name: "add a day", Method: "PUT", URL: "/api/v1/holidays/2026-07-03", As: "director", Body: `{"kind":"holiday","name":"Корпоратив"}`, Status: 200},
		{Name: "it is listed", Method: "GET", URL: "/api/v1/holidays?year=2026", As: "manager", Status: 200, Contains: []string{`"Корпоратив"`, `"total":19`}},
		{Name: "remove it", Method: "DELETE", URL: "/api/v1/holidays/2026-07-03", As: "admin", Status: 204},
		{Name: "twice", Method: "DELETE", URL: "/api/v1/holidays/2026-07-03", As: "admin", Status: 404},
	})
	svc := ts.Srv.Schedules
	if ok, _ := svc.WorkingDay(context.Background(), time.Date(2026, 7, 3, 0, 0, 0, 0, time.UTC)); !ok {
		t.Error("3 July 2026 should be a working day again")
	}
}
