package pages_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestSchedulesPage: the list and form in Russian and English, creating
// through the form (CSRF-checked), the runs with their status and error.
func TestSchedulesPage(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	form := url.Values{"csrf": {dashtest.CSRF}, "name": {"Из формы"}, "report_id": {"deals_by_stage"}, "cron": {"0 9 1 * *"},
		"timezone": {"Europe/Moscow"}, "period": {"previous_month"}, "recipients": {strconv.FormatInt(ts.Users["director"].ID, 10)},
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
			status, body, _ := ts.PageBody(sc.method, sc.url, sc.as, sc.form)
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
	if n := ts.RowCount("export_schedules"); n != 1 {
		t.Fatalf("%d schedules, want the one from the form", n)
	}
	var id int64
	ts.PG.Pool.QueryRow(context.Background(), `SELECT id FROM export_schedules`).Scan(&id)
	page := "/schedules/" + strconv.FormatInt(id, 10)
	if status, _, h := ts.PageBody("POST", page+"/run", "director", url.Values{"csrf": {dashtest.CSRF}}); status != 303 || h.Get("Location") != page {
		t.Fatalf("run now: %d %v", status, h)
	}
	status, body, _ := ts.PageBody("GET", page, "director", nil)
	if status != 200 || !strings.Contains(body, "Из формы") || !strings.Contains(body, "доставлено") || !strings.Contains(body, "вручную") {
		t.Errorf("schedule page %d: %s", status, body)
	}
	if status, _, _ := ts.PageBody("GET", page, "manager", nil); status != 404 {
		t.Errorf("a manager opens the schedule page: %d", status)
	}
}
