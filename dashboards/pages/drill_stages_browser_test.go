package pages_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// drillManyFixture: 1,234 more deals of manager2 in «Принятие решения»
// (stage group «Подтверждение», probability 60) created in January
// 2025 in Moscow, amounts 1 001 to 2 234 ₽: with drillFixture's one,
// 1,235 deals, two pages of the drill page.
const drillManyFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT 'Серия ' || g, p.id, s.id, 1000 + g, 'RUB', %[2]d, timestamptz '2025-01-05 10:00+03' + g * interval '1 minute', timestamptz '2025-01-05 10:00+03'
FROM generate_series(1, 1234) AS g
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'decision'`

// TestBrowserDrillStages opens the director's dashboard for January
// 2025 in Chromium and clicks the stages panel's count of «Развитие»
// (presentation, proposal, prototype: four deals of drillFixture): the
// drill page counts as many deals as the number clicked, lists the ids
// POST /reports/drill gives for the panel's definition, cell and column,
// and its breadcrumb says the dashboard, the panel, the row and the
// column in words, with no Latin. A click on a bar of the chart's deal
// count opens its row's deals. Then the 1,235 deals of «Подтверждение»
// page by page (the range, next and previous links keeping the sort,
// ids as the API's offset gives them; the XLSX link the whole list),
// and page numbers the page refuses in words.
func TestBrowserDrillStages(t *testing.T) {
	ts := dashtest.NewEngine(t, drillFixture, drillManyFixture)
	base, ctx, step := dashtest.Browser(t, ts, 300*time.Second)
	run := dashtest.Eval(t, ctx)
	def := map[string]any{"kind": "stage_percentages", "period": map[string]string{"from": "2025-01-01", "to": "2025-01-31"},
		"params": map[string]string{"pipeline": "sales"}}
	apiIDs := func(cell map[string]any, column string, opts map[string]any) ([]string, int64) {
		t.Helper()
		req := map[string]any{"definition": def, "cell": cell, "column": column}
		for k, v := range opts {
			req[k] = v
		}
		var res struct {
			Rows [][]any
			Meta struct{ Total int64 }
		}
		if st := ts.DoJSON("POST", "/api/v1/reports/drill", "director", req, &res); st != 200 {
			t.Fatalf("reports/drill %v: %d", req, st)
		}
		out := []string{}
		for _, r := range res.Rows {
			out = append(out, fmt.Sprint(r[0]))
		}
		return out, res.Meta.Total
	}
	ids := func() []string {
		t.Helper()
		var out []string
		if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[0].textContent))`)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	text := func(id string) string { return run(`(document.getElementById('` + id + `') || {}).textContent || ''`) }
	noLatin := func(what string) {
		t.Helper()
		// The file's name (XLSX) and the dataset's «ID сделки», as every list of deals heads its ids, aside.
		words := run(`document.querySelector('main').innerText.replaceAll('XLSX', '').replace('ID сделки', '')`)
		if latin := regexp.MustCompile(`[A-Za-z]{2,}`).FindString(words); latin != "" {
			t.Errorf("%s: the Russian page has %q: %s", what, latin, words)
		}
	}
	development := map[string]any{"stage_group": "Развитие", "stage_kind": "open", "probability": 40}

	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 900))...)
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked := run(`(() => { const r = Array.from(document.querySelectorAll('#panel-stages tbody tr')).find(r => r.cells[0].textContent === 'Развитие');
		const a = r && r.querySelector('a.drill'); if (!a) return ''; setTimeout(() => a.click(), 0); return a.textContent; })()`)
	step("the drill page of «Развитие»", chromedp.WaitVisible(`#drill-count`))
	want, total := apiIDs(development, "count", nil)
	if clicked != "4" || total != 4 {
		t.Fatalf("clicked %q, the API lists %d deals (want 4)", clicked, total)
	}
	if got := text("drill-count"); got != "4\u00a0сделки" {
		t.Errorf("the count %q", got)
	}
	if got := text("drill-crumbs"); got != "Дашборд директора › Проценты по стадиям › Развитие, вероятность 40\u00a0%: сделки — 4\u00a0сделки" {
		t.Errorf("breadcrumb %q", got)
	}
	if got := ids(); !slices.Equal(got, want) {
		t.Errorf("the page's ids %v, the API's %v", got, want)
	}
	noLatin("«Развитие»")
	step("the screenshot", dashtest.FullScreenshot("drill-stages"))

	// The totals' share of deals (100 %) opens every deal of the panel:
	// as many as the totals' count.
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	count := run(`(() => { const all = document.querySelectorAll('#panel-stages tfoot a.drill'); setTimeout(() => all[3].click(), 0); return all[0].textContent; })()`)
	step("the totals' share of deals", chromedp.WaitVisible(`#drill-count`))
	everyID, n := apiIDs(map[string]any{}, "count_share", nil)
	if strings.ReplaceAll(count, "\u00a0", "") != fmt.Sprint(n) || !strings.HasPrefix(text("drill-count"), count+"\u00a0") {
		t.Errorf("the totals' count %q, the API's %d, the page's %q", count, n, text("drill-count"))
	}
	if got := text("drill-crumbs"); !strings.HasSuffix(got, "› Итого: доля сделок — "+text("drill-count")) {
		t.Errorf("the totals' breadcrumb %q", got)
	}
	if got := ids(); !slices.Equal(got, everyID[:min(1000, len(everyID))]) {
		t.Errorf("the totals' first page: %d ids, not the API's first", len(got))
	}

	// A bar of the chart's deal count (its third series) of
	// «Подтверждение», the tallest, opens its 1,235 deals: then page by
	// page, sorted by amount descending.
	step("director again", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	var xy []float64
	if err := json.Unmarshal([]byte(run(`(() => { const el = document.getElementById('chart-stages'); el.scrollIntoView(); const c = echarts.getInstanceByDom(el);
		const i = c.getOption().xAxis[0].data.indexOf('Подтверждение'); if (!(c.getOption().series[2].data[i] || {}).drill) return 'null';
		const l = c.getModel().getSeriesByIndex(2).getData().getItemLayout(i);
		const r = el.getBoundingClientRect(); return JSON.stringify([r.left + l.x + l.width / 2, r.top + l.y + l.height / 2]); })()`)), &xy); err != nil || xy == nil {
		t.Fatalf("no drill page on the bar of «Подтверждение» (%v)", err)
	}
	step("click the bar", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(`#drill-count`))
	if got := text("drill-crumbs"); got != "Дашборд директора › Проценты по стадиям › Подтверждение, вероятность 60\u00a0%: сделки — 1\u00a0235\u00a0сделок" {
		t.Errorf("the bar opened %q", got)
	}
	confirm := map[string]any{"stage_group": "Подтверждение", "stage_kind": "open", "probability": 60}
	if got, want := ids(), onlyIDs(apiIDs(confirm, "count", nil)); !slices.Equal(got, want[:1000]) {
		t.Errorf("the bar's first page: %d ids, not the API's first 1,000", len(got))
	}
	if got := text("drill-count"); got != "1\u00a0235\u00a0сделок" {
		t.Errorf("the count %q", got)
	}
	if got := text("drill-range"); got != "Записи 1–1\u00a0000 из 1\u00a0235; в файле — все." {
		t.Errorf("the first page's range %q", got)
	}
	if run(`String(!!document.getElementById('drill-prev'))`) != "false" {
		t.Error("the first page links a previous one")
	}
	step("sort by amount", chromedp.Click(`#drill-table th[data-key=amount] a`), chromedp.WaitVisible(`#drill-table th[data-key=amount][aria-sort=ascending]`))
	step("descending", chromedp.Click(`#drill-table th[data-key=amount] a`), chromedp.WaitVisible(`#drill-table th[data-key=amount][aria-sort=descending]`))
	byAmount := []map[string]any{{"by": "amount", "desc": true}}
	first, _ := apiIDs(confirm, "count", map[string]any{"sort": byAmount, "limit": 1000})
	if got := ids(); !slices.Equal(got, first) || len(got) != 1000 {
		t.Errorf("the first page: %d ids, the API's first 1,000 differ", len(got))
	}
	step("next", chromedp.Click(`#drill-next`), chromedp.WaitVisible(`#drill-prev`))
	second, _ := apiIDs(confirm, "count", map[string]any{"sort": byAmount, "limit": 1000, "offset": 1000})
	if got := ids(); !slices.Equal(got, second) || len(got) != 235 {
		t.Errorf("the second page: %v, the API's offset 1000: %v", got, second)
	}
	if got := text("drill-range"); got != "Записи 1\u00a0001–1\u00a0235 из 1\u00a0235; в файле — все." {
		t.Errorf("the second page's range %q", got)
	}
	if run(`String(!!document.getElementById('drill-next'))`) != "false" || run(`document.querySelector('#drill-table th[data-key=amount]').getAttribute('aria-sort')`) != "descending" {
		t.Error("the last page links a next one, or lost the order")
	}
	noLatin("the second page")
	run(`(() => { document.getElementById('drill-pager').scrollIntoView({block: 'end'}); return ''; })()`)
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil || os.WriteFile(filepath.Join(os.TempDir(), "drill-stages-page2.png"), png, 0o644) != nil {
		t.Errorf("the second page's screenshot: %v", err)
	}
	addr, _ := url.Parse(run(`location.href`))
	if addr.Query().Get("page") != "2" || addr.Query().Get("sort") != "amount" || addr.Query().Get("desc") != "1" {
		t.Errorf("the second page's address %s", addr)
	}
	if x, _ := url.Parse(run(`document.getElementById('drill-xlsx').getAttribute('href')`)); x.Query().Get("page") != "" || x.Query().Get("sort") != "amount" {
		t.Errorf("the XLSX link %s: the whole list in the page's order", x)
	}
	step("previous", chromedp.Click(`#drill-prev`), chromedp.WaitVisible(`#drill-next`))
	if got := ids(); !slices.Equal(got, first) {
		t.Errorf("back on the first page: %d ids, not the first 1,000", len(got))
	}

	// Page numbers the page refuses, and one past the last.
	q := addr.Query().Get("q")
	for _, c := range []struct{ page, want string }{
		{"0", "номер страницы — «0»"}, {"abc", "номер страницы — «abc»"}, {"-1", "номер страницы — «-1»"},
	} {
		status, body, _ := ts.PageBody("GET", "/drill?q="+q+"&page="+c.page, "director", nil)
		if status != 200 || !strings.Contains(body, `id="drill-error"`) || !strings.Contains(body, c.want) || strings.Contains(body, `id="drill-table"`) {
			t.Errorf("page=%s: %d, want the error %q", c.page, status, c.want)
		}
	}
	if _, body, _ := ts.PageBody("GET", "/drill?q="+q+"&page=5", "director", nil); !strings.Contains(body, "Страницы 5 нет: страниц в списке — 2.") {
		t.Errorf("page=5: %s", body)
	}

	// «Мой дашборд»: manager2's total opens their own deals only, as
	// many as the panel's total counts.
	_, page, _ := ts.PageBody("GET", "/dashboards/manager?"+drillJan, "manager2", nil)
	links := drillLinks(t, page, "stages")
	sec := page[strings.Index(page, `id="panel-stages"`):]
	texts := regexp.MustCompile(`class="drill" href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(sec[:strings.Index(sec, "</section>")], -1)
	if len(links) < 5 || len(texts) != len(links) {
		t.Fatalf("the stages panel of «Мой дашборд»: %d links", len(links))
	}
	_, body, _ := ts.PageBody("GET", links[len(links)-5], "manager2", nil)
	m := regexp.MustCompile(`id="drill-count">([^<]+)<`).FindStringSubmatch(body)
	if own := texts[len(texts)-5][1]; m == nil || !strings.HasPrefix(m[1], own+"\u00a0") || own == "0" {
		t.Errorf("manager2's total %q opens %v", own, m)
	}
	if strings.Contains(body, "Поставка ЛДСП") {
		t.Error("manager2's list has the manager's deal")
	}
}

// onlyIDs is a list of ids without its total.
func onlyIDs(ids []string, _ int64) []string { return ids }
