package dashboards_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

var (
	// emails are left out of the check: an address is not a word.
	emails = regexp.MustCompile(`[\w.+-]+@[\w.-]+`)
	// latinWords are ASCII words (and snake_case codes) in a page's text.
	latinWords = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*`)
	// latinAllowed are the Latin words a Russian page may show: the
	// product's name, the file format, the link to the English page.
	latinAllowed = []string{"Voronka", "XLSX", "English", "ID"}
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

// TestBrowserRussianPages walks the Russian pages in Chromium — the
// director's, manager's and activity dashboards, reports, the builder
// with its errors, the kanban, the schedules with a form error, a 404 —
// as a director, an analyst and a manager, and fails on any English
// word, code or English-formatted figure left in the visible text
// (chart tooltips aside: TestChartFormatter covers them).
func TestBrowserRussianPages(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	base, ctx, step := dashtest.Browser(t, ts.Server, 60*time.Second)
	signIn := func(alias string) {
		if alias != "director" {
			step("sign out", chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=email]`))
		}
		step("sign in as "+alias, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
			chromedp.SendKeys(`input[name=email]`, alias+"@test.local"), chromedp.SendKeys(`input[name=password]`, dashtest.Password),
			chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`main`))
	}
	check := func(name string) {
		t.Helper()
		step(name+" screenshot", dashtest.Screenshot("ru-"+name))
		text := pageText(t, ctx)
		if bad := englishIn(text); len(bad) > 0 {
			t.Errorf("%s: English or codes on the Russian page: %q", name, bad)
		}
	}
	visit := func(name, url, wait string) {
		t.Helper()
		step(name, chromedp.Navigate(base+url), chromedp.WaitVisible(wait))
		check(name)
	}
	period := "period=&from=2025-01-01&to=2025-02-28"
	signIn("director")
	visit("director", "/dashboards/director?"+period, `#panel-funnel`)
	visit("activity", "/dashboards/activity?"+period, `main`)
	visit("reports", "/reports", `main`)
	visit("report-stages", "/reports/stage_percentages?from=2025-01-01&to=2025-02-28", `#panel-report`)
	visit("report-funnel", "/reports/sales_funnel?from=2025-01-01&to=2025-02-28", `#panel-report`)
	visit("report-movement", "/reports/stage_movement?from=2025-01-01&to=2025-02-28", `#panel-report`)
	visit("builder", "/reports/new?dataset=deals&dim1=stage_kind&dim2=created_at&grain2=month&measure1=amount%3Asum&measure2=count&chart=bar&"+period, `#panel-preview`)
	visit("builder-reversed", "/reports/new?dataset=deals&measure1=count&chart=bar&period=&from=2025-02-01&to=2025-01-01", `main`)
	visit("builder-filter", "/reports/new?dataset=deals&measure1=count&chart=table&period=this_year&f0_field=amount&f0_op=gt&f0_v=abc", `main`)
	visit("kanban", "/kanban/sales", `.kanban`)
	if status, body, _ := ts.PageBody("GET", "/reports/no_such_report", "director", nil); status != 404 || len(englishIn(tags.ReplaceAllString(body, " "))) > 0 {
		t.Errorf("the 404 page: %d, English %q: %s", status, englishIn(tags.ReplaceAllString(body, " ")), body)
	}
	visit("schedules", "/schedules", `#new-schedule`)
	step("schedule error", chromedp.SendKeys(`#new-schedule input[name=name]`, "Еженедельный"),
		chromedp.Click(`#create-schedule`), chromedp.WaitVisible(`.error`))
	check("schedule-error")
	signIn("analyst")
	visit("analyst", "/dashboards/director?"+period, `#panel-funnel`)
	signIn("manager")
	visit("manager", "/dashboards/manager?"+period, `#panel-funnel`)
}
