package pages_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// setPlansAPI stores plans through the API as the director.
func setPlansAPI(t *testing.T, ts *dashtest.Server, body string) {
	t.Helper()
	if st, text := ts.Do("PUT", "/api/v1/plans/batch", "director", body); st != 200 {
		t.Fatalf("PUT /plans/batch: %d %s", st, text)
	}
}

// planInputs are the page's inputs as "user metric value" lines.
func planInputs(body string) []string {
	var out []string
	row := regexp.MustCompile(`(?s)<tr data-user="(\d+)".*?</tr>`)
	in := regexp.MustCompile(`<input class="plan-input" name="([a-z_]+)" value="([^"]*)"`)
	for _, r := range row.FindAllStringSubmatch(body, -1) {
		for _, m := range in.FindAllStringSubmatch(r[0], -1) {
			if m[2] != "" {
				out = append(out, r[1]+" "+m[1]+" "+m[2])
			}
		}
	}
	return out
}

// The plan page (issue 17): the director sees every active manager
// with an input per metric holding the plan in Russian digits and the
// team's totals; the plans for one pipeline are apart from those for
// all; an analyst reads them without inputs; a manager sees their own
// row alone; a month or pipeline the page does not offer is named.
func TestPlansPage(t *testing.T) {
	ts := dashtest.New(t)
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	setPlansAPI(t, ts, fmt.Sprintf(`{"sets":[
		{"metric":"won_amount","month":"2026-03","targets":[{"responsible_id":%[1]d,"value":"1234567.89"},{"responsible_id":%[2]d,"value":"500000"}]},
		{"metric":"calls","month":"2026-03","targets":[{"responsible_id":%[1]d,"value":1200},{"responsible_id":%[2]d,"value":80}]},
		{"metric":"calls","month":"2026-03","pipeline":"sales","targets":[{"responsible_id":%[1]d,"value":7}]}]}`, m, m2))
	st, body, _ := ts.PageBody("GET", "/plans?month=2026-03", "director", nil)
	if st != 200 {
		t.Fatalf("director: %d %s", st, body)
	}
	nb := "\u00a0"
	want := []string{
		fmt.Sprintf("%d won_amount 1%s234%s567,89", m, nb, nb), fmt.Sprintf("%d calls 1%s200", m, nb),
		fmt.Sprintf("%d won_amount 500%s000,00", m2, nb), fmt.Sprintf("%d calls 80", m2),
	}
	if got := planInputs(body); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("director's inputs %q, want %q", got, want)
	}
	for _, s := range []string{"Иванов Иван Иванович", "Петрова Анна Викторовна", "Выручка, ₽", "Выиграно сделок", "Новые сделки", "Звонки", "Встречи",
		"Итого по команде", `data-total="won_amount">1` + nb + `734` + nb + `567,89` + nb + `₽`, `data-total="calls">1` + nb + `280<`, `data-total="meetings">0<`,
		"Скопировать прошлый месяц", "Сохранить", "Импорт из файла", `<option value="2026-03" selected>март 2026</option>`, `href="/plans">Планы</a>`} {
		if !strings.Contains(body, s) {
			t.Errorf("director's page lacks %q", s)
		}
	}
	for _, s := range []string{"Орлова Марина", "Ким Алексей", "Администратор Системы"} {
		if strings.Contains(body, "<th scope=\"row\" class=\"who\">"+s) {
			t.Errorf("a row for %s, who is no manager", s)
		}
	}
	if _, body, _ := ts.PageBody("GET", "/plans?month=2026-03&pipeline=sales", "director", nil); strings.Join(planInputs(body), "|") != fmt.Sprintf("%d calls 7", m) {
		t.Errorf("sales pipeline inputs %q", planInputs(body))
	}
	if _, body, _ := ts.PageBody("GET", "/plans?month=2026-03&lang=en", "director", nil); !strings.Contains(body, fmt.Sprintf(`value="1,234,567.89"`)) ||
		!strings.Contains(body, "Team total") || !strings.Contains(body, "March 2026") {
		t.Errorf("English page: %s", body)
	}

	_, body, _ = ts.PageBody("GET", "/plans?month=2026-03", "analyst", nil)
	if strings.Contains(body, `class="plan-input"`) || strings.Contains(body, `id="plans-save"`) || !strings.Contains(body, "1"+nb+"234"+nb+"567,89"+nb+"₽") ||
		!strings.Contains(body, "можно только смотреть") {
		t.Errorf("analyst's page has inputs or lacks figures: %s", body)
	}
	_, body, _ = ts.PageBody("GET", "/plans?month=2026-03", "manager2", nil)
	if strings.Contains(body, "Иванов Иван") || !strings.Contains(body, "Петрова Анна Викторовна") || !strings.Contains(body, "500"+nb+"000,00"+nb+"₽") ||
		strings.Contains(body, "1"+nb+"234"+nb+"567,89") || strings.Contains(body, `class="plan-input"`) || strings.Contains(body, "Итого по команде") {
		t.Errorf("manager2's page shows more than their own row, or inputs: %s", body)
	}

	now := time.Now().In(moscow)
	_, body, _ = ts.PageBody("GET", "/plans", "director", nil)
	if want := fmt.Sprintf(`data-month="%04d-%02d"`, now.Year(), int(now.Month())); !strings.Contains(body, want) {
		t.Errorf("default month: want %s", want)
	}
	for _, c := range []struct{ url, text string }{
		{"/plans?month=2026-13", "Месяц укажите как ГГГГ-ММ."},
		{"/plans?month=2026-03&pipeline=nope", "Такой воронки нет."},
	} {
		st, body, _ := ts.PageBody("GET", c.url, "director", nil)
		if st != 200 || !strings.Contains(body, c.text) || strings.Contains(body, `id="plans-table"`) {
			t.Errorf("%s: %d, want the error %q and no table", c.url, st, c.text)
		}
	}
	if st, _, h := ts.PageBody("GET", "/plans", "", nil); st != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("anonymous: %d %s", st, h.Get("Location"))
	}
}
