package pages_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// kanbanFixture (SQL, %[1]d = manager, %[2]d = manager2) puts in the
// sales pipeline: manager's «Поток-1» … «Поток-60» at stage needs (ids
// ascending, so «Поток-60» is the newest), manager's «Станки ЧПУ» at
// stage new; manager2's «Чужая» at stage new, observed by manager, and
// manager2's «Тайная» at stage new, observed by nobody.
const kanbanFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT 'Поток-' || g, p.id, s.id, 1000 * g, 'RUB', %[1]d, '2025-01-15 10:00+03', '2025-01-15 10:00+03'
FROM generate_series(1, 60) AS g
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'needs'
ORDER BY g;
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', v.resp, '2025-01-16 10:00+03', '2025-01-16 10:00+03'
FROM (VALUES ('Станки ЧПУ', 1234567.89, %[1]d), ('Чужая', 7000, %[2]d), ('Тайная', 8000, %[2]d)) AS v (title, amount, resp)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'new';
INSERT INTO deal_observers (deal_id, user_id) SELECT id, %[1]d FROM deals WHERE title = 'Чужая';`

// newKanban is the harness (PostgreSQL only: the board reads the CRM)
// with kanbanFixture.
func newKanban(t *testing.T) *dashtest.Server {
	t.Helper()
	ts := dashtest.New(t)
	sql := fmt.Sprintf(kanbanFixture, ts.Users["manager"].ID, ts.Users["manager2"].ID)
	if _, err := ts.PG.Pool.Exec(context.Background(), sql); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return ts
}

// column is the markup of one stage's column on the board.
func column(t *testing.T, body, stage string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<section class="kcol" data-stage="` + stage + `".*?</section>`).FindString(body)
	if m == "" {
		t.Fatalf("no column %s", stage)
	}
	return m
}

// cardTitles are the titles of a column's cards, in order.
func cardTitles(col string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<span class="title">([^<]*)</span>`).FindAllStringSubmatch(col, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestKanbanPage: who sees which cards, with which mark, the search and
// "show more" past the first 50 cards of a column.
func TestKanbanPage(t *testing.T) {
	ts := newKanban(t)
	rows := []struct {
		name, url, as   string
		status          int
		contains, lacks []string
	}{
		{name: "manager: own and observed deals, marked", url: "/kanban/sales", as: "manager", status: 200,
			contains: []string{`class="card card-own"`, "моя сделка", `class="card card-observed"`, "наблюдаю · ответственный: Петрова Анна Викторовна",
				"Чужая", "Станки ЧПУ", "52 / 62", "видны ваши сделки и те, где вы наблюдатель"},
			lacks: []string{"Тайная", "card-colleague"}},
		{name: "manager2: own deals only, the observed one is own", url: "/kanban/sales", as: "manager2", status: 200,
			contains: []string{"Чужая", "Тайная", "2 / 2", `class="card card-own"`}, lacks: []string{"Поток-", "Станки", "card-observed"}},
		{name: "director: every deal, each with its responsible", url: "/kanban/sales", as: "director", status: 200,
			contains: []string{"Тайная", "Чужая", "ответственный: Иванов Иван Иванович", "ответственный: Петрова Анна Викторовна", "53 / 63"},
			lacks:    []string{"моя сделка", "card-observed", "видны ваши сделки"}},
		{name: "my deals only: not the observed one", url: "/kanban/sales?mine=1", as: "manager", status: 200,
			contains: []string{"Станки ЧПУ", "51 / 61", `name="mine" value="1" checked`, `id="kanban-reset"`}, lacks: []string{"Чужая"}},
		{name: "search by title, any case", url: "/kanban/sales?q=%D1%81%D1%82%D0%B0%D0%BD%D0%BA", as: "manager", status: 200,
			contains: []string{"Станки ЧПУ", "1 / 1", `value="станк"`, "1\u00a0234\u00a0567,89\u00a0₽"}, lacks: []string{"Поток-", "Чужая"}},
		{name: "search keeps the access rules", url: "/kanban/sales?q=%D0%A2%D0%B0%D0%B9", as: "manager", status: 200,
			contains: []string{"0 / 0"}, lacks: []string{"Тайная"}},
		{name: "cards in Russian money", url: "/kanban/sales", as: "director", status: 200,
			contains: []string{"60\u00a0000,00\u00a0₽", "7\u00a0000,00\u00a0₽"}},
		{name: "no such board: a 404 page in Russian with the boards there are", url: "/kanban/nope", as: "manager", status: 404,
			contains: []string{"<h1>Воронка не найдена</h1>", "Воронки сделок «nope» нет", `href="/kanban/sales"`, `href="/kanban/interest"`},
			lacks:    []string{"no such pipeline", `href="/kanban/leads"`}},
		{name: "a leads pipeline has no deal board", url: "/kanban/leads?lang=en", as: "director", status: 404,
			contains: []string{"<h1>Pipeline not found</h1>", "There is no deal pipeline “leads”"}},
		{name: "English", url: "/kanban/sales?lang=en", as: "manager", status: 200,
			contains: []string{"my deal", "observing · responsible: Петрова Анна Викторовна", "Show 10 more", "60,000.00\u00a0₽"}},
	}
	for _, sc := range rows {
		t.Run(sc.name, func(t *testing.T) {
			status, body, _ := ts.PageBody("GET", sc.url, sc.as, nil)
			if status != sc.status {
				t.Fatalf("status %d, want %d", status, sc.status)
			}
			checkPage(t, body, sc.contains, sc.lacks)
		})
	}
}

// TestKanbanShowMore: a column of 60 deals shows the newest 50 and a
// link to 10 more; following it shows all 60, the others as they were.
func TestKanbanShowMore(t *testing.T) {
	ts := newKanban(t)
	_, body, _ := ts.PageBody("GET", "/kanban/sales?q=%D0%9F%D0%BE%D1%82%D0%BE%D0%BA", "manager", nil)
	col := column(t, body, "needs")
	got := cardTitles(col)
	if len(got) != 50 || got[0] != "Поток-60" || got[49] != "Поток-11" {
		t.Fatalf("first screen: %d cards %q…", len(got), got)
	}
	if !strings.Contains(col, "50 / 60") || !strings.Contains(col, "Показать ещё 10") {
		t.Errorf("column lacks its count or link: %s", tableText(col))
	}
	link := regexp.MustCompile(`class="kmore" href="([^"]+)"`).FindStringSubmatch(col)
	if link == nil {
		t.Fatal("no show-more link")
	}
	href := strings.ReplaceAll(link[1], "&amp;", "&")
	if !strings.Contains(href, "cards_needs=60") || !strings.Contains(href, "q=") {
		t.Errorf("link %q does not ask for 60 cards with the search kept", href)
	}
	status, body, _ := ts.PageBody("GET", strings.SplitN(href, "#", 2)[0], "manager", nil)
	col = column(t, body, "needs")
	got = cardTitles(col)
	if status != 200 || len(got) != 60 || got[59] != "Поток-1" {
		t.Fatalf("after show more: status %d, %d cards", status, len(got))
	}
	if strings.Contains(col, `class="kmore"`) || strings.Contains(col, "60 / 60") {
		t.Errorf("every card shown, yet a link or a partial count remains: %s", tableText(col))
	}
	if n := len(cardTitles(column(t, body, "new"))); n != 0 {
		t.Errorf("the search still applies to the other columns: %d cards at new", n)
	}
}

// TestKanbanColumnCap: a column never shows more than 1,000 cards on one
// page; past that it says how many match and asks to narrow the search.
func TestKanbanColumnCap(t *testing.T) {
	ts := dashtest.New(t)
	const many = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT 'Массовая-' || g, p.id, s.id, g, 'RUB', $1, now(), now()
FROM generate_series(1, 1001) AS g
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = 'proposal'`
	if _, err := ts.PG.Pool.Exec(t.Context(), many, ts.Users["manager"].ID); err != nil {
		t.Fatal(err)
	}
	_, body, _ := ts.PageBody("GET", "/kanban/sales?cards_proposal=950", "manager", nil)
	col := column(t, body, "proposal")
	if n := len(cardTitles(col)); n != 950 || !strings.Contains(col, "cards_proposal=1000") || !strings.Contains(col, "Показать ещё 50") {
		t.Errorf("950 asked: %d cards, %s", n, tableText(col))
	}
	_, body, _ = ts.PageBody("GET", "/kanban/sales?cards_proposal=5000", "manager", nil)
	col = column(t, body, "proposal")
	if n := len(cardTitles(col)); n != 1000 || strings.Contains(col, `class="kmore"`) {
		t.Errorf("5000 asked: %d cards, a link %v", n, strings.Contains(col, `class="kmore"`))
	}
	checkPage(t, col, []string{"1\u00a0000 / 1\u00a0001", "Показаны 1\u00a0000 из 1\u00a0001: уточните поиск"}, nil)
}
