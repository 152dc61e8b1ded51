package pages_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// panelText is the plain text (tableText) of one panel of a page.
func panelText(body, id string) string {
	m := regexp.MustCompile(`(?s)<section class="panel" id="panel-` + id + `">.*?</section>`).FindString(body)
	return tableText(m)
}

// TestDashboardUnknownFilters: a filter value a page does not offer is
// named on the page, in its language, and no report runs (no panel),
// instead of the whole team or a default; the XLSX of such a filter is
// refused the same way.
func TestDashboardUnknownFilters(t *testing.T) {
	ts := dashtest.NewReport(t)
	rows := []struct {
		name, url, as string
		says          []string
	}{
		{"no such manager", "/dashboards/director?manager=99999", "director", []string{"менеджера «99999» нет"}},
		{"not a manager's id", "/dashboards/director?manager=" + dashtest.Itoa(ts.Users["analyst"].ID), "director", []string{"менеджера «" + dashtest.Itoa(ts.Users["analyst"].ID) + "» нет"}},
		{"a manager that is not a number", "/dashboards/activity?manager=Иванов", "analyst", []string{"менеджера «Иванов» нет"}},
		{"no such pipeline", "/dashboards/director?pipeline=nope", "director", []string{"воронки сделок «nope» нет"}},
		{"a lead pipeline", "/dashboards/activity?pipeline=leads", "director", []string{"воронки сделок «leads» нет"}},
		{"no such period", "/dashboards/manager?period=bogus", "manager", []string{"периода «bogus» нет"}},
		{"a malformed date", "/dashboards/director?from=2025-13-01&to=2025-01-31", "director", []string{"«2025-13-01» — не дата"}},
		{"half a range", "/dashboards/activity?from=2025-01-01", "director", []string{"укажите обе даты"}},
		{"the switch", "/dashboards/manager?observed=yes", "manager", []string{"переключатель наблюдаемых сделок — «yes»"}},
		{"no such comparison", "/dashboards/director?compare=last_week", "director", []string{"сравнения «last_week» нет"}},
		{"no such comparison, personal", "/dashboards/manager?compare=1", "manager", []string{"сравнения «1» нет"}},
		{"no such comparison, in English", "/dashboards/director?compare=bogus&lang=en", "director", []string{"there is no comparison “bogus”"}},
		{"all at once, in English", "/dashboards/director?manager=99999&pipeline=nope&period=bogus&lang=en", "director",
			[]string{"The filter was not applied", "there is no manager “99999”", "there is no deal pipeline “nope”", "there is no period “bogus”"}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			status, body, _ := ts.PageBody("GET", r.url, r.as, nil)
			text := tableText(body)
			if status != 200 || !strings.Contains(body, `id="filter-error"`) || strings.Contains(body, `id="panel-`) {
				t.Fatalf("status %d; the page runs its panels or says nothing: %s", status, text)
			}
			for _, s := range r.says {
				if !strings.Contains(text, s) {
					t.Errorf("page lacks %q: %s", s, text)
				}
			}
		})
	}
	if status, body, _ := ts.PageBody("GET", "/dashboards/director/xlsx?panel=stages&manager=99999", "director", nil); status != 422 || !strings.Contains(body, "менеджера «99999» нет") {
		t.Errorf("XLSX with an unknown manager: %d %s", status, tableText(body))
	}
	if status, body, _ := ts.PageBody("GET", "/dashboards/director/xlsx?panel=by_source&compare=bogus", "director", nil); status != 422 || !strings.Contains(body, "сравнения «bogus» нет") {
		t.Errorf("XLSX with an unknown comparison: %d %s", status, tableText(body))
	}
	// A manager's activity page is their own: the manager filter is not theirs to set.
	if _, body, _ := ts.PageBody("GET", "/dashboards/activity?manager="+dashtest.Itoa(ts.Users["manager2"].ID), "manager", nil); strings.Contains(body, `id="filter-error"`) || strings.Contains(body, "Петрова") {
		t.Errorf("manager's activity page with manager2 asked for: %s", tableText(body))
	}
}

// TestDirectorStagesOfOneManager: with a manager chosen, the stage
// percentages panel is the same report (stage groups in position order,
// each once) over that manager's deals — by hand from
// dashtest.ReportFixture: manager2's «Секрет», 5000 ₽ in needs
// (Квалификация, 20 %, weighted 1000).
func TestDirectorStagesOfOneManager(t *testing.T) {
	ts := dashtest.NewReport(t)
	_, team, _ := ts.PageBody("GET", "/dashboards/director", "director", nil)
	_, one, _ := ts.PageBody("GET", "/dashboards/director?manager="+dashtest.Itoa(ts.Users["manager2"].ID), "director", nil)
	groups := regexp.MustCompile(`\|(Обработка|Квалификация|Развитие|Подтверждение|Победа|Пауза|Поражение)\|`)
	a, b := groups.FindAllString(panelText(team, "stages"), -1), groups.FindAllString(panelText(one, "stages"), -1)
	want := "|Обработка| |Квалификация| |Развитие| |Подтверждение| |Победа| |Пауза| |Поражение|"
	if strings.Join(a, " ") != want || strings.Join(b, " ") != want {
		t.Errorf("stage groups\n team %v\n one  %v\nwant %s", a, b, want)
	}
	text := panelText(one, "stages")
	for _, s := range []string{"|Группа стадий|", "|Квалификация||20|||1||||5\u00a0000,00\u00a0₽||||1\u00a0000,00\u00a0₽||||100,0\u00a0%||||100,0\u00a0%|", "|Обработка||0|||0||||0,00\u00a0₽||||0,00\u00a0₽|"} {
		if !strings.Contains(text, s) {
			t.Errorf("manager2's stage panel lacks %q: %s", s, text)
		}
	}
	if strings.Contains(text, "Порядок стадии") {
		t.Errorf("manager2's stage panel is another report: %s", text)
	}
}

// observedFixture: manager observes manager2's «Секрет» and has an open
// task on it due yesterday.
const observedFixture = `
INSERT INTO deal_observers (deal_id, user_id) SELECT id, %[1]d FROM deals WHERE title = 'Секрет';
INSERT INTO activities (type, subject, owner_id, deal_id, due_at, created_at, updated_at)
SELECT 'task', 'Проверить «Секрет»', %[1]d, id, now() - interval '1 day', now() - interval '2 days', now() - interval '2 days'
FROM deals WHERE title = 'Секрет';`

// TestMyDashboardIsMine: "Мой дашборд" counts the user's own deals (by
// hand from dashtest.ReportFixture: manager's М-1 1000 ₽ and М-2 9000 ₽,
// weighted 0 + 9000), with a switch that adds the deals they observe
// («Секрет», 5000 ₽, weighted 1000), which the list of tasks marks; a
// director's is their own deals too — none — and says where the
// company's are.
func TestMyDashboardIsMine(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, observedFixture)
	rows := []struct {
		name, url, as   string
		contains, lacks []string
	}{
		{"own deals by default", "/dashboards/manager", "manager",
			[]string{"|2||||10\u00a0000,00\u00a0₽||||9\u00a0000,00\u00a0₽|", "Показаны ваши сделки — те, где вы ответственный.", "ваших сделок — 2, где вы наблюдатель — 1",
				"|Проверить «Секрет»|", "· наблюдаю", `name="observed" value="1">`},
			[]string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|", "Взвешенная воронка:|1\u00a0000,00\u00a0₽", "checked"}},
		{"with observed deals", "/dashboards/manager?observed=1", "manager",
			[]string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|", "Показаны ваши сделки и сделки, где вы наблюдатель.", "ваших сделок — 2, где вы наблюдатель — 1",
				`value="1" checked`, "observed=1", "Взвешенная воронка:|1\u00a0000,00\u00a0₽"},
			[]string{"|2||||10\u00a0000,00\u00a0₽||||9\u00a0000,00\u00a0₽|"}},
		{"a director's own deals: none", "/dashboards/manager", "director",
			[]string{"|0||||0,00\u00a0₽||||0,00\u00a0₽|", "ваших сделок — 0, где вы наблюдатель — 0", `id="my-none"`, `href="/dashboards/director"`},
			[]string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|", "|2||||10\u00a0000,00\u00a0₽||||9\u00a0000,00\u00a0₽|"}},
		{"in English", "/dashboards/manager?lang=en", "manager",
			[]string{"Showing your deals: those you are responsible for.", "2 deals of yours, 1 you observe", "Include deals I observe", "· observing"}, nil},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			status, body, _ := ts.PageBody("GET", r.url, r.as, nil)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			checkPage(t, body, r.contains, r.lacks)
		})
	}
}

// historyFixture gives dashtest.ReportFixture's deals their stage
// history: М-1 new since 10 January; М-2 new on 20 January, won on
// 1 February; «Секрет» new on 15 January, needs on 16 January.
const historyFixture = `
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, f.id, s.id, v.at::timestamptz
FROM (VALUES ('М-1', NULL, 'new', '2025-01-10 10:00+03'), ('М-2', NULL, 'new', '2025-01-20 10:00+03'),
             ('М-2', 'new', 'won', '2025-02-01 10:00+03'), ('Секрет', NULL, 'new', '2025-01-15 10:00+03'),
             ('Секрет', 'new', 'needs', '2025-01-16 10:00+03')) AS v (title, from_code, to_code, at)
JOIN deals d ON d.title = v.title
LEFT JOIN stages f ON f.pipeline_id = d.pipeline_id AND f.code = v.from_code
JOIN stages s ON s.pipeline_id = d.pipeline_id AND s.code = v.to_code
WHERE %[1]d > 0 AND %[2]d > 0`

// TestSnapshotPageAsOf: "Срез воронки" on its page takes the date it is
// as of, and its XLSX link keeps it (by hand from historyFixture): on 25
// January М-1 and М-2 are new and «Секрет» in needs; now (1 March) М-2
// is won.
func TestSnapshotPageAsOf(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, historyFixture)
	_, body, _ := ts.PageBody("GET", "/reports/pipeline_snapshot?as_of=2025-01-25", "director", nil)
	text := tableText(body)
	for _, s := range []string{`name="as_of" value="2025-01-25"`, "as_of=2025-01-25", "|Не обработана||2|", "|Сбор потребностей||1|", "|Завершена||0|"} {
		if !strings.Contains(body+text, s) {
			t.Errorf("as of 25 January: page lacks %q: %s", s, text)
		}
	}
	_, body, _ = ts.PageBody("GET", "/reports/pipeline_snapshot", "director", nil)
	if text := tableText(body); !strings.Contains(text, "|Не обработана||1|") || !strings.Contains(text, "|Завершена||1|") {
		t.Errorf("now: %s", text)
	}
	if _, body, _ = ts.PageBody("GET", "/reports/deals_by_stage", "director", nil); strings.Contains(body, `name="as_of"`) {
		t.Errorf("a report that is no snapshot offers an as-of date")
	}
}
