package pages_test

import (
	"io"
	"mime"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// closedFixture closes М-2 (won, 9000 ₽) on 25 January 2025, so the won
// amount by month has a row.
const closedFixture = `UPDATE deals SET closed_at = '2025-01-25 10:00+03' WHERE title = 'М-2' AND responsible_id = %[1]d`

// download fetches a panel's workbook: status, the UTF-8 and the ASCII
// file names, the workbook read back.
func download(t *testing.T, ts *dashtest.Server, url, as string) (int, string, string, *xlBook) {
	t.Helper()
	resp := ts.Page("GET", url, as, nil)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return resp.StatusCode, "", "", nil
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil {
		t.Fatalf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
	}
	// mime decodes filename* into filename; the ASCII one is read raw.
	ascii := strings.SplitN(strings.SplitN(resp.Header.Get("Content-Disposition"), `filename="`, 2)[1], `"`, 2)[0]
	return resp.StatusCode, params["filename"], ascii, readXLSX(t, body)
}

// joined is a row's cell texts joined by "|".
func joined(r []xlCell) string {
	var s []string
	for _, c := range r {
		s = append(s, c.Text)
	}
	return strings.Join(s, "|")
}

// TestDashboardXLSX downloads panel tables; the fixture is described at
// TestDashboardPages (М-2 closed on 25 January, closedFixture): the
// rows are the page's, for the page's user.
func TestDashboardXLSX(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, closedFixture)
	for _, sc := range []struct {
		name, url, as   string
		status          int
		header, lastRow string // cells joined by "|"
		lacks           string
	}{
		{name: "manager: stage percentages of own deals", url: "/dashboards/manager/xlsx?panel=stages&period=this_year&pipeline=sales", as: "manager", status: 200,
			header:  "Группа стадий|Тип|Вероятность, %|Сделок|Сумма, ₽|Взвешенная сумма, ₽|Доля сделок|Доля суммы",
			lastRow: "Итого|||2|10000|9000|1|1"},
		{name: "director: all deals", url: "/dashboards/director/xlsx?panel=stages", as: "director", status: 200,
			lastRow: "Итого|||3|15000|10000|1|1"},
		{name: "director: leaderboard", url: "/dashboards/director/xlsx?panel=leaders", as: "director", status: 200, header: "Сотрудник (ID)|Сотрудник|Звонки"},
		{name: "manager: no leaderboard", url: "/dashboards/director/xlsx?panel=leaders", as: "manager", status: 404},
		{name: "manager2: never another manager's rows", url: "/dashboards/manager/xlsx?panel=funnel", as: "manager2", status: 200, lacks: "10000"},
		{name: "unknown panel", url: "/dashboards/director/xlsx?panel=nope", as: "director", status: 404},
		{name: "unknown dashboard", url: "/dashboards/nope/xlsx?panel=stages", as: "director", status: 404},
		{name: "anonymous", url: "/dashboards/director/xlsx?panel=stages", status: 303},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, _, _, book := download(t, ts, sc.url, sc.as)
			if status != sc.status {
				t.Fatalf("status %d, want %d", status, sc.status)
			}
			if sc.status != 200 {
				return
			}
			rows := book.sheets["Отчёт"]
			if len(rows) < 3 {
				t.Fatalf("rows %v", rows)
			}
			if got := joined(rows[1]); sc.header != "" && !strings.HasPrefix(got, sc.header) {
				t.Errorf("header %q, want %q", got, sc.header)
			}
			if got := joined(rows[len(rows)-1]); sc.lastRow != "" && got != sc.lastRow {
				t.Errorf("last row %q, want %q", got, sc.lastRow)
			}
			for _, r := range rows {
				if sc.lacks != "" && strings.Contains(joined(r), sc.lacks) {
					t.Errorf("row %v holds %q", r, sc.lacks)
				}
			}
		})
	}
}

// TestDashboardXLSXSaysWhatItHolds: a manager can tell a panel's
// workbook from its name, its title and its parameters sheet — the
// panel, the pipeline and the manager by name, the period in dates (the
// engine's clock is 2025-03-01, so "this year" is 2025) — never the
// definition's codes; it has the chart the API's export of that kind of
// report has, and ids are numbers.
func TestDashboardXLSXSaysWhatItHolds(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, closedFixture)
	manager := dashtest.Itoa(ts.Users["manager"].ID)
	technical := []string{"stage_percentages", "grouped", "deals", " eq ", "pipeline", "responsible", "{", "director)", "manager)"}
	for _, sc := range []struct {
		name, url, as string
		file, ascii   string
		title         string
		params        map[string]string
		chart         bool
	}{
		{name: "director, one manager, this year", url: "/dashboards/director/xlsx?panel=stages&period=this_year&manager=" + manager, as: "director",
			file: "Проценты по стадиям, Продажи, Иванов Иван Иванович 2025-01-01–2025-12-31.xlsx", ascii: "director-stages 2025-01-01_2025-12-31.xlsx",
			title: "Проценты по стадиям, Продажи, Иванов Иван Иванович · период 01.01.2025–31.12.2025 · ",
			params: map[string]string{"Отчёт": "Проценты по стадиям, Продажи, Иванов Иван Иванович", "Дашборд": "Дашборд директора", "Панель": "Проценты по стадиям",
				"Воронка": "Продажи", "Менеджер": "Иванов Иван Иванович", "Период": "Этот год: 01.01.2025–31.12.2025"},
			chart: true},
		{name: "director, the team, a date range, by source", url: "/dashboards/director/xlsx?panel=by_source&from=2025-01-10&to=2025-01-15", as: "director",
			file: "Сделки по источникам, Продажи, Вся команда 2025-01-10–2025-01-15.xlsx", ascii: "director-by_source 2025-01-10_2025-01-15.xlsx",
			title:  "Сделки по источникам, Продажи, Вся команда · период 10.01.2025–15.01.2025 · ",
			params: map[string]string{"Менеджер": "Вся команда", "Период": "10.01.2025–15.01.2025", "Воронка": "Продажи"}},
		{name: "my dashboard with observed deals, the funnel", url: "/dashboards/manager/xlsx?panel=funnel&observed=1", as: "manager",
			file:  "Воронка продаж, Продажи, Иванов Иван Иванович 2025-01-01–2025-12-31.xlsx",
			title: "Воронка продаж, Продажи, Иванов Иван Иванович · период 01.01.2025–31.12.2025 · ",
			params: map[string]string{"Дашборд": "Мой дашборд", "Менеджер": "Иванов Иван Иванович", "Сделки": "мои и те, где я наблюдатель",
				"Сформирован для": "Иванов Иван Иванович <manager@test.local> (менеджер)"},
			chart: true},
		{name: "won by month: a line", url: "/dashboards/director/xlsx?panel=won_month", as: "analyst",
			file:   "Выиграно по месяцам, Продажи, Вся команда 2025-01-01–2025-12-31.xlsx",
			params: map[string]string{"Сформирован для": "Ким Алексей Петрович <analyst@test.local> (аналитик)"}, chart: true},
		{name: "leaderboard: no chart, as the API's export", url: "/dashboards/director/xlsx?panel=leaders&period=previous_year", as: "director",
			file:   "Рейтинг менеджеров, Продажи, Вся команда 2024-01-01–2024-12-31.xlsx",
			params: map[string]string{"Период": "Прошлый год: 01.01.2024–31.12.2024"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, file, ascii, book := download(t, ts, sc.url, sc.as)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			if file != sc.file || sc.ascii != "" && ascii != sc.ascii {
				t.Errorf("file %q (%q), want %q (%q)", file, ascii, sc.file, sc.ascii)
			}
			if title := book.sheets["Отчёт"][0][0].Text; !strings.HasPrefix(title, sc.title) {
				t.Errorf("title %q, want %q…", title, sc.title)
			}
			params := book.params(t, "Параметры")
			for k, v := range sc.params {
				if params[k] != v {
					t.Errorf("parameter %s = %q, want %q (%v)", k, params[k], v, params)
				}
			}
			for k, v := range params {
				for _, code := range technical {
					if strings.Contains(k+" "+v, code) {
						t.Errorf("parameter %s = %q holds %q", k, v, code)
					}
				}
			}
			if _, has := book.parts["xl/charts/chart1.xml"]; has != sc.chart {
				t.Errorf("chart %v, want %v (parts %d)", has, sc.chart, len(book.parts))
			}
		})
	}
}

// TestDashboardXLSXIdsAreNumbers: the leaderboard's user id column holds
// numbers, each the id of the user named beside it.
func TestDashboardXLSXIdsAreNumbers(t *testing.T) {
	ts := dashtest.NewActivity(t)
	_, _, _, book := download(t, ts, "/dashboards/director/xlsx?panel=leaders", "director")
	rows := book.sheets["Отчёт"]
	ids := map[string]string{}
	for _, alias := range []string{"manager", "manager2"} {
		ids[ts.Users[alias].Name] = dashtest.Itoa(ts.Users[alias].ID)
	}
	seen := 0
	for _, r := range rows[2:] {
		if len(r) < 2 || ids[r[1].Text] == "" {
			continue
		}
		seen++
		if !r[0].Number || r[0].Text != ids[r[1].Text] {
			t.Errorf("%s: id cell %+v, want the number %s", r[1].Text, r[0], ids[r[1].Text])
		}
	}
	if seen != 2 {
		t.Errorf("%d managers' rows, want 2: %v", seen, rows)
	}
}

// TestDashboardXLSXInEnglish: the English workbook speaks English.
func TestDashboardXLSXInEnglish(t *testing.T) {
	ts := dashtest.NewReport(t)
	_, file, _, book := download(t, ts, "/dashboards/director/xlsx?panel=stages&lang=en", "director")
	params := book.params(t, "Parameters")
	for k, v := range map[string]string{"Dashboard": "Director dashboard", "Pipeline": "Продажи", "Manager": "Whole team",
		"Period": "This year: 2025-01-01–2025-12-31"} {
		if params[k] != v {
			t.Errorf("parameter %s = %q, want %q (%v)", k, params[k], v, params)
		}
	}
	if !strings.HasPrefix(file, "Stage percentages, Продажи, Whole team 2025-01-01–2025-12-31") {
		t.Errorf("file %q", file)
	}
}
