package pages_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// tableText is a page as plain text: tags become "|".
func tableText(body string) string {
	return regexp.MustCompile(`\s*<[^>]+>\s*`).ReplaceAllString(body, "|")
}

// TestDashboardPages: the fixture (dashtest.ReportFixture) is manager's М-1 (1000 ₽,
// stage new, probability 0) and М-2 (9000 ₽, won, 100), manager2's
// «Секрет» (5000 ₽, needs, 20), all created in January 2025; the engine's
// clock is 2025-03-01, so "this year" holds all three.
func TestDashboardPages(t *testing.T) {
	ts := dashtest.NewReport(t)
	charts := []string{`id="chart-funnel"`, `id="chart-stages"`, `id="chart-won_month"`, `id="chart-by_source"`}
	rows := []struct {
		name, url, as   string
		status          int
		location        string
		contains, lacks []string
	}{
		{name: "director: every chart, the totals of all deals", url: "/dashboards/director", as: "director", status: 200,
			// stage percentages totals: 3 deals, 1000+9000+5000, weighted 0+9000+5000×20%.
			contains: append(charts, `id="chart-leaders"`, `id="chart-heatmap"`, "|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|", `title="Сделки воронки, созданные в периоде`,
				// open groups only: М-1 1000×0% + «Секрет» 5000×20%.
				"Взвешенная воронка:|1\u00a0000,00\u00a0₽", "Петрова Анна Викторовна", "Иванов Иван Иванович", "Орлова Марина Сергеевна"),
			// no stage kind codes in the stage table: the groups' names say it.
			lacks: []string{`class="error"`, "|open|", "|won|"}},
		{name: "director, previous year: nothing created then", url: "/dashboards/director?period=previous_year", as: "director", status: 200,
			contains: append(charts, "|0||||0,00\u00a0₽||||0,00\u00a0₽|", `value="previous_year" selected`), lacks: []string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}},
		// manager2 alone: «Секрет» (5000, stage needs, 20%, weighted 1000);
		// the funnel's count a link to its deals (|||1|||: the cell and its link).
		{name: "director filtered to manager2", url: "/dashboards/director?manager=" + dashtest.Itoa(ts.Users["manager2"].ID), as: "director", status: 200,
			contains: append(charts, `selected>Петрова Анна Викторовна`, "|1||||5\u00a0000,00\u00a0₽||||1\u00a0000,00\u00a0₽|", "Взвешенная воронка:|1\u00a0000,00\u00a0₽", "|Не обработана|||1|||5\u00a0000,00\u00a0₽|", `class="drill" href="/drill?q=`, "manager="+dashtest.Itoa(ts.Users["manager2"].ID), "|"+dashtest.Itoa(ts.Users["manager2"].ID)+"||Петрова Анна Викторовна|"),
			lacks:    []string{"|" + dashtest.Itoa(ts.Users["manager"].ID) + "||Иванов Иван Иванович|", "|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|", `class="error"`}},
		{name: "English", url: "/dashboards/director?lang=en", as: "director", status: 200,
			contains: []string{"Sales funnel", "Stage percentages", "Manager leaderboard", "(director)", `href="/dashboards/director?lang=ru"`}},
		{name: "the language switch keeps the filters", url: "/dashboards/director?period=previous_year", as: "director", status: 200,
			contains: []string{`href="/dashboards/director?period=previous_year&amp;lang=en"`}},
		{name: "manager is sent to their own dashboard", url: "/dashboards/director", as: "manager", status: 303, location: "/dashboards/manager"},
		{name: "manager: own deals only", url: "/dashboards/manager", as: "manager", status: 200,
			contains: append(charts, "|2||||10\u00a0000,00\u00a0₽||||9\u00a0000,00\u00a0₽|", "Иванов Иван Иванович", "Взвешенная воронка:|0,00\u00a0₽"),
			lacks:    []string{"Секрет", "Петрова", "|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|", `id="chart-leaders"`, `class="error"`}},
		{name: "manager2: own deals only", url: "/dashboards/manager", as: "manager2", status: 200,
			contains: []string{"|1||||5\u00a0000,00\u00a0₽||||1\u00a0000,00\u00a0₽|"}, lacks: []string{"М-1", "М-2", "Иванов", "|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}},
		{name: "activity: the team", url: "/dashboards/activity", as: "director", status: 200,
			contains: []string{`id="chart-team_activity"`, `id="chart-heatmap"`, "|Иванов Иван Иванович|", "|Петрова Анна Викторовна|", `title="Звонки, совершённые в периоде."`},
			lacks:    []string{`class="error"`}},
		{name: "activity: a manager sees only themself", url: "/dashboards/activity", as: "manager", status: 200,
			contains: []string{"|Иванов Иван Иванович|"}, lacks: []string{"Петрова", `class="error"`}},
		{name: "kanban: director sees every deal", url: "/kanban/sales", as: "director", status: 200,
			contains: []string{"М-1", "М-2", "Секрет", "Петрова Анна Викторовна", "3 / 3"}},
		{name: "kanban: manager sees own deals only", url: "/kanban/sales", as: "manager", status: 200,
			contains: []string{"М-1", "М-2", "2 / 2"}, lacks: []string{"Секрет", "Петрова"}},
		{name: "kanban: manager2 sees own deal only", url: "/kanban/sales", as: "manager2", status: 200,
			contains: []string{"Секрет", "1 / 1"}, lacks: []string{"М-1", "М-2", "Иванов"}},
		{name: "kanban: no such pipeline → 404, as a page", url: "/kanban/nope", as: "director", status: 404,
			contains: []string{"<h1>Воронка не найдена</h1>", "«nope»"}, lacks: []string{`{"error"`, "no such pipeline"}},
		// 10–15 January: М-1 (1000, weighted 0) and «Секрет» (5000, weighted 1000).
		{name: "a date range", url: "/dashboards/director?from=2025-01-10&to=2025-01-15", as: "director", status: 200,
			contains: []string{"|2||||6\u00a0000,00\u00a0₽||||1\u00a0000,00\u00a0₽|", `value="2025-01-10"`}, lacks: []string{`class="error"`}},
		{name: "a backwards range is shown as an error", url: "/dashboards/director?from=2025-02-01&to=2025-01-15", as: "director", status: 200,
			contains: []string{`id="filter-error"`, "дата «По» раньше даты «С»"}, lacks: []string{`id="panel-`}},
		{name: "home: manager", url: "/", as: "manager", status: 303, location: "/dashboards/manager"},
		{name: "home: analyst", url: "/", as: "analyst", status: 303, location: "/dashboards/director"},
		{name: "an unknown period and pipeline are named, nothing is run", url: "/dashboards/director?period=forever&pipeline=nope", as: "analyst", status: 200,
			contains: []string{`id="filter-error"`, "периода «forever» нет", "воронки сделок «nope» нет"}, lacks: []string{`id="panel-`, "|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}},
	}
	for _, sc := range rows {
		t.Run(sc.name, func(t *testing.T) {
			status, body, h := ts.PageBody("GET", sc.url, sc.as, nil)
			if status != sc.status || h.Get("Location") != sc.location {
				t.Fatalf("status %d location %q, want %d %q", status, h.Get("Location"), sc.status, sc.location)
			}
			checkPage(t, body, sc.contains, sc.lacks)
		})
	}
}

// checkPage checks that a page (its markup or its text, tableText)
// holds every string of contains and none of lacks.
func checkPage(t *testing.T, body string, contains, lacks []string) {
	t.Helper()
	text := body + tableText(body)
	for _, s := range contains {
		if !strings.Contains(text, s) {
			t.Errorf("page lacks %q: %s", s, tableText(body))
		}
	}
	for _, s := range lacks {
		if strings.Contains(text, s) {
			t.Errorf("page holds %q", s)
		}
	}
}
