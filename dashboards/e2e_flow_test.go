package dashboards_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports"
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
	ts := dashtest.NewActivity(t)
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	step("login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`))
	signIn := func(alias string) {
		t.Helper()
		step("sign in as "+alias,
			chromedp.SendKeys(`input[name=email]`, alias+"@test.local"),
			chromedp.SendKeys(`input[name=password]`, dashtest.Password),
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
	buildFilteredReport(t, ts, ctx, step, base)
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

// previewRows is the preview table's rows, cells joined by "|", sorted.
const previewRows = `Array.from(document.querySelectorAll('#panel-preview tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent).join('|')).sort()`

// buildFilteredReport builds a report with a filter in the builder,
// checks the filtered preview, saves it, reopens it in edit, changes the
// filter and saves again, checking the saved definition through the API.
// Fixture (dashtest.ReportFixture): Иванов's М-1 1000 ₽ and М-2 9000 ₽, Петрова's
// «Секрет» 5000 ₽.
func buildFilteredReport(t *testing.T, ts *dashtest.Server, ctx context.Context, step dashtest.Step, base string) {
	t.Helper()
	step("builder: a filter on the amount", chromedp.Navigate(base+"/reports/new"), chromedp.WaitVisible(`#builder`),
		chromedp.SetValue(`select[name=dim1]`, "responsible_name"), chromedp.SetValue(`select[name=measure1]`, "count"),
		chromedp.SetValue(`select[name=measure2]`, "amount:sum"),
		chromedp.SetValue(`select[name=f0_field]`, "amount"), chromedp.WaitVisible(`select[name=f0_op]`),
		chromedp.SetValue(`select[name=f0_op]`, "gt"), chromedp.WaitReady(`option[value=gt][selected]`),
		chromedp.SendKeys(`input[name=f0_v][inputmode=decimal]`, "2000"), chromedp.Click(`#preview`), chromedp.WaitVisible(`#chart-preview`))
	checkCharts(t, ctx, step, "builder preview", 1)
	wantRows(t, ctx, "amount > 2000", "Иванов Иван Иванович|1|9\u00a0000,00\u00a0₽", "Петрова Анна Викторовна|1|5\u00a0000,00\u00a0₽")
	step("save the report", chromedp.SendKeys(`input[name=name]`, "Отчёт из браузера"), chromedp.Click(`#save`),
		chromedp.WaitVisible(`#panel-report`))
	checkCharts(t, ctx, step, "saved report", 1)
	if n := ts.RowCount("saved_reports"); n != 1 {
		t.Fatalf("saved_reports %d after saving in the browser, want 1", n)
	}
	path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	step("edit: amount below 5000", chromedp.Click(`#edit-report`), chromedp.WaitVisible(`#editing`),
		chromedp.SetValue(`select[name=f0_op]`, "lt"), chromedp.WaitReady(`option[value=lt][selected]`),
		chromedp.SetValue(`input[name=f0_v]`, "5000"), chromedp.Click(`#preview`), chromedp.WaitVisible(`#chart-preview`))
	wantRows(t, ctx, "amount < 5000", "Иванов Иван Иванович|1|1\u00a0000,00\u00a0₽")
	step("save the changes", chromedp.Click(`#save`), chromedp.WaitVisible(`#panel-report`))
	var got struct {
		Name       string
		Definition reports.Definition
	}
	if ts.DoJSON("GET", "/api/v1"+path, "director", nil, &got) != 200 || got.Name != "Отчёт из браузера" || len(got.Definition.Filters) != 1 ||
		got.Definition.Filters[0].Op != "lt" || string(got.Definition.Filters[0].Value) != "5000" || ts.RowCount("saved_reports") != 1 {
		t.Fatalf("saved after editing: %+v (%d reports)", got, ts.RowCount("saved_reports"))
	}
}

// wantRows checks the builder's preview rows.
func wantRows(t *testing.T, ctx context.Context, name string, want ...string) {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](previewRows))
	if err != nil || strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: preview rows %q, want %q (%v)", name, rows, want, err)
	}
}

// checkCharts waits for app.js and checks that want charts drew a canvas.
func checkCharts(t *testing.T, ctx context.Context, step dashtest.Step, name string, want int) {
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
