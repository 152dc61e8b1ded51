package dashboards_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestBrowserSchedules creates a schedule through the page's form in
// Chromium, runs it from its page and sees the delivered run; the
// screenshot is the documentation's.
func TestBrowserSchedules(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	base, _, step := dashtest.Browser(t, ts.Server, 30*time.Second)
	step("sign in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, "director@test.local"), chromedp.SendKeys(`input[name=password]`, dashtest.Password),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`#panel-funnel`))
	step("schedules page", chromedp.Navigate(base+"/schedules"), chromedp.WaitVisible(`#new-schedule`))
	step("create", chromedp.SendKeys(`#new-schedule input[name=name]`, "Сделки за месяц"),
		chromedp.SetValue(`#new-schedule select[name=report_id]`, "deals_by_stage"),
		chromedp.SetValue(`#new-schedule select[name=period]`, "previous_month"),
		chromedp.SetValue(`#new-schedule select[name=recipients]`, strconv.FormatInt(ts.Users["manager"].ID, 10)),
		chromedp.Click(`#create-schedule`), chromedp.WaitVisible(`#runs`))
	step("run now", chromedp.Click(`#run-now`), chromedp.WaitVisible(`tr.status-succeeded`))
	if n := len(ts.SMTP.Mails()); n != 1 {
		t.Fatalf("%d mails after running from the page, want 1", n)
	}
	step("list", chromedp.Navigate(base+"/schedules"), chromedp.WaitVisible(`#schedules`), dashtest.Screenshot("schedules"))
}
