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
	"github.com/voronka/voronka/reports"
)

// peopleCompareFixture adds to dashtest.ActivityFixture (January 2025:
// the manager 3 calls and a meeting, manager2 2 calls) the manager's
// call at 23:59:59 on 31 January (January's) and one at 00:00 on
// 1 February (February's), Moscow time, neither on a deal; and two won
// sales deals: manager2's «Победа-1» (2000 ₽, created 5 January, won
// 25 January) and the manager's «Победа-2» (3000 ₽, created 3 February,
// won 10 February).
const peopleCompareFixture = `
INSERT INTO activities (type, subject, owner_id, direction, done_at, created_at, updated_at)
SELECT 'call', v.subject, %[1]d, 'out', v.at::timestamptz, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('Звонок поздно', '2025-01-31 23:59:59+03'), ('Звонок рано', '2025-02-01 00:00:00+03')) AS v (subject, at);
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', v.resp, v.at::timestamptz, v.closed::timestamptz, v.closed::timestamptz
FROM (VALUES ('Победа-1', %[2]d, 2000, '2025-01-05 10:00+03', '2025-01-25 10:00+03'),
             ('Победа-2', %[1]d, 3000, '2025-02-03 10:00+03', '2025-02-10 10:00+03')) AS v (title, resp, amount, at, closed)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'won'`

// pageTable is a panel's table as the page shows it: the headers, and
// each row's (and the totals') cells as text|class.
type pageTable struct {
	Heads  []string
	Rows   [][]string
	Totals []string
}

// TestBrowserActivityCompare opens the activity dashboard for February
// 2025 compared with January in Chromium. By hand (every pipeline): the
// manager 1 call against 4 (▼ −75 %), no meeting against 1, 1 deal
// created (Победа-2) against 2 (М-1, М-2: ▼ −50 %), 1 won against none;
// manager2 nothing in February (dashes) against 2 calls, 2 deals
// created (Секрет, Победа-1) and 1 won; the team 1 call against 6
// (▼ −83,3 %), 1 deal won against 1 (0 %). Every count, previous count
// and change of the team's
// table is POST /reports/run's for the same definition, in Russian
// digits with the arrow and its colour; the chart draws the previous
// period as a lighter stack in the same colours; the heatmap says it
// shows the period itself; nothing on the page is in Latin letters.
// Then the director's leaderboard compares too: its deals won, and a
// lighter bar of the won amount before (the manager 3000 ₽ against
// none, manager2 none against 2000 ₽).
func TestBrowserActivityCompare(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, dashtest.ActivityFixture, peopleCompareFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 1000))...)
	step("activity compared", chromedp.Navigate(base+"/dashboards/activity?period=previous_month&compare=previous_period"),
		chromedp.WaitVisible(`body[data-charts=ready]`))
	if got := run(`document.querySelector('select[name=compare]').value`); got != reports.ComparePreviousPeriod {
		t.Fatalf("the activity page's comparison switch %q", got)
	}
	table := func(panel string) pageTable {
		t.Helper()
		var tb pageTable
		js := `(() => { const p = document.getElementById('panel-` + panel + `'), cells = r => Array.from(r.cells).map(c => c.textContent + '|' + c.className);
			const f = p.querySelector('tfoot tr');
			return JSON.stringify({Heads: Array.from(p.querySelectorAll('thead th')).map(th => th.textContent),
				Rows: Array.from(p.querySelectorAll('tbody tr')).map(cells), Totals: f ? cells(f) : null}); })()`
		if err := json.Unmarshal([]byte(run(js)), &tb); err != nil {
			t.Fatal(err)
		}
		return tb
	}
	cell := func(tb pageTable, who, head string) string {
		t.Helper()
		j := -1
		for i, h := range tb.Heads {
			if h == head {
				j = i
			}
		}
		row := tb.Totals
		for _, r := range tb.Rows {
			if who != "" && slices.Contains(r, who+"|") {
				row = r
			}
		}
		if j < 0 || row == nil || (who != "" && !slices.Contains(row, who+"|")) {
			t.Fatalf("no cell %q of %q in %q", head, who, tb.Heads)
		}
		return row[j]
	}

	// By hand.
	team := table("team_activity")
	for _, c := range []struct{ who, head, want string }{
		{"Иванов Иван Иванович", "Звонки", "1|"}, {"Иванов Иван Иванович", "Звонки (пред. период)", "4|"},
		{"Иванов Иван Иванович", "Звонки: изменение", "▼ −75,0\u00a0%|down"},
		{"Иванов Иван Иванович", "Встречи", "0|"}, {"Иванов Иван Иванович", "Встречи (пред. период)", "1|"},
		{"Иванов Иван Иванович", "Создано сделок", "1|"}, {"Иванов Иван Иванович", "Создано сделок (пред. период)", "2|"},
		{"Иванов Иван Иванович", "Создано сделок: изменение", "▼ −50,0\u00a0%|down"},
		{"Иванов Иван Иванович", "Выиграно сделок", "1|"}, {"Иванов Иван Иванович", "Выиграно сделок (пред. период)", "0|"},
		{"Иванов Иван Иванович", "Выиграно сделок: изменение", "—|"},
		{"Петрова Анна Викторовна", "Звонки", "—|"}, {"Петрова Анна Викторовна", "Звонки (пред. период)", "2|"},
		{"Петрова Анна Викторовна", "Звонки: изменение", "—|"}, {"Петрова Анна Викторовна", "Создано сделок (пред. период)", "2|"},
		{"Петрова Анна Викторовна", "Выиграно сделок (пред. период)", "1|"},
		{"", "Звонки", "1|"}, {"", "Звонки (пред. период)", "6|"}, {"", "Звонки: изменение", "▼ −83,3\u00a0%|down"},
		{"", "Создано сделок (пред. период)", "4|"}, {"", "Создано сделок: изменение", "▼ −75,0\u00a0%|down"},
		{"", "Выиграно сделок", "1|"}, {"", "Выиграно сделок (пред. период)", "1|"}, {"", "Выиграно сделок: изменение", "0,0\u00a0%|"},
	} {
		if got := cell(team, c.who, c.head); got != c.want {
			t.Errorf("%s %s: %q on the page, by hand %q", c.who, c.head, got, c.want)
		}
	}
	for _, h := range team.Heads {
		if strings.HasPrefix(h, "Задачи просрочены (") {
			t.Errorf("the overdue tasks (counted now) compared: %q", team.Heads)
		}
	}

	// The API's answer for the panel's definition: every count, previous
	// count and change the page shows.
	def := reports.Definition{Kind: reports.KindManagerActivity, Period: &reports.Period{Preset: "previous_month"},
		Compare: reports.ComparePreviousPeriod, Lang: "ru"}
	var api struct {
		Columns []reports.Column
		Rows    [][]any
		Totals  []any
	}
	if st := ts.DoJSON("POST", "/api/v1/reports/run", "director", def, &api); st != 200 || len(api.Rows) != 2 {
		t.Fatalf("the API's compared activity: %d %+v", st, api.Rows)
	}
	text := func(col reports.Column, v any) string {
		switch {
		case strings.HasSuffix(col.Key, "_change"):
			if r := ruChange(v); r != "—" && r != i18n.Percent("ru", 0, 1) {
				return r + map[bool]string{true: "|up", false: "|down"}[strings.HasPrefix(r, "▲")]
			}
			return ruChange(v) + "|"
		case v == nil:
			return "—|"
		}
		return i18n.Integer("ru", int64(v.(float64))) + "|"
	}
	checked := 0
	for _, r := range append(api.Rows, api.Totals) {
		who := ""
		if r[1] != nil {
			who = r[1].(string)
		}
		for i, col := range api.Columns {
			if col.Key == "responsible" || (col.Type != reports.TypeInteger && !strings.HasSuffix(col.Key, "_change")) {
				continue
			}
			if got, want := cell(team, who, col.Label), text(col, r[i]); got != want {
				t.Errorf("%q %s: %q on the page, the API's %q", who, col.Label, got, want)
			}
			checked++
		}
	}
	if checked < 60 {
		t.Errorf("only %d cells checked against the API", checked)
	}

	// The chart: the current stack, then the previous one in its colours,
	// lighter (a series of zeros is not drawn); the manager first (by
	// name), then manager2.
	var o compareOption
	if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-team_activity')).getOption())`)), &o); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int{}
	for i, sr := range o.Series {
		byName[sr.Name] = i
	}
	calls, callsPrev, meetPrev := byName["Звонки"], byName["Звонки (пред. период)"], byName["Встречи (пред. период)"]
	if len(o.Series) != 3 || o.Series[calls].Name != "Звонки" || o.Series[callsPrev].Name != "Звонки (пред. период)" || o.Series[meetPrev].Name != "Встречи (пред. период)" {
		t.Fatalf("team_activity series %+v, want calls now, calls and meetings before", o.Series)
	}
	cur, prev := o.Series[calls].ItemStyle, o.Series[callsPrev].ItemStyle
	if cur["color"] != prev["color"] || fmt.Sprint(cur["opacity"]) != "1" || num(prev["opacity"]) >= 1 || num(prev["opacity"]) <= 0 {
		t.Errorf("calls: current %v, previous %v: want one colour, the previous lighter", cur, prev)
	}
	if m := o.Series[meetPrev].ItemStyle; m["color"] == cur["color"] || num(m["opacity"]) >= 1 {
		t.Errorf("meetings before %v: want a colour of their own (not the calls' %v), lighter", m, cur)
	}
	if got := fmt.Sprint(num(o.Series[calls].Data[0]), num(o.Series[calls].Data[1]), num(o.Series[callsPrev].Data[0]), num(o.Series[callsPrev].Data[1])); got != "1 0 4 2" {
		t.Errorf("calls now and before, the manager and manager2: %s, want 1 0 4 2", got)
	}

	// The heatmap is the period itself; the page line names January.
	if note := run(`document.querySelector('#panel-heatmap .panel-note').textContent`); !strings.Contains(note, "Без сравнения: тепловая карта показывает дни самого периода.") {
		t.Errorf("the heatmap's note %q", note)
	}
	if note := run(`(document.querySelector('#panel-team_activity .panel-note') || {}).textContent || ''`); strings.Contains(note, "Без сравнения") {
		t.Errorf("the team's activity says it is not compared: %q", note)
	}
	if got := run(`document.getElementById('page-compared').textContent`); got != "сравнение с прошлым периодом: 1 января – 31 января 2025" {
		t.Errorf("the period line's comparison %q", got)
	}
	body := run(`document.querySelector('main').innerText`)
	if l := regexp.MustCompile(`[A-Za-z]+`).FindAllString(strings.NewReplacer("XLSX", "", "ID", "").Replace(body), -1); len(l) > 0 {
		t.Errorf("Latin on the Russian page: %v", l)
	}

	// The director's leaderboard (the sales pipeline), ranked by the won
	// amount: the manager (3000 ₽) first.
	step("director compared", chromedp.Navigate(base+"/dashboards/director?period=previous_month&compare=previous_period"),
		chromedp.WaitVisible(`body[data-charts=ready]`))
	leaders := table("leaders")
	for _, c := range []struct{ who, head, want string }{
		{"Иванов Иван Иванович", "Выиграно сделок", "1|"}, {"Иванов Иван Иванович", "Выиграно сделок (пред. период)", "0|"},
		{"Иванов Иван Иванович", "Выиграно сделок: изменение", "—|"},
		{"Иванов Иван Иванович", "Создано сделок", "1|"}, {"Иванов Иван Иванович", "Создано сделок: изменение", "▼ −50,0\u00a0%|down"},
		{"Петрова Анна Викторовна", "Выиграно сделок", "—|"}, {"Петрова Анна Викторовна", "Выиграно сделок (пред. период)", "1|"},
		{"", "Выиграно сделок: изменение", "0,0\u00a0%|"}, {"", "Создано сделок (пред. период)", "4|"},
	} {
		if got := cell(leaders, c.who, c.head); got != c.want {
			t.Errorf("leaders: %s %s: %q on the page, by hand %q", c.who, c.head, got, c.want)
		}
	}
	if !slices.Contains(leaders.Rows[0], "Иванов Иван Иванович|") {
		t.Errorf("the leaderboard's first row %q, want the manager (3000 ₽)", leaders.Rows[0])
	}
	if note := run(`(document.querySelector('#panel-leaders .panel-note') || {}).textContent || ''`); strings.Contains(note, "Без сравнения") {
		t.Errorf("the leaderboard says it is not compared: %q", note)
	}
	var lo compareOption
	if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-leaders')).getOption())`)), &lo); err != nil {
		t.Fatal(err)
	}
	if len(lo.Series) != 2 || lo.Series[0].Name != "Выиграно, ₽" || lo.Series[1].Name != "Выиграно, ₽ (пред. период)" ||
		lo.Series[0].ItemStyle["color"] != lo.Series[1].ItemStyle["color"] || num(lo.Series[1].ItemStyle["opacity"]) >= 1 {
		t.Fatalf("leaders series %+v, want the won amount and a lighter one before", lo.Series)
	}
	if got := fmt.Sprint(num(lo.Series[0].Data[0]), num(lo.Series[0].Data[1]), num(lo.Series[1].Data[0]), num(lo.Series[1].Data[1])); got != "3000 0 0 2000" {
		t.Errorf("won now and before, the manager and manager2: %s, want 3000 0 0 2000", got)
	}
}
