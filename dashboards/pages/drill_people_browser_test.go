package pages_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/internal/i18n"
)

// peopleFixture is drillFixture's deals with the managers' activities of
// January 2025 (Moscow): manager's calls on three sales deals (one at
// 23:59:59 on 31 January; one more at midnight on 1 February, not
// January's), a call on no deal and an e-mail; manager2's meeting, task
// and call.
const peopleFixture = drillFixture + `;
INSERT INTO activities (type, subject, owner_id, deal_id, due_at, done_at, created_at)
SELECT v.type, v.subject, v.owner, d.id, v.due::timestamptz, v.done::timestamptz, v.created::timestamptz
FROM (VALUES ('call', 'Уточнить размеры', %[1]d, 'Поставка ЛДСП для «Кухни Плюс»', NULL, '2025-01-09 12:00+03', '2025-01-09 12:00+03'),
             ('call', 'Согласовать цену', %[1]d, 'Мебель для офиса ООО «Север»', NULL, '2025-01-10 15:00+03', '2025-01-10 15:00+03'),
             ('call', 'Напомнить о встрече', %[1]d, 'Мебель для офиса ООО «Север»', NULL, '2025-01-14 10:00+03', '2025-01-14 10:00+03'),
             ('call', 'Перезвонить после праздников', %[1]d, 'Кухня на заказ, Иванова', NULL, '2025-01-31 23:59:59+03', '2025-01-31 23:59:59+03'),
             ('call', 'Звонок в феврале', %[1]d, 'Кухня на заказ, Иванова', NULL, '2025-02-01 00:00:00+03', '2025-02-01 00:00:00+03'),
             ('call', 'Звонок без сделки', %[1]d, NULL, NULL, '2025-01-14 18:00+03', '2025-01-14 18:00+03'),
             ('email', 'Коммерческое предложение', %[1]d, 'Шкафы-купе, ЖК «Лесной»', NULL, '2025-01-11 13:00+03', '2025-01-11 13:00+03'),
             ('meeting', 'Встреча в шоуруме', %[2]d, 'Гардеробная, Петров', '2025-01-17 11:00+03', '2025-01-17 12:00+03', '2025-01-15 10:00+03'),
             ('task', 'Подготовить договор', %[2]d, 'Ресепшен для клиники «Здоровье»', '2025-01-20 18:00+03', '2025-01-20 17:00+03', '2025-01-15 11:00+03'),
             ('call', 'Договориться о замере', %[2]d, 'Детская мебель, Смирновы', NULL, '2025-01-21 11:00+03', '2025-01-21 11:00+03'))
     AS v (type, subject, owner, deal, due, done, created)
LEFT JOIN deals d ON d.title = v.deal`

// TestBrowserDrillPeople opens the director's dashboard for January 2025
// over peopleFixture in Chromium and clicks the leaderboard's calls of
// «Иванов Иван Иванович»: the drill page counts as many activities as
// the number clicked («4 дела»), its ids are POST /reports/drill's for
// the same definition, its breadcrumb names the manager and the column,
// a record on a deal links to the deal's page, the types are in words
// and nothing on the page is in Latin letters. Then the team's total of
// deals won, and a heatmap cell, clicked on the chart's canvas, opens
// that day's activities with the day in words.
func TestBrowserDrillPeople(t *testing.T) {
	ts := dashtest.NewEngine(t, peopleFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	m := ts.Users["manager"].ID
	ids := func() []string {
		t.Helper()
		var out []string
		if err := json.Unmarshal([]byte(run(`JSON.stringify(Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[0].textContent))`)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	jan := map[string]string{"from": "2025-01-01", "to": "2025-01-31"}
	apiIDs := func(def map[string]any, cell map[string]any, column string) []string {
		t.Helper()
		var res struct{ Rows [][]any }
		body := map[string]any{"definition": def, "cell": cell, "column": column}
		if st := ts.DoJSON("POST", "/api/v1/reports/drill", "director", body, &res); st != 200 {
			t.Fatalf("reports/drill %v: %d", body, st)
		}
		out := []string{}
		for _, r := range res.Rows {
			out = append(out, fmt.Sprint(r[0]))
		}
		return out
	}
	activities := func(n int) string {
		return i18n.Counted("ru", int64(n), i18n.T("дело", ""), i18n.T("дела", ""), i18n.T("дел", ""))
	}
	// click clicks the link of the panel's table in the row holding who
	// (the totals row for "") under the header label, and returns its
	// number.
	click := func(panel, who, label string) string {
		t.Helper()
		n := run(`(() => { const p = document.getElementById('panel-` + panel + `');
			const j = Array.from(p.querySelectorAll('thead th')).findIndex(h => h.textContent === '` + label + `');
			const r = '` + who + `' === '' ? p.querySelector('tfoot tr') : Array.from(p.querySelectorAll('tbody tr')).find(r => Array.from(r.cells).some(c => c.textContent === '` + who + `'));
			const a = r && j >= 0 && r.cells[j].querySelector('a.drill'); if (!a) return ''; setTimeout(() => a.click(), 0); return a.textContent; })()`)
		if n == "" {
			t.Fatalf("%s: no drill link in the row %q under %q", panel, who, label)
		}
		step("the drill page of "+who+" "+label, chromedp.WaitVisible(`#drill-count`))
		return n
	}
	noLatin := func(what string) {
		t.Helper()
		text := run(`document.getElementById('drill-crumbs').textContent + ' ' + document.querySelector('section.drill').innerText`)
		if l := regexp.MustCompile(`[A-Za-z]+`).FindAllString(strings.NewReplacer("XLSX", "", "ID", "").Replace(text), -1); len(l) > 0 {
			t.Errorf("%s: Latin on the Russian page: %v", what, l)
		}
	}

	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 900))...)
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked := click("leaders", "Иванов Иван Иванович", "Звонки")
	leaders := map[string]any{"kind": "manager_activity", "period": jan, "params": map[string]string{"pipeline": "sales"}}
	want := apiIDs(leaders, map[string]any{"responsible": m}, "calls")
	// by hand: the four calls on sales deals in January (not February's, nor the one on no deal)
	if clicked != "4" || len(want) != 4 {
		t.Fatalf("clicked %q, the API lists %d calls (want 4)", clicked, len(want))
	}
	if got := run(`document.getElementById('drill-count').textContent`); got != activities(4) || got != "4\u00a0дела" {
		t.Errorf("the page's count %q, want %q", got, activities(4))
	}
	if got, w := run(`document.getElementById('drill-crumbs').textContent`), "Дашборд директора › Рейтинг менеджеров › Иванов Иван Иванович: Звонки — 4\u00a0дела"; got != w {
		t.Errorf("breadcrumb %q, want %q", got, w)
	}
	if got := ids(); !slices.Equal(got, want) {
		t.Errorf("the page's ids %v, the API's %v", got, want)
	}
	if got := run(`Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[2].textContent).sort().join('|')`); got != "Напомнить о встрече|Перезвонить после праздников|Согласовать цену|Уточнить размеры" {
		t.Errorf("the calls: %s", got)
	}
	if got := run(`Array.from(document.querySelectorAll('#drill-table tbody tr')).map(r => r.cells[1].textContent).join('|')`); got != "звонок|звонок|звонок|звонок" {
		t.Errorf("the types in words: %s", got)
	}
	deal := run(`(() => { const j = Array.from(document.querySelectorAll('#drill-table th')).findIndex(h => h.dataset.key === 'deal_id');
		const a = document.querySelector('#drill-table tbody tr').cells[j].querySelector('a'); return a ? a.getAttribute('href') + ' ' + a.textContent : ''; })()`)
	if f := strings.Fields(deal); len(f) != 2 || f[0] != "/deals/"+f[1] {
		t.Errorf("the first activity's deal links to %q", deal)
	}
	if got := run(`document.querySelector('h1').textContent`); got != "Дела за числом" {
		t.Errorf("the title %q", got)
	}
	noLatin("the calls")
	step("the screenshot", dashtest.FullScreenshot("drill-activities"))

	step("english", chromedp.Navigate(run(`location.href`)+"&lang=en"), chromedp.WaitVisible(`#drill-count`))
	if got := run(`document.getElementById('drill-crumbs').textContent`); got != "Director dashboard › Manager leaderboard › Иванов Иван Иванович: Calls — 4\u00a0activities" {
		t.Errorf("the English breadcrumb %q", got)
	}

	// The team's deals won: the two won deals, «2 сделки».
	step("director", chromedp.Navigate(base+"/dashboards/director?lang=ru&"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	clicked = click("leaders", "", "Выиграно сделок")
	won := apiIDs(leaders, map[string]any{}, "deals_won")
	if got := run(`document.getElementById('drill-crumbs').textContent`); clicked != "2" || len(won) != 2 || !slices.Equal(ids(), won) ||
		got != "Дашборд директора › Рейтинг менеджеров › вся команда: Выиграно сделок — 2\u00a0сделки" {
		t.Errorf("the team's won: clicked %s, page %v, API %v, breadcrumb %q", clicked, ids(), won, got)
	}
	noLatin("the won deals")

	// The leaderboard's first bar (manager2's won amount, the larger)
	// opens manager2's won deal.
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	var bar []float64
	if err := json.Unmarshal([]byte(run(`(() => { const el = document.getElementById('chart-leaders'); el.scrollIntoView({block: 'center'});
		const c = echarts.getInstanceByDom(el), r = el.getBoundingClientRect(), v = c.getOption().series[0].data[0].value;
		const p = c.convertToPixel({seriesIndex: 0}, [v / 2, 0]);
		return JSON.stringify([r.left + p[0], r.top + p[1]]); })()`)), &bar); err != nil {
		t.Fatal(err)
	}
	step("click the leaderboard's first bar", chromedp.MouseClickXY(bar[0], bar[1]), chromedp.WaitVisible(`#drill-count`))
	m2won := apiIDs(leaders, map[string]any{"responsible": ts.Users["manager2"].ID}, "won_amount")
	if got := run(`document.getElementById('drill-crumbs').textContent`); len(m2won) != 1 || !slices.Equal(ids(), m2won) ||
		got != "Дашборд директора › Рейтинг менеджеров › Петрова Анна Викторовна: Выиграно, ₽ — 1\u00a0сделка" {
		t.Errorf("the first bar: page %v, API %v, breadcrumb %q", ids(), m2won, got)
	}
	if got := run(`document.querySelector('#drill-table tbody tr').cells[1].textContent`); got != "Гардеробная, Петров" {
		t.Errorf("the first bar's deal %q", got)
	}

	// A heatmap cell on the chart: manager2's 15 January (the meeting and
	// the task created that day), clicked on the canvas.
	step("director again", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	var at []float64
	if err := json.Unmarshal([]byte(run(`(() => { const el = document.getElementById('chart-heatmap'); el.scrollIntoView({block: 'center'});
		const c = echarts.getInstanceByDom(el), r = el.getBoundingClientRect(), o = c.getOption();
		const y = o.yAxis[0].data.indexOf('Петрова Анна Викторовна');
		const b64 = s => { s = s.replace(/-/g, '+').replace(/_/g, '/'); return s + '='.repeat((4 - s.length % 4) % 4); };
		const ask = d => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64(d.drill.slice(9))), ch => ch.charCodeAt(0))));
		const d = o.series[0].data.find(d => d.value[1] === y && ask(d).report.cell.created_at_day === '2025-01-15');
		const p = c.convertToPixel({seriesIndex: 0}, [d.value[0], d.value[1]]);
		return JSON.stringify([r.left + p[0], r.top + p[1]]); })()`)), &at); err != nil {
		t.Fatal(err)
	}
	step("click the heatmap's cell", chromedp.MouseClickXY(at[0], at[1]), chromedp.WaitVisible(`#drill-count`))
	heat := apiIDs(map[string]any{"kind": "activity_heatmap", "period": jan, "params": map[string]string{"pipeline": "sales"}},
		map[string]any{"owner": ts.Users["manager2"].ID, "created_at_day": "2025-01-15"}, "count")
	if got := run(`document.getElementById('drill-crumbs').textContent`); len(heat) != 2 || !slices.Equal(ids(), heat) ||
		got != "Дашборд директора › Дела по дням › Петрова Анна Викторовна, среда, 15.01.2025 — "+activities(2) {
		t.Errorf("the heatmap's cell: page %v, API %v, breadcrumb %q", ids(), heat, got)
	}
	noLatin("the heatmap's cell")

	// The heatmap table's count of the same cell is the same link.
	step("director", chromedp.Navigate(base+"/dashboards/director?"+drillJan), chromedp.WaitVisible(`body[data-charts=ready]`))
	n := run(`(() => { const r = Array.from(document.querySelectorAll('#panel-heatmap tbody tr')).find(r => r.cells[0].textContent === 'Петрова Анна Викторовна' && r.cells[1].textContent === '15.01.2025');
		return r ? r.cells[2].querySelector('a.drill').textContent : ''; })()`)
	if n != "2" {
		t.Errorf("the heatmap table's cell: %q", n)
	}
}
