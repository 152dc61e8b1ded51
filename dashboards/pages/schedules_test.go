package pages_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// scheduleForm is the schedules form as a browser posts it: weekly on
// Monday and Wednesday at 08:30, Yekaterinburg time, to the director.
func scheduleForm(ts *dashtest.ScheduleServer, mod func(url.Values)) url.Values {
	f := url.Values{"csrf": {dashtest.CSRF}, "name": {"Из формы"}, "report_id": {"deals_by_stage"}, "repeat": {"weekly"},
		"time": {"08:30"}, "days": {"1", "3"}, "day": {"1"}, "cron": {""}, "timezone": {"Asia/Yekaterinburg"}, "period": {"previous_month"},
		"recipients": {strconv.FormatInt(ts.Users["director"].ID, 10)}, "per_recipient": {"on"}, "delivery": {"folder"}, "lang": {"ru"}}
	if mod != nil {
		mod(f)
	}
	return f
}

// pageCase is one request to a page and what its answer must hold.
type pageCase struct {
	name, method, url, as string
	form                  url.Values
	status                int
	contains, lacks       []string
}

func runPageCases(t *testing.T, ts *dashtest.Server, cases []pageCase) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			status, body, _ := ts.PageBody(sc.method, sc.url, sc.as, sc.form)
			if status != sc.status {
				t.Fatalf("status %d, want %d: %s", status, sc.status, body)
			}
			for _, s := range sc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q: %s", s, body)
				}
			}
			for _, s := range sc.lacks {
				if strings.Contains(body, s) {
					t.Errorf("page holds %q", s)
				}
			}
		})
	}
}

// TestSchedulesPage: the list and the form in Russian and English (the
// time zones Russian first, Moscow by default); the picker writes the
// cron; bad input comes back in the page's language with the form as
// filled; a schedule is shown by its report's name and in words, edited,
// paused, resumed and deleted from its page; a manager can do none of it.
func TestSchedulesPage(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	set := func(k string, v ...string) func(url.Values) { return func(f url.Values) { f[k] = v } }
	custom := func(cron string) func(url.Values) {
		return func(f url.Values) { f.Set("repeat", "custom"); f.Set("cron", cron) }
	}
	runPageCases(t, ts.Server, []pageCase{
		{name: "Russian", method: "GET", url: "/schedules", as: "director", status: 200,
			contains: []string{"Рассылки", "Новая рассылка", "каждому — по его правам доступа", `name="csrf"`,
				`<optgroup label="Россия"><option value="Europe/Kaliningrad">Калининград (UTC&#43;2)</option><option value="Europe/Moscow" selected>Москва (UTC&#43;3)</option>`,
				`<option value="monthly" selected>раз в месяц</option>`, `<input name="time" value="09:00"`}},
		{name: "English", method: "GET", url: "/schedules?lang=en", as: "director", status: 200,
			contains: []string{"Schedules", "New schedule", "working days only", "Moscow (UTC&#43;3)", "on days of the week"}},
		{name: "a manager gets no form", method: "GET", url: "/schedules", as: "manager", status: 200, contains: []string{"Рассылок нет"}, lacks: []string{`id="new-schedule"`}},
		{name: "no session", method: "GET", url: "/schedules", status: 303},
		{name: "no CSRF", method: "POST", url: "/schedules", as: "director", form: url.Values{"name": {"x"}}, status: 403},
		{name: "an unreadable cron, kept as typed", method: "POST", url: "/schedules", as: "director", form: scheduleForm(ts, custom("когда-нибудь")), status: 422,
			contains: []string{"Когда: расписание не читается", `value="Из формы"`, `value="когда-нибудь"`, `<option value="custom" selected>`,
				`<option value="Asia/Yekaterinburg" selected>`, `<option value="` + dashtest.Itoa(ts.Users["director"].ID) + `" selected>`},
			lacks: []string{"want five fields", "cron:"}},
		{name: "31 February", method: "POST", url: "/schedules", as: "director", form: scheduleForm(ts, custom("0 9 31 2 *")), status: 422,
			contains: []string{"Когда: такого дня не бывает (например, 31 февраля)"}},
		{name: "weekly without a day", method: "POST", url: "/schedules", as: "director", form: scheduleForm(ts, set("days")), status: 422,
			contains: []string{"Когда: отметьте хотя бы один день недели", `value="Из формы"`}},
		{name: "no time", method: "POST", url: "/schedules", as: "director", form: scheduleForm(ts, set("time", "")), status: 422,
			contains: []string{"Когда: укажите время как ЧЧ:ММ"}},
		{name: "no recipient, in English", method: "POST", url: "/schedules?lang=en", as: "director", form: scheduleForm(ts, set("recipients")), status: 422,
			contains: []string{"Recipients: pick at least one recipient.", `value="Из формы"`}},
		{name: "create", method: "POST", url: "/schedules", as: "director", form: scheduleForm(ts, nil), status: 303},
	})
	var id int64
	var cron, tz string
	if err := ts.PG.Pool.QueryRow(context.Background(), `SELECT id, cron, timezone FROM export_schedules`).Scan(&id, &cron, &tz); err != nil {
		t.Fatalf("the one schedule from the form: %v", err)
	}
	if cron != "30 8 * * 1,3" || tz != "Asia/Yekaterinburg" {
		t.Errorf("saved %q in %s, want 30 8 * * 1,3 in Asia/Yekaterinburg", cron, tz)
	}
	page := "/schedules/" + strconv.FormatInt(id, 10)
	csrf := url.Values{"csrf": {dashtest.CSRF}}
	runPageCases(t, ts.Server, []pageCase{
		{name: "the list names the report and says when", method: "GET", url: "/schedules", as: "director", status: 200,
			contains: []string{"Сделки по стадиям", "по дням: пн, ср, в 08:30 <span class=\"muted\">(Екатеринбург)</span>", "Орлова Марина Сергеевна", "работает"},
			lacks:    []string{">deals_by_stage<", "30 8 * * 1,3"}},
		{name: "its page, the edit form filled", method: "GET", url: page, as: "director", status: 200,
			contains: []string{"Сделки по стадиям", `<option value="weekly" selected>`, `name="days" value="1" checked`, `name="days" value="3" checked`,
				`name="days" value="2">`, `value="08:30"`, "05.02.2025 08:30 <span class=\"muted\">(Екатеринбург)</span>"}}, // the clock: Monday 3 February 2025, 11:00 in Yekaterinburg; next, Wednesday
		{name: "edit: monthly on the 15th at 10:00", method: "POST", url: page, as: "director", status: 303,
			form: scheduleForm(ts, func(f url.Values) { f.Set("repeat", "monthly"); f.Set("day", "15"); f.Set("time", "10:00") })},
		{name: "an edit that fails keeps the edit", method: "POST", url: page, as: "director", status: 422,
			form: scheduleForm(ts, func(f url.Values) {
				f.Set("name", "Новое имя")
				f.Set("repeat", "custom")
				f.Set("cron", "0 9 30 2 *")
			}),
			contains: []string{"такого дня не бывает", `value="Новое имя"`, `value="0 9 30 2 *"`}},
		{name: "a manager may not edit", method: "POST", url: page, as: "manager", form: scheduleForm(ts, nil), status: 404},
		{name: "pause", method: "POST", url: page + "/pause", as: "director", form: url.Values{"csrf": {dashtest.CSRF}, "enabled": {"0"}}, status: 303},
		{name: "paused in the list", method: "GET", url: "/schedules", as: "director", status: 200,
			contains: []string{"15-го числа каждого месяца в 10:00", "приостановлена"}},
		{name: "its page offers to resume", method: "GET", url: page, as: "director", status: 200, contains: []string{`id="resume"`, "приостановлена"}},
		{name: "a manager may not delete", method: "POST", url: page + "/delete", as: "manager", form: csrf, status: 404},
		{name: "delete without CSRF", method: "POST", url: page + "/delete", as: "director", form: url.Values{}, status: 403},
	})
	var enabled bool
	ts.PG.Pool.QueryRow(context.Background(), `SELECT cron, enabled FROM export_schedules`).Scan(&cron, &enabled)
	if cron != "0 10 15 * *" || enabled {
		t.Errorf("after the edit and the pause: %q enabled %v, want 0 10 15 * * paused", cron, enabled)
	}
	runPageCases(t, ts.Server, []pageCase{
		{name: "resume", method: "POST", url: page + "/pause", as: "director", form: url.Values{"csrf": {dashtest.CSRF}, "enabled": {"1"}}, status: 303},
		{name: "run now", method: "POST", url: page + "/run", as: "director", form: csrf, status: 303},
		{name: "the run", method: "GET", url: page, as: "director", status: 200, contains: []string{"доставлено", "вручную", "файл: ", "строк: "}},
		{name: "a manager opens nothing", method: "GET", url: page, as: "manager", status: 404},
		{name: "delete", method: "POST", url: page + "/delete", as: "director", form: csrf, status: 303},
		{name: "gone", method: "GET", url: page, as: "director", status: 404},
	})
	if n := ts.RowCount("export_schedules"); n != 0 {
		t.Errorf("%d schedules after deleting", n)
	}
}

// TestSchedulesPageWithoutMail: with no SMTP server the form says mail
// is not configured, offers the folder and refuses mail in Russian.
func TestSchedulesPageWithoutMail(t *testing.T) {
	ts := dashtest.NewScheduleWithoutMail(t)
	runPageCases(t, ts.Server, []pageCase{
		{name: "the form", method: "GET", url: "/schedules", as: "director", status: 200,
			contains: []string{"Почта на сервере не настроена: файлы сохраняются в папку выгрузок.", `<option value="email" disabled>почта — не настроена</option>`,
				`<option value="auto" selected>папка (почта не настроена)</option>`}},
		{name: "mail is refused", method: "POST", url: "/schedules", as: "director", status: 422,
			form:     scheduleForm(ts, func(f url.Values) { f.Set("delivery", "email") }),
			contains: []string{"Доставка: почта на сервере не настроена — выберите доставку в папку"}, lacks: []string{"VORONKA_SMTP_URL"}},
	})
	if n := ts.RowCount("export_schedules"); n != 0 {
		t.Errorf("%d schedules saved", n)
	}
}
