package pages_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// staleNow is the stale fixture's clock (the store's).
var staleNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// staleFixture (%[1]d manager, %[2]d manager2): sales stage needs has a
// rule of 7 days; now is 2025-03-01 12:00 UTC. By hand: manager's
// «Застой-7» entered needs 7 days ago (stale, 7 days), «Свежая» 7 days
// less a second ago (not stale, 6 days), «Со звонком» 30 days ago with a
// call done 2 days ago and a task to do (not stale), «Застой-10» 30 days
// ago with a task to do created 10 days ago (stale, 10 days), «Закрытая»
// won 60 days ago (never stale); manager2's «Чужая-9» entered needs 9
// days ago (stale). Without a next task: «Застой-7», «Свежая» (manager),
// «Чужая-9» (manager2).
const staleFixture = `
UPDATE stages SET stale_days = 7 WHERE code = 'needs' AND pipeline_id = (SELECT id FROM pipelines WHERE code = 'sales');
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, 1000, 'RUB', v.resp, c.at, c.at, CASE WHEN s.kind = 'won' THEN c.at END
FROM (VALUES ('Застой-7', 'needs', interval '7 days', %[1]d), ('Свежая', 'needs', interval '7 days' - interval '1 second', %[1]d),
             ('Со звонком', 'needs', interval '30 days', %[1]d), ('Застой-10', 'needs', interval '30 days', %[1]d),
             ('Закрытая', 'won', interval '60 days', %[1]d), ('Чужая-9', 'needs', interval '9 days', %[2]d)) AS v (title, stage, ago, resp)
CROSS JOIN LATERAL (SELECT '2025-03-01 12:00+00'::timestamptz - v.ago AS at) c
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage
ORDER BY v.title;
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at, changed_by)
    SELECT id, pipeline_id, stage_id, created_at, responsible_id FROM deals;
INSERT INTO activities (type, subject, owner_id, deal_id, done_at, created_at, updated_at)
SELECT v.type, 'Дело', d.responsible_id, d.id, '2025-03-01 12:00+00'::timestamptz - v.done, '2025-03-01 12:00+00'::timestamptz - v.made, now()
FROM (VALUES ('Со звонком', 'call', interval '2 days', interval '3 days'), ('Со звонком', 'task', NULL, interval '20 days'),
             ('Застой-10', 'task', NULL, interval '10 days')) AS v (title, type, done, made)
JOIN deals d ON d.title = v.title;`

// staleExpected is the definition in plain SQL (docs/reports.md, not
// crmcore/stale): the titles of the open deals of responsible $2 idle at
// $1 at least their stage's rule × 24 h since the later of their last
// stage change and last activity (done_at, else created_at).
const staleExpected = `
SELECT d.title FROM deals d JOIN stages s ON s.id = d.stage_id
WHERE s.kind IN ('open', 'paused') AND d.responsible_id = $2 AND s.stale_days IS NOT NULL
  AND $1::timestamptz - s.stale_days * interval '24 hours' >= (
      SELECT max(t) FROM (SELECT changed_at AS t FROM stage_changes WHERE deal_id = d.id
                          UNION ALL SELECT CASE WHEN done_at IS NULL THEN created_at ELSE done_at END FROM activities WHERE deal_id = d.id) x)
ORDER BY 1`

func newStale(t *testing.T, engine bool) *dashtest.Server {
	t.Helper()
	var ts *dashtest.Server
	if engine {
		ts = dashtest.NewEngine(t, staleFixture)
	} else {
		ts = dashtest.New(t)
		if _, err := ts.PG.Pool.Exec(context.Background(), fmt.Sprintf(staleFixture, ts.Users["manager"].ID, ts.Users["manager2"].ID)); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	ts.Store.Now = func() time.Time { return staleNow }
	return ts
}

func staleTitles(t *testing.T, ts *dashtest.Server, who string) []string {
	t.Helper()
	rows, err := ts.PG.Pool.Query(context.Background(), staleExpected, staleNow, ts.Users[who].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

var staleCardRe = regexp.MustCompile(`(?s)<a class="card [^"]*card-stale"[^>]*>\s*<span class="title">([^<]*)</span>.*?<span class="stale" title="([^"]*)">([^<]*)</span>`)

// TestKanbanAndDealMarkStaleDeals: the board marks exactly the deals the
// plain SQL definition calls stale, each with its days and a tooltip;
// the deal page says why, or that there is no next task.
func TestKanbanAndDealMarkStaleDeals(t *testing.T) {
	ts := newStale(t, false)
	for _, who := range []string{"manager", "manager2"} {
		_, body, _ := ts.PageBody("GET", "/kanban/sales?mine=1", who, nil)
		var got []string
		for _, m := range staleCardRe.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		slices.Sort(got)
		want := staleTitles(t, ts, who)
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s's board marks %v, want %v", who, got, want)
		}
	}
	_, body, _ := ts.PageBody("GET", "/kanban/sales", "manager", nil)
	for _, want := range []string{`title="Сделка застоялась: 10 дней без активности (правило стадии: 7)">10 дн. без активности`,
		`title="Сделка застоялась: 7 дней без активности (правило стадии: 7)">7 дн. без активности`} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	_, body, _ = ts.PageBody("GET", "/kanban/sales?lang=en", "manager", nil)
	if !strings.Contains(body, `title="The deal is stale: 10 days without activity (the stage&#39;s rule: 7)">10 d. without activity`) {
		t.Errorf("English board lacks the mark: %s", staleCardRe.FindString(body))
	}
	id := func(title string) string {
		var v int64
		if err := ts.PG.Pool.QueryRow(context.Background(), `SELECT id FROM deals WHERE title = $1`, title).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return dashtest.Itoa(v)
	}
	for _, c := range []struct {
		title, as       string
		contains, lacks []string
	}{
		{"Застой-10", "manager", []string{`id="deal-stale"`, "Сделка застоялась: 10 дней без активности (правило стадии: 7)"}, []string{`id="deal-no-task"`}},
		{"Застой-7", "manager", []string{"Сделка застоялась: 7 дней без активности (правило стадии: 7)", `id="deal-no-task"`}, nil},
		{"Свежая", "manager", []string{`id="deal-no-task"`}, []string{`id="deal-stale"`}},
		{"Со звонком", "manager", nil, []string{`id="deal-stale"`, `id="deal-no-task"`}},
		{"Закрытая", "manager", nil, []string{`id="deal-stale"`, `id="deal-no-task"`}},
		{"Чужая-9", "manager", []string{`id="deal-missing"`}, []string{"застоялась"}},
		{"Чужая-9", "director", []string{"Сделка застоялась: 9 дней без активности"}, nil},
	} {
		_, body, _ := ts.PageBody("GET", "/deals/"+id(c.title), c.as, nil)
		for _, s := range c.contains {
			if !strings.Contains(body, s) {
				t.Errorf("%s as %s: the page lacks %q", c.title, c.as, s)
			}
		}
		for _, s := range c.lacks {
			if strings.Contains(body, s) {
				t.Errorf("%s as %s: the page holds %q", c.title, c.as, s)
			}
		}
	}
}

// TestManagerDashboardStalePanel: the manager's dashboard lists their
// own stale deals (not a colleague's) with links, and counts their open
// deals without a next task.
func TestManagerDashboardStalePanel(t *testing.T) {
	ts := newStale(t, true)
	_, body, _ := ts.PageBody("GET", "/dashboards/manager", "manager", nil)
	panel := regexp.MustCompile(`(?s)<section class="panel due stale" id="panel-stale">.*?</section>`).FindString(body)
	var got []string
	for _, m := range regexp.MustCompile(`<a href="/deals/\d+">([^<]*)</a>`).FindAllStringSubmatch(panel, -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)
	if want := staleTitles(t, ts, "manager"); !slices.Equal(got, want) {
		t.Errorf("panel lists %v, want %v: %s", got, want, panel)
	}
	for _, want := range []string{"Застоявшиеся сделки", "Сбор потребностей", "Открытых сделок без следующей задачи: <strong>2</strong>"} {
		if !strings.Contains(panel, want) {
			t.Errorf("panel lacks %q: %s", want, panel)
		}
	}
	_, body, _ = ts.PageBody("GET", "/dashboards/manager", "manager2", nil)
	if !strings.Contains(body, "Чужая-9") || strings.Contains(body, "Застой-10") {
		t.Errorf("manager2's panel is not their own")
	}
}
