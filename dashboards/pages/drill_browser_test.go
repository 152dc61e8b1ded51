package pages_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/internal/i18n"
)

// drillFixture: ten sales deals created in January 2025 (manager's
// and manager2's), each with its stage history from «Не обработана» up
// to the stage it is in (won: every open step), one refused at the first
// step; sources for the sources panel, two of the deals won in January,
// four with their company.
const drillFixture = `
INSERT INTO sources (code, name) VALUES ('drsite', 'Сайт'), ('drexpo', 'Выставка');
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, source, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', v.resp, v.src, v.at::timestamptz, v.at::timestamptz, v.closed::timestamptz
FROM (VALUES ('Поставка ЛДСП для «Кухни Плюс»', 'presentation', 184000, %[1]d, 'drsite', '2025-01-09 10:00+03', NULL),
             ('Мебель для офиса ООО «Север»', 'decision', 642500, %[1]d, 'drexpo', '2025-01-10 11:00+03', NULL),
             ('Шкафы-купе, ЖК «Лесной»', 'won', 95300, %[1]d, 'drsite', '2025-01-11 12:00+03', '2025-01-28 15:00+03'),
             ('Столешницы из камня', 'first_contact', 51000, %[1]d, 'drsite', '2025-01-13 09:30+03', NULL),
             ('Кухня на заказ, Иванова', 'proposal', 310000, %[1]d, 'drexpo', '2025-01-14 16:00+03', NULL),
             ('Ресепшен для клиники «Здоровье»', 'presentation', 227800, %[2]d, 'drsite', '2025-01-15 10:15+03', NULL),
             ('Гардеробная, Петров', 'won', 138900, %[2]d, 'drexpo', '2025-01-16 13:00+03', '2025-01-30 12:00+03'),
             ('Детская мебель, Смирновы', 'needs', 76400, %[2]d, 'drsite', '2025-01-20 11:45+03', NULL),
             ('Зал переговоров, «Технопарк»', 'prototype', 458000, %[2]d, 'drexpo', '2025-01-22 14:30+03', NULL),
             ('Прихожая, Кузнецова', 'refused', 42000, %[1]d, 'drsite', '2025-01-23 10:00+03', NULL))
     AS v (title, stage, amount, resp, src, at, closed)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage;
INSERT INTO companies (name) VALUES ('ООО «Кухни Плюс»'), ('ООО «Север»'), ('ГК «Технопарк»'), ('Клиника «Здоровье»');
UPDATE deals d SET company_id = c.id FROM companies c
WHERE c.name = CASE WHEN d.title LIKE '%%Кухни Плюс%%' THEN 'ООО «Кухни Плюс»' WHEN d.title LIKE '%%Север%%' THEN 'ООО «Север»'
                    WHEN d.title LIKE '%%Технопарк%%' THEN 'ГК «Технопарк»' WHEN d.title LIKE '%%Здоровье%%' THEN 'Клиника «Здоровье»' END;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, prev.id, st.id, d.created_at + st.position * interval '1 hour'
FROM deals d JOIN stages cur ON cur.id = d.stage_id
JOIN stages st ON st.pipeline_id = d.pipeline_id AND st.position <= cur.position AND st.kind IN ('open', 'won')
LEFT JOIN stages prev ON prev.pipeline_id = d.pipeline_id AND prev.position = st.position - 1
WHERE cur.kind IN ('open', 'won') AND d.source IN ('drsite', 'drexpo');
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, f.id, t.id, d.created_at + v.hours * interval '1 hour'
FROM deals d JOIN stages cur ON cur.id = d.stage_id AND cur.code = 'refused'
CROSS JOIN (VALUES (NULL, 'new', 0), ('new', 'refused', 1)) AS v (from_code, to_code, hours)
LEFT JOIN stages f ON f.pipeline_id = d.pipeline_id AND f.code = v.from_code
JOIN stages t ON t.pipeline_id = d.pipeline_id AND t.code = v.to_code
WHERE d.source = 'drsite'`

// drillJan is the fixture's month as the dashboards' filter.
const drillJan = "from=2025-01-01&to=2025-01-31"

// TestBrowserDrill opens the director's dashboard for January 2025 over
// drillFixture in Chromium and clicks the funnel's «Презентация» count:
// the drill page's breadcrumb names the dashboard, the panel and the
// step, its count is the number clicked (in Russian plural forms), its
// rows' ids are POST /funnels/drill's for the same request, and a click
// on the amount header sorts them as the API does (ascending, then
// descending). The page's XLSX holds the same rows. Then a funnel
// element of the chart (a click on the canvas), the dashboard with a
// manager chosen, the sources and the won-by-month cells, the English
// page, and addresses the page refuses in words.
func TestBrowserDrill(t *testing.T) {
	ts := dashtest.NewEngine(t, drillFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	ids := func() []string {
		t.Helper()
		var out []string
		if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[0].textContent))`)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	apiIDs := func(req map[string]any) []string {
		t.Helper()
		var res struct {
			Rows [][]any
			Meta struct{ Total int64 }
		}
		if st := ts.DoJSON("POST", "/api/v1/funnels/drill", "director", req, &res); st != 200 {
			t.Fatalf("funnels/drill %v: %d", req, st)
		}
		var out []string
		for _, r := range res.Rows {
			out = append(out, fmt.Sprint(r[0]))
		}
		return out
	}
	// clickCount clicks the count of the funnel table's row named step
	// and returns the number it showed.
	clickCount := func(panel, first string) string {
		t.Helper()
		n := run(`(() => { const r = Array.from(document.querySelectorAll('#panel-` + panel + ` tbody tr')).find(r => r.cells[0].textContent === '` + first + `');
			const a = r && r.querySelector('a.drill'); if (!a) return ''; setTimeout(() => a.click(), 0); return a.textContent; })()`)
		if n == "" {
			t.Fatalf("%s: no drill link in the row %q", panel, first)
		}
		step("the drill page of "+first, chromedp.WaitVisible(`#drill-count`))
		return n
	}

	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 900))...)
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked := clickCount("funnel", "Презентация")
	total := len(apiIDs(map[string]any{"pipeline": "sales", "period": map[string]string{"from": "2025-01-01", "to": "2025-01-31"}, "step": "presentation", "which": "reached"}))
	words := i18n.Counted("ru", int64(total), i18n.T("сделка", ""), i18n.T("сделки", ""), i18n.T("сделок", ""))
	if clicked != fmt.Sprint(total) || total != 7 {
		t.Fatalf("clicked %q, the API's drill has %d deals (want 7)", clicked, total)
	}
	if got := run(`document.getElementById('drill-count').textContent`); got != words {
		t.Errorf("the page's count %q, want %q", got, words)
	}
	if got, want := run(`document.getElementById('drill-crumbs').textContent`), "Дашборд директора › Воронка продаж › Презентация: дошли — "+words; got != want {
		t.Errorf("breadcrumb %q, want %q", got, want)
	}
	if back := run(`document.querySelector('#drill-crumbs a').getAttribute('href')`); !strings.HasPrefix(back, "/dashboards/director?") || !strings.Contains(back, "from=2025-01-01") {
		t.Errorf("the way back %q does not keep the dashboard's filters", back)
	}
	req := map[string]any{"pipeline": "sales", "period": map[string]string{"from": "2025-01-01", "to": "2025-01-31"}, "step": "presentation", "which": "reached"}
	if got, want := ids(), apiIDs(req); !slices.Equal(got, want) {
		t.Errorf("the page's ids %v, the API's %v", got, want)
	}
	if href := run(`document.querySelector('#drill-table tbody a').getAttribute('href')`); href != "/deals/"+ids()[0] {
		t.Errorf("the first record links to %q", href)
	}

	// Sorting by amount: ascending, then descending, as the API sorts.
	for _, desc := range []bool{false, true} {
		step(fmt.Sprint("sort desc=", desc), chromedp.Click(`#drill-table th[data-key=amount] a`),
			chromedp.WaitVisible(`#drill-table th[data-key=amount][aria-sort=`+map[bool]string{false: "ascending", true: "descending"}[desc]+`]`))
		req["sort"] = []map[string]any{{"by": "amount", "desc": desc}}
		if got, want := ids(), apiIDs(req); !slices.Equal(got, want) || len(got) != total {
			t.Errorf("sorted by amount (desc %v): page %v, API %v", desc, got, want)
		}
		if got := run(`document.getElementById('drill-count').textContent`); got != words {
			t.Errorf("sorted, the count %q", got)
		}
	}
	step("the screenshot", chromedp.EmulateViewport(1280, 720), dashtest.Screenshot("drill"), chromedp.EmulateViewport(1280, 900))

	// The XLSX link: the same records in the same order.
	idLabel := run(`document.querySelector('#drill-table th[data-key=id]').textContent`)
	status, file, hdr := ts.PageBody("GET", run(`document.getElementById('drill-xlsx').getAttribute('href')`), "director", nil)
	if status != 200 || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("the page's XLSX: %d %s", status, hdr.Get("Content-Type"))
	}
	book, err := excelize.OpenReader(bytes.NewReader([]byte(file)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := book.GetRows(book.GetSheetList()[0], excelize.Options{RawCellValue: true})
	var fileIDs []string
	for i, r := range rows {
		if len(r) > 0 && r[0] == idLabel {
			for _, d := range rows[i+1:] {
				if len(d) > 0 && d[0] != "" {
					fileIDs = append(fileIDs, d[0])
				}
			}
		}
	}
	book.Close()
	if !slices.Equal(fileIDs, ids()) {
		t.Errorf("the XLSX's ids %v, the page's %v", fileIDs, ids())
	}

	// A click on the chart's first step (the funnel's widest band, at
	// the top: ECharts lays a funnel out from 60 px below the chart's
	// top) opens the deals that reached it.
	step("director again", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	var box []float64
	if err := json.Unmarshal([]byte(run(`(() => { const r = document.getElementById('chart-funnel').getBoundingClientRect(); window.scrollTo(0, r.top + window.scrollY - 10);
		const s = document.getElementById('chart-funnel').getBoundingClientRect(); return JSON.stringify([s.left, s.top, s.width, s.height]); })()`)), &box); err != nil {
		t.Fatal(err)
	}
	first := run(`document.querySelector('#panel-funnel tbody tr a.drill').textContent`)
	step("click the chart's first step", chromedp.MouseClickXY(box[0]+box[2]/2, box[1]+72), chromedp.WaitVisible(`#drill-count`))
	if got := run(`document.getElementById('drill-crumbs').textContent`); !strings.Contains(got, "Не обработана: дошли — "+first+"\u00a0") {
		t.Errorf("the chart's first step opened %q, want «Не обработана» with %s deals", got, first)
	}

	// With a manager chosen: that manager's funnel and deals.
	m := dashtest.Itoa(ts.Users["manager"].ID)
	step("one manager", chromedp.Navigate(base+"/dashboards/director?manager="+m+"&"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = clickCount("funnel", "Не обработана")
	mine := apiIDs(map[string]any{"pipeline": "sales", "period": map[string]string{"from": "2025-01-01", "to": "2025-01-31"}, "step": "new",
		"which": "reached", "breakdown": "responsible", "breakdown_key": m})
	if clicked != fmt.Sprint(len(mine)) || len(mine) != 6 || !slices.Equal(ids(), mine) {
		t.Errorf("the manager's first step: clicked %s, page %v, API %v", clicked, ids(), mine)
	}

	// The grouped panels: a source's count and a month's won deals.
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = clickCount("by_source", "Сайт")
	if got := run(`document.getElementById('drill-count').textContent`); !strings.HasPrefix(got, clicked+"\u00a0") || clicked != "6" {
		t.Errorf("«Сайт»: clicked %s, the page counts %q", clicked, got)
	}
	if got := run(`document.getElementById('drill-crumbs').textContent`); got != "Дашборд директора › Сделки по источникам › Сайт — 6\u00a0сделок" {
		t.Errorf("the sources' breadcrumb %q", got)
	}
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = clickCount("won_month", "январь 2025")
	if got := run(`document.getElementById('drill-crumbs').textContent`); got != "Дашборд директора › Выиграно по месяцам › январь 2025 — 2\u00a0сделки" || clicked != "2" {
		t.Errorf("won in January: clicked %s, breadcrumb %q", clicked, got)
	}
	if got := run(`Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[1].textContent).sort().join('|')`); got != "Гардеробная, Петров|Шкафы-купе, ЖК «Лесной»" {
		t.Errorf("won in January: %s", got)
	}

	// English, and what the page refuses.
	step("english", chromedp.Navigate(run(`location.href`)+"&lang=en"), chromedp.WaitVisible(`#drill-count`))
	if got := run(`document.getElementById('drill-crumbs').textContent`); got != "Director dashboard › Won by month › January 2025 — 2\u00a0deals" {
		t.Errorf("the English breadcrumb %q", got)
	}
	bad := func(target, want string) {
		t.Helper()
		status, body, _ := ts.PageBody("GET", target, "director", nil)
		if status != 200 || !strings.Contains(body, `id="drill-error"`) || !strings.Contains(body, want) || strings.Contains(body, `id="drill-table"`) {
			t.Errorf("%s: %d, want the error %q: %s", target, status, want, body)
		}
	}
	bad("/drill?q=bogus", "ссылка на список повреждена")
	bad("/drill", "ссылка на список повреждена")
	q := run(`new URL(location.href).searchParams.get('q')`)
	bad("/drill?q="+q+"&sort=colour", "colour")
	bad("/drill?q="+q+"&desc=2", "порядок сортировки — «2»")
}

// drillLinks are the drill links of a page's panel, in order.
func drillLinks(t *testing.T, body, panel string) []string {
	t.Helper()
	i := strings.Index(body, `id="panel-`+panel+`"`)
	if i < 0 {
		t.Fatalf("no panel %s", panel)
	}
	sec := body[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	var out []string
	for _, m := range regexp.MustCompile(`class="drill" href="([^"]+)"`).FindAllStringSubmatch(sec, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestDrillFromMyDashboard: on «Мой дашборд» (the personal view) over
// ReportFixture the manager's funnel's first step and the sources'
// total open their own two deals, never manager2's «Секрет»; the
// director's dashboard's grand total opens all three.
func TestDrillFromMyDashboard(t *testing.T) {
	ts := dashtest.NewReport(t)
	count := func(link, as string) (string, string) {
		t.Helper()
		status, body, _ := ts.PageBody("GET", link, as, nil)
		m := regexp.MustCompile(`id="drill-count">([^<]+)<`).FindStringSubmatch(body)
		if status != 200 || m == nil {
			t.Fatalf("%s as %s: %d %s", link, as, status, body)
		}
		return m[1], body
	}
	_, page, _ := ts.PageBody("GET", "/dashboards/manager?period=this_year&from=2025-01-01&to=2025-01-31", "manager", nil)
	for _, panel := range []string{"funnel", "by_source"} {
		links := drillLinks(t, page, panel)
		if len(links) == 0 {
			t.Fatalf("%s: no drill links on «Мой дашборд»", panel)
		}
		link := links[0]
		if panel == "by_source" {
			link = links[len(links)-1] // the totals' amount
		}
		got, body := count(link, "manager")
		if got != "2\u00a0сделки" || strings.Contains(body, "Секрет") || !strings.Contains(body, "М-1") || !strings.Contains(body, "Мой дашборд") {
			t.Errorf("%s on «Мой дашборд»: %q", panel, got)
		}
	}
	_, page, _ = ts.PageBody("GET", "/dashboards/director?from=2025-01-01&to=2025-01-31", "director", nil)
	links := drillLinks(t, page, "by_source")
	if got, _ := count(links[len(links)-1], "director"); got != "3\u00a0сделки" {
		t.Errorf("the director's sources total: %q", got)
	}
}
