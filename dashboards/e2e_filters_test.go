package dashboards_test

import (
	"context"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// table is one panel's table as text: header, body rows, footer.
type table struct {
	head []string
	rows [][]string
	foot []string
}

var (
	cellRE = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	rowRE  = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	tagRE  = regexp.MustCompile(`<[^>]+>`)
)

// panelTable reads the table of the panel with this id from a page.
func panelTable(t *testing.T, body, id string) table {
	t.Helper()
	sec := regexp.MustCompile(`(?s)<section class="panel" id="panel-` + id + `">.*?</section>`).FindString(body)
	if sec == "" {
		t.Fatalf("no panel %s", id)
	}
	cells := func(row string) []string {
		var out []string
		for _, m := range cellRE.FindAllStringSubmatch(row, -1) {
			out = append(out, strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(m[1], ""))))
		}
		return out
	}
	var tb table
	for _, part := range []struct {
		tag string
		to  func([]string)
	}{
		{"thead", func(c []string) { tb.head = c }},
		{"tbody", func(c []string) { tb.rows = append(tb.rows, c) }},
		{"tfoot", func(c []string) { tb.foot = c }},
	} {
		block := regexp.MustCompile(`(?s)<` + part.tag + `>(.*?)</` + part.tag + `>`).FindStringSubmatch(sec)
		if block == nil {
			continue
		}
		for _, r := range rowRE.FindAllStringSubmatch(block[1], -1) {
			part.to(cells(r[1]))
		}
	}
	return tb
}

// col is the index of a header, failing the test without one.
func (tb table) col(t *testing.T, label string) int {
	t.Helper()
	i := slices.Index(tb.head, label)
	if i < 0 {
		t.Fatalf("no column %q in %v", label, tb.head)
	}
	return i
}

// number reads a count as the page writes it (digit groups may be spaced).
func number(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s), 10, 64)
	if err != nil {
		t.Fatalf("not a count: %q", s)
	}
	return n
}

// pgCounts runs a "SELECT key, count" query on PostgreSQL: counts by key.
func pgCounts(t *testing.T, ts *dashtest.Server, q string, args ...any) map[string]int64 {
	t.Helper()
	rows, err := ts.PG.Pool.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// The period of the tests: 2025 in Moscow ("this year" at demoNow).
var (
	year2025From = time.Date(2024, 12, 31, 21, 0, 0, 0, time.UTC)
	year2025To   = time.Date(2025, 12, 31, 21, 0, 0, 0, time.UTC)
)

// Plain SQL over the CRM: deals of pipeline $1 created in [$2, $3) by
// responsible; calls done then on that pipeline's deals by owner;
// activities created then on them.
const (
	pgCreated = `SELECT d.responsible_id::text, count(*) FROM deals d JOIN pipelines p ON p.id = d.pipeline_id
WHERE p.code = $1 AND d.created_at >= $2 AND d.created_at < $3 GROUP BY 1`
	pgCalls = `SELECT a.owner_id::text, count(*) FROM activities a JOIN deals d ON d.id = a.deal_id JOIN pipelines p ON p.id = d.pipeline_id
WHERE p.code = $1 AND a.type = 'call' AND a.done_at >= $2 AND a.done_at < $3 GROUP BY 1`
	pgCreatedActivities = `SELECT p.code, count(*) FROM activities a JOIN deals d ON d.id = a.deal_id JOIN pipelines p ON p.id = d.pipeline_id
WHERE p.code = $1 AND a.created_at >= $2 AND a.created_at < $3 GROUP BY 1`
)

// TestEveryPanelFollowsThePipeline: over seeded demo data, the director's
// leaderboard and the activity page's panels count the chosen
// pipeline's deals and the activities on them, as plain SQL on
// PostgreSQL does; with one manager chosen the leaderboard's deals
// created, the funnel's first step and the deals by source agree.
func TestEveryPanelFollowsThePipeline(t *testing.T) {
	ts := newDemoServer(t)
	dir := loginToken(t, ts, "director@voronka.local")
	for _, pl := range []string{"sales", "interest"} {
		created := pgCounts(t, ts, pgCreated, pl, year2025From, year2025To)
		calls := pgCounts(t, ts, pgCalls, pl, year2025From, year2025To)
		_, body := pageAs(t, ts, dir, "/dashboards/director?pipeline="+pl)
		checkPerManager(t, pl+" leaderboard", panelTable(t, body, "leaders"), created, calls)
		_, body = pageAs(t, ts, dir, "/dashboards/activity?pipeline="+pl)
		checkPerManager(t, pl+" team activity", panelTable(t, body, "team_activity"), created, calls)
		hm := panelTable(t, body, "heatmap")
		if want := pgCounts(t, ts, pgCreatedActivities, pl, year2025From, year2025To)[pl]; len(hm.foot) < 3 || number(t, hm.foot[2]) != want || want == 0 {
			t.Errorf("%s heatmap: total %v, want %d", pl, hm.foot, want)
		}
	}
	// One manager, pipeline interest: the leaderboard's deals created, the
	// funnel's first step and the deals by source are the same deals.
	created := pgCounts(t, ts, pgCreated, "interest", year2025From, year2025To)
	var who string
	for k, n := range created {
		if who == "" || n > created[who] {
			who = k
		}
	}
	_, body := pageAs(t, ts, dir, "/dashboards/director?pipeline=interest&manager="+who)
	leaders, funnel, sources := panelTable(t, body, "leaders"), panelTable(t, body, "funnel"), panelTable(t, body, "by_source")
	got := []int64{number(t, leaders.rows[0][leaders.col(t, "Создано сделок")]), number(t, funnel.rows[0][funnel.col(t, "Дошло сделок")]),
		number(t, sources.foot[sources.col(t, "Количество")])}
	if len(leaders.rows) != 1 || got[0] != created[who] || got[1] != created[who] || got[2] != created[who] {
		t.Errorf("manager %s in interest: leaderboard, funnel, by source %v, want %d each", who, got, created[who])
	}
}

// checkPerManager compares a manager activity table's calls and deals
// created with the reference counts, by user id.
func checkPerManager(t *testing.T, name string, tb table, created, calls map[string]int64) {
	t.Helper()
	id, c, d := tb.col(t, "Сотрудник (ID)"), tb.col(t, "Звонки"), tb.col(t, "Создано сделок")
	if len(tb.rows) < 10 {
		t.Fatalf("%s: %d rows", name, len(tb.rows))
	}
	for _, r := range tb.rows {
		if number(t, r[c]) != calls[r[id]] || number(t, r[d]) != created[r[id]] {
			t.Errorf("%s, user %s: calls %s, created %s; want %d, %d", name, r[id], r[c], r[d], calls[r[id]], created[r[id]])
		}
	}
}

// loginToken signs in through the API and returns the session token.
func loginToken(t *testing.T, ts *dashtest.Server, email string) string {
	t.Helper()
	var lr struct{ Token string }
	if st := ts.DoJSON("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "demo"}, &lr); st != 200 {
		t.Fatalf("login %s: %d", email, st)
	}
	return lr.Token
}

// pageAs gets a page with the session token as its cookie.
func pageAs(t *testing.T, ts *dashtest.Server, token, target string) (int, string) {
	t.Helper()
	ts.Tokens = map[string]string{"session": token}
	status, body, _ := ts.PageBody("GET", target, "session", nil)
	return status, body
}
