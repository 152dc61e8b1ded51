package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/crmcore/stale"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// staleNow is the hand fixture's clock.
var staleNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// staleFixture: sales stage needs has a rule of 7 days, presentation
// none; now is 2025-03-01 12:00 UTC (N = now). By hand:
//
//	S-7 Анна  needs  100.00  entered N−7d, nothing since       → idle 7 days: stale; no task
//	S-6 Анна  needs   60.00  entered N−7d+1s                    → idle 6 days: not stale; no task
//	S-R Анна  needs   70.00  entered N−30d, a call done N−2d,
//	                          a task to do created N−20d        → idle 2 days: not stale; has a task
//	S-T Анна  needs 1000.00  entered N−30d, a task to do N−10d  → idle 10 days: stale; has a task
//	S-M Анна  needs  250.50  created N−40d, moved to needs N−8d → idle 8 days: stale; no task
//	S-W Анна  won    900.00  entered N−60d                      → closed: never stale, not counted
//	S-N Анна  presentation 10 entered N−60d (no rule)           → not stale; no task
//	B-9 Борис needs  500.00  entered N−9d, a call not done
//	                          created N−12d                     → idle 9 days: stale; no task
//
// Анна × needs: 3 stale, 1350.50 ₽, days 7+10+8 (avg 8.33, max 10),
// no task 3 (S-7, S-6, S-M); Анна × presentation: no task 1; Борис ×
// needs: 1 stale, 500.00 ₽, 9 days, no task 1.
const staleFixture = `
INSERT INTO users (email, name, role, password_hash) VALUES
    ('anna@x.ru', 'Анна', 'manager', '-'), ('boris@x.ru', 'Борис', 'manager', '-');
UPDATE stages SET stale_days = 7 WHERE code = 'needs' AND pipeline_id = (SELECT id FROM pipelines WHERE code = 'sales');
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
SELECT v.title, p.id, s.id, v.amount, 'RUB', u.id, c.created, c.created, CASE WHEN s.kind = 'won' THEN c.created END
FROM (VALUES
    ('S-7', 'needs', 100.00, 'anna@x.ru', interval '7 days'),
    ('S-6', 'needs', 60.00, 'anna@x.ru', interval '7 days' - interval '1 second'),
    ('S-R', 'needs', 70.00, 'anna@x.ru', interval '30 days'),
    ('S-T', 'needs', 1000.00, 'anna@x.ru', interval '30 days'),
    ('S-M', 'needs', 250.50, 'anna@x.ru', interval '40 days'),
    ('S-W', 'won', 900.00, 'anna@x.ru', interval '60 days'),
    ('S-N', 'presentation', 10.00, 'anna@x.ru', interval '60 days'),
    ('B-9', 'needs', 500.00, 'boris@x.ru', interval '9 days')
) AS v (title, stage, amount, email, ago)
CROSS JOIN LATERAL (SELECT '2025-03-01 12:00+00'::timestamptz - v.ago AS created) c
JOIN pipelines p ON p.code = 'sales'
JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage
JOIN users u ON u.email = v.email
ORDER BY v.title;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT d.id, d.pipeline_id, NULL, CASE WHEN d.title = 'S-M' THEN n.id ELSE d.stage_id END, d.created_at, d.responsible_id
    FROM deals d JOIN stages n ON n.pipeline_id = d.pipeline_id AND n.code = 'new';
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT d.id, d.pipeline_id, n.id, d.stage_id, '2025-03-01 12:00+00'::timestamptz - interval '8 days', d.responsible_id
    FROM deals d JOIN stages n ON n.pipeline_id = d.pipeline_id AND n.code = 'new' WHERE d.title = 'S-M';
INSERT INTO activities (type, subject, owner_id, deal_id, done_at, created_at, updated_at)
SELECT v.type, v.type, d.responsible_id, d.id, '2025-03-01 12:00+00'::timestamptz - v.done, '2025-03-01 12:00+00'::timestamptz - v.created, now()
FROM (VALUES
    ('S-R', 'call', interval '2 days', interval '3 days'),
    ('S-R', 'task', NULL, interval '20 days'),
    ('S-T', 'task', NULL, interval '10 days'),
    ('B-9', 'call', NULL, interval '12 days')
) AS v (title, type, done, created)
JOIN deals d ON d.title = v.title;
`

// staleRow is a row of the report by its keys: figures as the answer
// holds them.
type staleRow struct {
	n, noTask   int64
	amount      string
	avg         float64
	most        int64
	name, stage string
}

func staleRows(t *testing.T, res *reports.Result) map[string]staleRow {
	t.Helper()
	out := map[string]staleRow{}
	for _, r := range res.Rows {
		row := staleRow{name: r[1].(string), stage: r[4].(string), n: r[6].(int64), amount: r[7].(domain.Money).StringFixed(2), noTask: r[10].(int64)}
		if r[8] != nil {
			row.avg, row.most = r[8].(float64), r[9].(int64)
		}
		out[fmt.Sprintf("%d/%d", r[0], r[2])] = row
	}
	return out
}

func TestStaleDealsHandFixture(t *testing.T) {
	s := kxSetup(t, staleFixture, staleNow)
	ctx := context.Background()
	id := func(q string) int64 {
		var v int64
		if err := s.pg.Pool.QueryRow(ctx, q).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	anna, boris := id(`SELECT id FROM users WHERE email = 'anna@x.ru'`), id(`SELECT id FROM users WHERE email = 'boris@x.ru'`)
	needs := id(`SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.code = 'sales' AND s.code = 'needs'`)
	pres := id(`SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.code = 'sales' AND s.code = 'presentation'`)
	def := &reports.Definition{Kind: reports.KindStaleDeals}
	res, err := s.eng.Run(ctx, domain.Principal{Role: domain.RoleDirector}, def)
	if err != nil {
		t.Fatal(err)
	}
	got := staleRows(t, res)
	want := map[string]staleRow{
		fmt.Sprintf("%d/%d", anna, needs):  {n: 3, amount: "1350.50", avg: 25.0 / 3, most: 10, noTask: 3, name: "Анна", stage: "Сбор потребностей"},
		fmt.Sprintf("%d/%d", anna, pres):   {n: 0, amount: "0.00", noTask: 1, name: "Анна", stage: "Презентация"},
		fmt.Sprintf("%d/%d", boris, needs): {n: 1, amount: "500.00", avg: 9, most: 9, noTask: 1, name: "Борис", stage: "Сбор потребностей"},
	}
	checkStaleRows(t, "director", got, want)
	if tot := res.Totals; tot[6] != int64(4) || tot[7].(domain.Money).StringFixed(2) != "1850.50" || tot[8] != 8.5 || tot[9] != int64(10) || tot[10] != int64(5) {
		t.Errorf("totals %v, want 4, 1850.50, 8.5, 10, 5", tot)
	}
	res, err = s.eng.Run(ctx, domain.Principal{UserID: boris, Role: domain.RoleManager}, def)
	if err != nil {
		t.Fatal(err)
	}
	checkStaleRows(t, "Борис", staleRows(t, res), map[string]staleRow{fmt.Sprintf("%d/%d", boris, needs): want[fmt.Sprintf("%d/%d", boris, needs)]})

	titles := func(p domain.Principal, column string, cell string) []string {
		res, err := s.eng.Drill(ctx, p, kinds.DrillRequest{Definition: def, Column: column, Cell: staleCell(t, cell)})
		if err != nil {
			t.Fatal(err)
		}
		col := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "title" })
		var out []string
		for _, r := range res.Rows {
			out = append(out, r[col].(string))
		}
		slices.Sort(out)
		return out
	}
	dir := domain.Principal{Role: domain.RoleDirector}
	annaNeeds := fmt.Sprintf(`{"responsible": %d, "stage_id": %d}`, anna, needs)
	for _, c := range []struct {
		p            domain.Principal
		column, cell string
		want         []string
	}{
		{dir, "count", annaNeeds, []string{"S-7", "S-M", "S-T"}},
		{dir, "no_task", annaNeeds, []string{"S-6", "S-7", "S-M"}},
		{dir, "", `{}`, []string{"B-9", "S-7", "S-M", "S-T"}},
		{dir, "no_task", `{}`, []string{"B-9", "S-6", "S-7", "S-M", "S-N"}},
		{domain.Principal{UserID: boris, Role: domain.RoleManager}, "count", `{}`, []string{"B-9"}},
	} {
		if got := titles(c.p, c.column, c.cell); !slices.Equal(got, c.want) {
			t.Errorf("drill %s %s as %v: %v, want %v", c.column, c.cell, c.p.Role, got, c.want)
		}
	}

	for _, c := range []struct{ params, column, cell, field, code string }{
		{`{}`, "stale_days", `{}`, "column", "not_countable"},
		{`{}`, "nope", `{}`, "column", "unknown_column"},
		{`{}`, "", `{"stage": "needs"}`, "cell.stage", "not_a_row_key"},
		{`{}`, "", `{"responsible": "Анна"}`, "cell.responsible", "invalid_value"},
		{`{"responsible": -1}`, "", `{}`, "definition.params.responsible", "out_of_range"},
		{`{"pipeline": "nope"}`, "", `{}`, "params.pipeline", "unknown_pipeline"},
	} {
		d := &reports.Definition{Kind: reports.KindStaleDeals, Params: json.RawMessage(c.params)}
		_, err := s.eng.Drill(ctx, dir, kinds.DrillRequest{Definition: d, Column: c.column, Cell: staleCell(t, c.cell)})
		if e := apperr.As(err); e == nil || e.Field != c.field || e.Code != c.code {
			t.Errorf("drill %s %s %s: %v, want 422 %s on %s", c.params, c.column, c.cell, err, c.code, c.field)
		}
	}

	// The PostgreSQL side (what the kanban and the deal page mark) says the same.
	marks, err := stale.Of(ctx, s.pg.Pool, staleNow, allDealIDs(t, s.pg))
	if err != nil {
		t.Fatal(err)
	}
	var staleTitles, noTask []string
	for _, d := range marks {
		if d.Stale {
			staleTitles = append(staleTitles, d.Title)
		}
		if d.NoTask {
			noTask = append(noTask, d.Title)
		}
	}
	slices.Sort(staleTitles)
	slices.Sort(noTask)
	if !slices.Equal(staleTitles, []string{"B-9", "S-7", "S-M", "S-T"}) || !slices.Equal(noTask, []string{"B-9", "S-6", "S-7", "S-M", "S-N"}) {
		t.Errorf("PostgreSQL marks: stale %v, no task %v", staleTitles, noTask)
	}
	if _, closed := marks[id(`SELECT id FROM deals WHERE title = 'S-W'`)]; closed {
		t.Errorf("a won deal has marks")
	}
}

func checkStaleRows(t *testing.T, who string, got, want map[string]staleRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows %v, want %d %v", who, len(got), got, len(want), want)
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || g.n != w.n || g.amount != w.amount || math.Abs(g.avg-w.avg) > 1e-9 || g.most != w.most || g.noTask != w.noTask || g.name != w.name || g.stage != w.stage {
			t.Errorf("%s: row %s = %+v, want %+v", who, k, g, w)
		}
	}
}

func staleCell(t *testing.T, s string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func allDealIDs(t *testing.T, pg *testenv.PG) []int64 {
	t.Helper()
	rows, err := pg.Pool.Query(context.Background(), `SELECT id FROM deals`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// stalePGDeals is the definition in plain PostgreSQL, written from
// docs/reports.md (not from crmcore/stale or the report's SQL): every
// open deal (its stage neither won nor lost) visible by the condition
// $2 (0: all; else responsible or observer), with its stage's rule, its
// seconds idle at $1 since the later of its last stage change (its
// creation without one) and its last activity (done_at, else
// created_at), and whether it has a task not done.
const stalePGDeals = `
WITH last_change AS (
    SELECT deal_id, max(changed_at) AS at FROM stage_changes GROUP BY deal_id),
last_activity AS (
    SELECT deal_id, max(CASE WHEN done_at IS NULL THEN created_at ELSE done_at END) AS at
    FROM activities WHERE deal_id IS NOT NULL GROUP BY deal_id),
to_do AS (
    SELECT DISTINCT deal_id FROM activities WHERE type = 'task' AND done_at IS NULL AND deal_id IS NOT NULL)
SELECT d.id, d.responsible_id, d.stage_id, s.stale_days, ` + kxPGRub + ` AS rub,
       extract(epoch FROM $1::timestamptz - CASE WHEN la.at > coalesce(lc.at, d.created_at) THEN la.at
                                                 ELSE coalesce(lc.at, d.created_at) END) AS secs,
       t.deal_id IS NULL AS no_task
FROM deals d
JOIN stages s ON s.id = d.stage_id
LEFT JOIN last_change lc ON lc.deal_id = d.id
LEFT JOIN last_activity la ON la.deal_id = d.id
LEFT JOIN to_do t ON t.deal_id = d.id
WHERE s.kind IN ('open', 'paused')
  AND ($2 = 0 OR d.responsible_id = $2 OR d.id IN (SELECT deal_id FROM deal_observers WHERE user_id = $2))`

// stalePGReport sums stalePGDeals by responsible and stage as the
// report does: stale ones (a rule, idle at least rule × 86,400 s) — count,
// roubles, the sum and the most of their whole days — and those without
// a task to do.
const stalePGReport = `
SELECT responsible_id, stage_id,
       count(*) FILTER (WHERE stale),
       coalesce(sum(rub) FILTER (WHERE stale), 0)::numeric(20, 2)::text,
       coalesce(sum(days) FILTER (WHERE stale), 0)::bigint,
       coalesce(max(days) FILTER (WHERE stale), 0),
       count(*) FILTER (WHERE no_task)
FROM (SELECT x.*, stale_days IS NOT NULL AND secs >= stale_days * 86400 AS stale,
             floor(greatest(secs, 0) / 86400)::bigint AS days
      FROM (` + stalePGDeals + `) x) y
GROUP BY responsible_id, stage_id
HAVING count(*) FILTER (WHERE stale) > 0 OR count(*) FILTER (WHERE no_task) > 0
ORDER BY 1, 2`

// TestStaleDealsMatchesPostgres: on 2,000 seeded deals with rules on
// several stages, the report's rows (as a director and as a manager)
// are the plain PostgreSQL query's, and the marks crmcore/stale gives
// the kanban and the deal page are its deals'.
func TestStaleDealsMatchesPostgres(t *testing.T) {
	pg := testenv.NewPG(t)
	ctx := context.Background()
	if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: 2000, Seed: 11, Now: kxSeedNow}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	const rules = `
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-12-01', 101.23456789), ('EUR', '2025-02-15', 0.5);
UPDATE stages s SET stale_days = v.days
FROM (VALUES ('sales', 'new', 3), ('sales', 'needs', 7), ('sales', 'decision', 14), ('sales', 'paused', 30),
             ('interest', 'choice', 5), ('interest', 'paid', 1)) AS v (pipeline, code, days), pipelines p
WHERE p.id = s.pipeline_id AND p.code = v.pipeline AND s.code = v.code`
	if _, err := pg.Pool.Exec(ctx, rules); err != nil {
		t.Fatal(err)
	}
	ch := testenv.NewCH(t)
	kxCopy(t, pg, ch, nil)
	s := &kxStores{pg: pg, ch: ch, eng: &Engine{CH: ch.DB, Now: func() time.Time { return kxSeedNow }}}
	m := kxBusyManager(t, s)
	for _, p := range []domain.Principal{{Role: domain.RoleDirector}, m} {
		res, err := s.eng.Run(ctx, p, &reports.Definition{Kind: reports.KindStaleDeals})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		stale := int64(0)
		for _, r := range res.Rows {
			n := r[6].(int64)
			sum, most := int64(0), int64(0)
			if n > 0 {
				sum, most = int64(math.Round(r[8].(float64)*float64(n))), r[9].(int64)
			}
			stale += n
			got = append(got, strings.TrimSpace(fmt.Sprintln(r[0], r[2], n, r[7].(domain.Money).StringFixed(2), sum, most, r[10])))
		}
		slices.Sort(got)
		want := staleTexts(t, pg, stalePGReport, p.UserID)
		if !slices.Equal(got, want) {
			t.Errorf("as %s %d: report rows\n%v\nwant (PostgreSQL)\n%v", p.Role, p.UserID, got, want)
		}
		if stale == 0 || len(want) < 3 {
			t.Errorf("as %s: %d stale deals in %d rows: the fixture proves nothing", p.Role, stale, len(want))
		}
	}
	marks, err := stale.Of(ctx, pg.Pool, kxSeedNow, allDealIDs(t, pg))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range marks {
		got = append(got, strings.TrimSpace(fmt.Sprintln(d.ID, d.Stale, d.NoTask, d.Days)))
	}
	slices.Sort(got)
	want := staleTexts(t, pg, `SELECT id, stale_days IS NOT NULL AND secs >= stale_days * 86400, no_task, floor(greatest(secs, 0) / 86400)::bigint
FROM (`+stalePGDeals+`) x`, 0)
	if !slices.Equal(got, want) {
		t.Errorf("crmcore/stale marks differ from PostgreSQL's definition: %d marks, %d deals", len(got), len(want))
	}
}

// staleTexts runs q with $1 = kxSeedNow, $2 = who, each row as text.
func staleTexts(t *testing.T, pg *testenv.PG, q string, who int64) []string {
	t.Helper()
	rows, err := pg.Pool.Query(context.Background(), q, kxSeedNow, who)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.TrimSpace(fmt.Sprintln(vals...)))
	}
	slices.Sort(out)
	return out
}
