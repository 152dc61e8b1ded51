package dashboards_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/dashboards/dashtest"
)

var (
	// emails are left out of the check: an address is not a word.
	emails = regexp.MustCompile(`[\w.+-]+@[\w.-]+`)
	// latinWords are ASCII words (and snake_case codes) in a page's text.
	latinWords = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)
	// latinAllowed are the Latin words a Russian page may show: the
	// product's name, the file format, the link to the English page, an
	// id, the cron syntax, time zones by UTC offset, keys on the keyboard.
	latinAllowed = []string{"Voronka", "XLSX", "English", "ID", "cron", "UTC", "Ctrl", "Mac",
		"CRM"} // data: the demo's deal titles («Внедрение CRM»)
	// dates and times are taken out before figures are checked.
	datesTimes = regexp.MustCompile(`\b\d{2}\.\d{2}\.\d{4}\b|\b\d{1,2}:\d{2}(:\d{2})?\b`)
	// rawFigures are figures not in Russian formats: a decimal point, a
	// comma between thousands, a date 2026-03-31, a percent sign
	// without the space.
	tags       = regexp.MustCompile(`<[^>]*>`)
	rawFigures = regexp.MustCompile(`\d\.\d|\d,\d{3}\b|\d{4}-\d{2}-\d{2}|\d%`)
)

// englishIn lists what a Russian page's visible text must not hold:
// ASCII words beyond latinAllowed (English, codes such as first_contact)
// and figures in English formats.
func englishIn(text string) []string {
	text = datesTimes.ReplaceAllString(emails.ReplaceAllString(text, ""), "")
	var bad []string
	for _, w := range latinWords.FindAllString(text, -1) {
		if !slices.Contains(latinAllowed, w) && !slices.Contains(bad, w) {
			bad = append(bad, w)
		}
	}
	return append(bad, rawFigures.FindAllString(text, -1)...)
}

// The check itself catches what it is for (and lets Russian through).
func TestEnglishIn(t *testing.T) {
	want := []string{"first_contact", "must", "be", "after", "from", "0.0", "9.4", "5%", "2026-03-31"}
	if got := englishIn("Стадия: first_contact, must be after from, 0.09 и 9.4 или 5% на 2026-03-31"); !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
	if got := englishIn("Voronka · 1\u00a0234,50\u00a0₽ · 9,4\u00a0% · 31.03.2026 · июнь 2026 · director@test.local · XLSX"); len(got) != 0 {
		t.Errorf("found %q in a Russian text", got)
	}
}

// ruWalk is a Chromium session over a server that signs in and checks
// each page it visits for English (englishIn), saving its screenshot.
type ruWalk struct {
	t        *testing.T
	base     string
	ctx      context.Context
	step     dashtest.Step
	domain   string // the users' e-mail domain
	password string
	signedIn bool
}

func newRuWalk(t *testing.T, ts *dashtest.Server, domain, password string) *ruWalk {
	base, ctx, step := dashtest.Browser(t, ts, 90*time.Second)
	return &ruWalk{t: t, base: base, ctx: ctx, step: step, domain: domain, password: password}
}

func (w *ruWalk) signIn(alias string) {
	if w.signedIn {
		w.step("sign out", chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=email]`))
	}
	w.step("sign in as "+alias, chromedp.Navigate(w.base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, alias+w.domain), chromedp.SendKeys(`input[name=password]`, w.password),
		// the sign-out form, not main: the login page has a main too, and
		// navigating on before the sign-in's redirect ends aborts one of them
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`form[action="/logout"]`))
	w.signedIn = true
}

func (w *ruWalk) check(name string) {
	w.t.Helper()
	w.step(name+" screenshot", dashtest.Screenshot("ru-"+name))
	if bad := englishIn(pageText(w.t, w.ctx)); len(bad) > 0 {
		w.t.Errorf("%s: English or codes on the Russian page: %q", name, bad)
	}
}

func (w *ruWalk) visit(name, url, wait string) {
	w.t.Helper()
	w.step(name, chromedp.Navigate(w.base+url), chromedp.WaitVisible(wait))
	w.check(name)
}

// TestBrowserRussianPages walks the Russian pages in Chromium over the
// seeded demo data — the director's, manager's and activity dashboards,
// the deals behind a funnel step,
// reports with stage codes and kinds, the builder with its errors, the
// kanban — as a director, an analyst and a manager, then the schedules
// with a form error and a 404, and fails on any English word, code or
// English-formatted figure left in the visible text (chart tooltips
// aside: TestChartFormatter covers them).
func TestBrowserRussianPages(t *testing.T) {
	w := newRuWalk(t, newDemoServer(t), "@voronka.local", seed.DemoPassword)
	w.signIn("director")
	w.visit("director", "/dashboards/director", `#panel-funnel`)
	w.step("a funnel step's deals", chromedp.Click(`#panel-funnel td a.drill`), chromedp.WaitVisible(`#drill-count`))
	w.check("drill")
	w.visit("director-compare", "/dashboards/director?compare=previous_year", `#page-compared`)
	w.visit("activity", "/dashboards/activity", `#panel-heatmap`)
	w.visit("reports", "/reports", `main`)
	for _, id := range []string{"deals_by_stage", "sales_funnel", "stage_percentages", "stage_movement", "manager_effectiveness",
		"lost_by_reason_and_stage", "invoices_issued_vs_paid", "activities_vs_outcomes", "pipeline_snapshot"} {
		w.visit("report-"+id, "/reports/"+id, `#panel-report`)
	}
	w.visit("builder", "/reports/new?dataset=deals&dim1=stage_kind&dim2=closed_at&grain2=month&measure1=amount%3Asum&measure2=count&chart=bar&period=this_year", `#panel-preview`)
	w.visit("builder-activities", "/reports/new?dataset=activities&dim1=type&dim2=direction&measure1=count&chart=table&period=this_year", `#panel-preview`)
	w.visit("builder-reversed", "/reports/new?dataset=deals&measure1=count&chart=bar&period=&from=2025-02-01&to=2025-01-01", `.error`)
	w.visit("builder-filter", "/reports/new?dataset=deals&measure1=count&chart=table&period=this_year&f0_field=amount&f0_op=gt&f0_v=abc", `.error`)
	w.visit("kanban", "/kanban/sales", `.kanban`)
	w.step("a deal from the kanban", chromedp.Click(`.card`), chromedp.WaitVisible(`#deal`))
	w.check("deal")
	w.signIn("analyst")
	w.visit("analyst", "/dashboards/director?period=this_quarter", `#panel-funnel`)
	w.signIn("manager1")
	w.visit("manager", "/dashboards/manager", `#panel-funnel`)

	ts := dashtest.NewSchedule(t)
	if status, body, _ := ts.PageBody("GET", "/reports/no_such_report", "director", nil); status != 404 || len(englishIn(tags.ReplaceAllString(body, " "))) > 0 {
		t.Errorf("the 404 page: %d, English %q: %s", status, englishIn(tags.ReplaceAllString(body, " ")), body)
	}
	s := newRuWalk(t, ts.Server, "@test.local", dashtest.Password)
	s.signIn("director")
	s.visit("schedules", "/schedules", `#new-schedule`)
	// A form error answers 422, which the browser harness counts as a
	// problem: the page is read over HTTP.
	form := url.Values{"csrf": {dashtest.CSRF}, "name": {"Еженедельный"}, "report_id": {"deals_by_stage"}, "repeat": {"weekly"}, "time": {"09:00"}}
	status, body, _ := ts.PageBody("POST", "/schedules", "director", form)
	text := tags.ReplaceAllString(body[strings.Index(body, "<body"):], " ")
	if status != 422 || !strings.Contains(body, `id="schedule-error"`) || len(englishIn(text)) > 0 {
		t.Errorf("the schedule error: %d, English %q: %s", status, englishIn(text), text)
	}
}
