package dashboards_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports/schedule"
)

// TestBrowserAlerts: in Chromium, the director sets the alert —
// "tell me when the conversion to Подготовка КП drops below 60 %" — from
// the alerts page: the sales funnel chosen, its figures and rows offered
// by name (no codes on the Russian page), the proposal step picked by its
// name; the alert's page says the rule in words; "check now" adds a row
// whose figure is the API's answer for the same check (GET
// /alerts/{id}/runs), in Russian format; the screenshot is the
// documentation's.
func TestBrowserAlerts(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	base, ctx, step := dashtest.Browser(t, ts.Server, 60*time.Second)
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	step("sign in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, "director@test.local"), chromedp.SendKeys(`input[name=password]`, dashtest.Password),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`#panel-funnel`))
	step("alerts page", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(`#new-alert`))
	for eval(`document.readyState`) != "complete" { // the page's script listens for the report's choice
		time.Sleep(50 * time.Millisecond)
	}
	step("the sales funnel", choose(`#pick-report select[name=report]`, "sales_funnel"), chromedp.WaitReady(`#cell option[value*=proposal]`))
	if got := eval(`[...document.querySelectorAll('#measure option')].map(o => o.textContent).join('|')`); !strings.Contains(got, "Конверсия из предыдущего шага") {
		t.Errorf("the funnel's figures offered: %q", got)
	}
	if bad := englishIn(eval(`document.body.innerText`)); len(bad) > 0 {
		t.Errorf("the Russian alerts page shows %q", bad)
	}
	step("fill and save", chromedp.SendKeys(`#new-alert input[name=name]`, "Конверсия в КП ниже 60 %"),
		chromedp.SetValue(`#measure`, "conversion_from_prev"),
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#cell');
  s.value = [...s.options].find(o => o.textContent === 'Подготовка КП').value; })()`),
		chromedp.SetValue(`#condition`, schedule.CondBelow), chromedp.SendKeys(`#value`, "60"),
		chromedp.Click(`#create-alert`), chromedp.WaitVisible(`#alert-rule`))
	if got := eval(`document.querySelector('#alert-rule').textContent`); got != "Конверсия из предыдущего шага · Подготовка КП: ниже 60,0\u00a0%" {
		t.Errorf("rule %q", got)
	}
	step("check now", chromedp.Click(`#check-now`), chromedp.WaitVisible(`#checks tbody td.num`),
		dashtest.FullScreenshot("alert"))
	var list struct{ Items []schedule.Alert }
	if st := ts.DoJSON("GET", "/api/v1/alerts", "director", nil, &list); st != 200 || len(list.Items) != 1 {
		t.Fatalf("alerts: %d %+v", st, list)
	}
	var runs struct{ Items []schedule.AlertRun }
	if st := ts.DoJSON("GET", fmt.Sprintf("/api/v1/alerts/%d/runs", list.Items[0].ID), "director", nil, &runs); st != 200 ||
		len(runs.Items) != 1 || len(runs.Items[0].Checks) != 1 || runs.Items[0].Checks[0].Value == nil {
		t.Fatalf("runs: %d %+v", st, runs)
	}
	// The API gives the share in percent (its unit says so); the page shows it so.
	want := i18n.Percent(i18n.RU, *runs.Items[0].Checks[0].Value/100, 1)
	if got := eval(`document.querySelector('#checks tbody td.num').textContent`); got != want {
		t.Errorf("the page shows %q, the API %q", got, want)
	}
	if a := list.Items[0]; a.Measure != "conversion_from_prev" || fmt.Sprint(a.Cell["stage"]) != "proposal" || a.Value != 60 || a.Unit != "percent" {
		t.Errorf("saved %+v, want the proposal step's conversion below 60", a)
	}
	if bad := englishIn(eval(`document.body.innerText`)); len(bad) > 0 {
		t.Errorf("the Russian alert page shows %q", bad)
	}
	step("the list", chromedp.Navigate(base+"/alerts"), chromedp.WaitVisible(`#alerts tbody a`), dashtest.FullScreenshot("alerts"))
	if got := eval(`document.querySelector('#alerts tbody tr').innerText`); !strings.Contains(got, "Конверсия в КП ниже 60 %") || !strings.Contains(got, "Воронка продаж") {
		t.Errorf("the list's row %q", got)
	}
}
