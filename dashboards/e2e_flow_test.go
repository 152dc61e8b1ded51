package dashboards

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chartsWithoutCanvas lists the chart divs ECharts did not draw into.
const chartsWithoutCanvas = `Array.from(document.querySelectorAll('.chart')).filter(e => !e.querySelector('canvas')).map(e => e.id)`

// xlsxDownload fetches the first panel's XLSX link as the browser would
// (same cookies): status, type and the zip signature of its body.
const xlsxDownload = `fetch(document.querySelector('a.xlsx').href).then(async r =>
  r.status + ' ' + r.headers.get('content-type') + ' ' + new TextDecoder().decode((await r.arrayBuffer()).slice(0, 2)))`

// TestBrowserDashboards drives Chromium against a real server on
// loopback: sign in through the form, open the dashboards, change the
// period, and check every chart drew a canvas with no console error and
// no failed request (TestBrowserDemo takes the screenshots).
func TestBrowserDashboards(t *testing.T) {
	ts := newActivityServer(t)
	base, ctx, step := browserSession(t, ts, 30*time.Second)
	step("login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`))
	signIn := func(alias string) {
		t.Helper()
		step("sign in as "+alias,
			chromedp.SendKeys(`input[name=email]`, alias+"@test.local"),
			chromedp.SendKeys(`input[name=password]`, testPassword),
			chromedp.Click(`button[type=submit]`),
			chromedp.WaitVisible(`#panel-funnel`))
	}
	signIn("director")
	checkCharts(t, ctx, step, "director", 6)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](xlsxDownload, chromedp.EvalAwaitPromise))
	if err != nil || got != "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet PK" {
		t.Fatalf("XLSX download: %q %v", got, err)
	}
	step("change the period",
		chromedp.SetValue(`select[name=period]`, "previous_year"),
		chromedp.Submit(`form.filters`),
		chromedp.WaitReady(`option[value=previous_year][selected]`))
	checkCharts(t, ctx, step, "director, previous year", 6)
	step("activity", chromedp.Navigate(base+"/dashboards/activity"), chromedp.WaitVisible(`#panel-heatmap`))
	checkCharts(t, ctx, step, "activity", 2)
	step("builder", chromedp.Navigate(base+"/reports/new"), chromedp.WaitVisible(`#builder`),
		chromedp.SetValue(`select[name=dim1]`, "responsible_name"), chromedp.SetValue(`select[name=measure1]`, "count"),
		chromedp.SetValue(`select[name=measure2]`, "amount:sum"), chromedp.Click(`#preview`), chromedp.WaitVisible(`#chart-preview`))
	checkCharts(t, ctx, step, "builder preview", 1)
	step("save the report", chromedp.SendKeys(`input[name=name]`, "Отчёт из браузера"), chromedp.Click(`#save`),
		chromedp.WaitVisible(`#panel-report`))
	checkCharts(t, ctx, step, "saved report", 1)
	if n := ts.rowCount("saved_reports"); n != 1 {
		t.Fatalf("saved_reports %d after saving in the browser, want 1", n)
	}
	step("kanban", chromedp.Navigate(base+"/kanban/sales"), chromedp.WaitVisible(`.kanban`))
	step("sign out", chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=email]`))
	signIn("manager")
	checkCharts(t, ctx, step, "manager", 4)
	text, err := chromedp.Run(ctx, chromedp.Text(`body`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "Секрет") || strings.Contains(text, "Петрова") {
		t.Fatalf("the manager's dashboard shows another manager's data: %s", text)
	}
}

// checkCharts waits for app.js and checks that want charts drew a canvas.
func checkCharts(t *testing.T, ctx context.Context, step func(string, ...chromedp.Action[chromedp.Void]), name string, want int) {
	t.Helper()
	step(name+": charts", chromedp.WaitVisible(`body[data-charts=ready]`))
	missing, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](chartsWithoutCanvas))
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.chart canvas').length`))
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 || n < want {
		t.Fatalf("%s: %d canvases, want %d; charts without one: %v", name, n, want, missing)
	}
}
