package dashboards

import (
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/schedule"
)

// scheduleServer is the report harness (reportFixture) with scheduled
// exports mailed to an in-process SMTP server, or written to dir.
type scheduleServer struct {
	*testServer
	smtp *reportstest.SMTPServer
	dir  string
}

func newScheduleServer(t *testing.T) *scheduleServer {
	ts := newReportServer(t)
	srv := reportstest.NewSMTP(t, 0)
	dir := t.TempDir()
	svc := &schedule.Service{PG: ts.pg.Pool, Engine: ts.srv.Reports, Dir: dir, Worker: "test",
		Now:    func() time.Time { return time.Date(2025, 2, 3, 6, 0, 0, 0, time.UTC) },
		Mailer: &schedule.Mailer{Addr: srv.Addr, Host: "127.0.0.1", From: "reports@test.local", TLS: srv.Client, Timeout: 10 * time.Second}}
	d := ts.srv.Deps
	d.Schedules = svc
	ts.srv = New(d)
	return &scheduleServer{testServer: ts, smtp: srv, dir: dir}
}

// raw sends a JSON request and returns the whole response.
func (ts *testServer) raw(method, target, as, body string) (*http.Response, []byte) {
	ts.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+ts.tokens[as])
	}
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		ts.t.Fatal(err)
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
	ts := newReportServer(t)
	const titles = `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}],"sort":[{"by":"title"}]}`
	resp, file := ts.raw("POST", "/api/v1/reports/run.xlsx", "manager", titles)
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
	resp, file = ts.raw("GET", "/api/v1/reports/deals_by_stage/export.xlsx"+q, "director", "")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), url.PathEscape("Сделки по стадиям 2025-01-01–2025-01-31.xlsx")) {
		t.Fatalf("export.xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	var api reports.Result
	if ts.doJSON("GET", "/api/v1/reports/deals_by_stage/run"+q, "director", nil, &api) != 200 {
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
	deals := ts.rowCount("deals")
	runScenarios(t, ts, []scenario{
		{name: "anonymous", method: "POST", url: "/api/v1/reports/run.xlsx", body: titles, status: 401},
		{name: "unknown field", method: "POST", url: "/api/v1/reports/run.xlsx", as: "analyst", status: 422, field: "dimensions[0].field",
			body: `{"dataset":"deals","dimensions":[{"field":"colour"}]}`},
		{name: "malformed", method: "POST", url: "/api/v1/reports/run.xlsx", as: "analyst", status: 400, body: `{"dataset":`},
		{name: "unknown report", method: "GET", url: "/api/v1/reports/nope/export.xlsx", as: "analyst", status: 404},
		{name: "bad period", method: "GET", url: "/api/v1/reports/deals_by_stage/export.xlsx?from=x&to=2025-01-01", as: "analyst", status: 422, field: "from"},
	})
	if ts.rowCount("deals") != deals {
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
	ts := newScheduleServer(t)
	u := ts.users
	body := `{"name":"Еженедельно","report_id":"deals_by_stage","cron":"0 9 * * 1","period":"previous_month","recipients":[` +
		strconv.FormatInt(u["manager"].ID, 10) + `,` + strconv.FormatInt(u["director"].ID, 10) + `]}`
	runScenarios(t, ts.testServer, []scenario{
		{name: "a manager may not schedule", method: "POST", url: "/api/v1/schedules", as: "manager", body: body, status: 403},
		{name: "bad cron", method: "POST", url: "/api/v1/schedules", as: "analyst", status: 422, field: "cron",
			body: strings.Replace(body, "0 9 * * 1", "every monday", 1)},
		{name: "shared file to a manager", method: "POST", url: "/api/v1/schedules", as: "analyst", status: 422, field: "per_recipient",
			body: strings.Replace(body, `"period"`, `"per_recipient":false,"period"`, 1)},
		{name: "unknown field", method: "POST", url: "/api/v1/schedules", as: "analyst", status: 422, field: "colour", body: `{"colour":1}`},
		{name: "malformed", method: "POST", url: "/api/v1/schedules", as: "analyst", status: 400, body: `{"name":`},
	})
	if n := ts.rowCount("export_schedules"); n != 0 {
		t.Fatalf("%d schedules after bad input", n)
	}
	var sch schedule.Schedule
	if st := ts.doJSON("POST", "/api/v1/schedules", "director", json.RawMessage(body), &sch); st != 201 || sch.Timezone != "Europe/Moscow" || !sch.PerRecipient {
		t.Fatalf("create: %d %+v", st, sch)
	}
	one := "/api/v1/schedules/" + strconv.FormatInt(sch.ID, 10)
	runScenarios(t, ts.testServer, []scenario{
		{name: "director lists it", method: "GET", url: "/api/v1/schedules", as: "director", status: 200, contains: []string{`"Еженедельно"`}},
		{name: "an analyst does not see another's schedule", method: "GET", url: "/api/v1/schedules", as: "analyst", status: 200, notContains: []string{"Еженедельно"}},
		{name: "nor opens it", method: "GET", url: one, as: "analyst", status: 404},
		{name: "a manager neither", method: "GET", url: one + "/runs", as: "manager", status: 404},
		{name: "nor runs it", method: "POST", url: one + "/run", as: "manager", status: 404},
		{name: "nor changes it", method: "PATCH", url: one, as: "manager", body: `{"name":"x"}`, status: 404},
		{name: "bad patch", method: "PATCH", url: one, as: "director", body: `{"timezone":"Moon/Base"}`, status: 422, field: "timezone"},
	})
	var run schedule.Run
	if st := ts.doJSON("POST", one+"/run", "director", nil, &run); st != 200 || run.Status != "succeeded" || len(run.Deliveries) != 2 {
		t.Fatalf("run now: %d %+v", st, run)
	}
	for _, m := range ts.smtp.Mails() {
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
	if n := len(ts.smtp.Mails()); n != 2 {
		t.Errorf("%d mails, want 2", n)
	}
	runScenarios(t, ts.testServer, []scenario{
		{name: "runs", method: "GET", url: one + "/runs", as: "director", status: 200, contains: []string{`"status":"succeeded"`, `"trigger":"manual"`, `"via":"email"`}},
		{name: "to the folder", method: "PATCH", url: one, as: "director", body: `{"delivery":"folder"}`, status: 200, contains: []string{`"delivery":"folder"`}},
	})
	if st := ts.doJSON("POST", one+"/run", "director", nil, &run); st != 200 || run.Status != "succeeded" || len(run.Deliveries) != 2 {
		t.Fatalf("run to folder: %d %+v", st, run)
	}
	for _, d := range run.Deliveries {
		if !strings.HasPrefix(d.Target, ts.dir) || filepath.Base(d.Target) != "Сделки по стадиям 2025-01-01–2025-01-31.xlsx" {
			t.Errorf("delivered to %s", d.Target)
		}
		if _, err := os.Stat(d.Target); err != nil {
			t.Error(err)
		}
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
	ts := newScheduleServer(t)
	before := ts.rowCount("holidays")
	runScenarios(t, ts.testServer, []scenario{
		{name: "the 2026 calendar", method: "GET", url: "/api/v1/holidays?year=2026", as: "manager", status: 200,
			contains: []string{`{"day":"2026-01-09","kind":"holiday"`, `"2026-12-31"`, `"total":18`}},
		{name: "bad year", method: "GET", url: "/api/v1/holidays?year=abc", as: "manager", status: 422, field: "year"},
		{name: "an analyst may not edit", method: "PUT", url: "/api/v1/holidays/2026-07-03", as: "analyst", body: `{"kind":"holiday","name":"x"}`, status: 403},
		{name: "bad date", method: "PUT", url: "/api/v1/holidays/2026-13-03", as: "director", body: `{"kind":"holiday","name":"x"}`, status: 422, field: "day"},
		{name: "bad kind", method: "PUT", url: "/api/v1/holidays/2026-07-03", as: "director", body: `{"kind":"party","name":"x"}`, status: 422, field: "kind"},
	})
	if ts.rowCount("holidays") != before {
		t.Fatal("bad input changed the calendar")
	}
	runScenarios(t, ts.testServer, []scenario{
		{name: "add a day", method: "PUT", url: "/api/v1/holidays/2026-07-03", as: "director", body: `{"kind":"holiday","name":"Корпоратив"}`, status: 200},
		{name: "it is listed", method: "GET", url: "/api/v1/holidays?year=2026", as: "manager", status: 200, contains: []string{`"Корпоратив"`, `"total":19`}},
		{name: "remove it", method: "DELETE", url: "/api/v1/holidays/2026-07-03", as: "admin", status: 204},
		{name: "twice", method: "DELETE", url: "/api/v1/holidays/2026-07-03", as: "admin", status: 404},
	})
	svc := ts.srv.Schedules
	if ok, _ := svc.WorkingDay(context.Background(), time.Date(2026, 7, 3, 0, 0, 0, 0, time.UTC)); !ok {
		t.Error("3 July 2026 should be a working day again")
	}
}

// TestSchedulesPage: the list and form in Russian and English, creating
// through the form (CSRF-checked), the runs with their status and error.
func TestSchedulesPage(t *testing.T) {
	ts := newScheduleServer(t)
	form := url.Values{"csrf": {testCSRF}, "name": {"Из формы"}, "report_id": {"deals_by_stage"}, "cron": {"0 9 1 * *"},
		"timezone": {"Europe/Moscow"}, "period": {"previous_month"}, "recipients": {strconv.FormatInt(ts.users["director"].ID, 10)},
		"per_recipient": {"on"}, "delivery": {"folder"}, "lang": {"ru"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("cron", "когда-нибудь")
	for _, sc := range []struct {
		name, method, url, as string
		form                  url.Values
		status                int
		contains              []string
	}{
		{name: "Russian", method: "GET", url: "/schedules", as: "director", status: 200,
			contains: []string{"Рассылки", "Новая рассылка", "каждому — по его правам доступа", `name="csrf"`}},
		{name: "English", method: "GET", url: "/schedules?lang=en", as: "director", status: 200, contains: []string{"Schedules", "New schedule", "working days only"}},
		{name: "a manager gets no form", method: "GET", url: "/schedules", as: "manager", status: 200, contains: []string{"Рассылок нет"}},
		{name: "no session", method: "GET", url: "/schedules", status: 303},
		{name: "no CSRF", method: "POST", url: "/schedules", as: "director", form: url.Values{"name": {"x"}}, status: 403},
		{name: "bad cron shows the error", method: "POST", url: "/schedules", as: "director", form: bad, status: 422, contains: []string{"cron:"}},
		{name: "create", method: "POST", url: "/schedules", as: "director", form: form, status: 303},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, body, _ := ts.pageBody(sc.method, sc.url, sc.as, sc.form)
			if status != sc.status {
				t.Fatalf("status %d, want %d: %s", status, sc.status, body)
			}
			for _, s := range sc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
	if n := ts.rowCount("export_schedules"); n != 1 {
		t.Fatalf("%d schedules, want the one from the form", n)
	}
	var id int64
	ts.pg.Pool.QueryRow(context.Background(), `SELECT id FROM export_schedules`).Scan(&id)
	page := "/schedules/" + strconv.FormatInt(id, 10)
	if status, _, h := ts.pageBody("POST", page+"/run", "director", url.Values{"csrf": {testCSRF}}); status != 303 || h.Get("Location") != page {
		t.Fatalf("run now: %d %v", status, h)
	}
	status, body, _ := ts.pageBody("GET", page, "director", nil)
	if status != 200 || !strings.Contains(body, "Из формы") || !strings.Contains(body, "доставлено") || !strings.Contains(body, "вручную") {
		t.Errorf("schedule page %d: %s", status, body)
	}
	if status, _, _ := ts.pageBody("GET", page, "manager", nil); status != 404 {
		t.Errorf("a manager opens the schedule page: %d", status)
	}
}
