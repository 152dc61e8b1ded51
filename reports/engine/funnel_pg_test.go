package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/reports"
)

// kxPGRub is the rouble amount of deal d in plain PostgreSQL: the amount
// times the latest rate of its currency on its Moscow creation date,
// rounded to the kopeck per deal.
const kxPGRub = `round(d.amount * coalesce((
    SELECT r.rate FROM currency_rates r
    WHERE r.code = d.currency AND r.valid_from <= (d.created_at AT TIME ZONE 'Europe/Moscow')::date
    ORDER BY r.valid_from DESC LIMIT 1), 0), 2)`

// kxPGSteps numbers the open and won stages of pipeline $1 by position.
const kxPGSteps = `
steps AS (
    SELECT s.id, s.code, row_number() OVER (ORDER BY s.position, s.id) AS step
    FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
    WHERE p.code = $1 AND s.kind IN ('open', 'won'))`

// kxPGReached is the reached funnel in plain SQL: per step, the cohort's
// deals whose history entered that step or a later one; and the lost
// deals by the furthest step their history entered.
const kxPGReached = `
WITH cohort AS (
    SELECT d.id, d.stage_id, ` + kxPGRub + ` AS rub
    FROM deals d JOIN pipelines p ON p.id = d.pipeline_id
    WHERE p.code = $1 AND d.created_at >= $2 AND d.created_at < $3),` + kxPGSteps + `,
reached AS (
    SELECT c.id, c.rub, c.stage_id, coalesce(max(st.step), 0) AS r
    FROM cohort c
    LEFT JOIN stage_changes sc ON sc.deal_id = c.id
    LEFT JOIN steps st ON st.id = sc.to_stage_id
    GROUP BY c.id, c.rub, c.stage_id)
SELECT st.code,
       count(r.id),
       coalesce(sum(r.rub), 0)::numeric(20, 2)::text,
       count(r.id) FILTER (WHERE r.r = st.step AND k.kind = 'lost'),
       coalesce(sum(r.rub) FILTER (WHERE r.r = st.step AND k.kind = 'lost'), 0)::numeric(20, 2)::text
FROM steps st
LEFT JOIN reached r ON r.r >= st.step
LEFT JOIN stages k ON k.id = r.stage_id
GROUP BY st.code, st.step
ORDER BY st.step`

// kxPGCurrent is the snapshot at $2 in plain SQL: each deal created by
// then in the stage its last change at or before $2 entered.
const kxPGCurrent = `
WITH cohort AS (
    SELECT d.id, ` + kxPGRub + ` AS rub
    FROM deals d JOIN pipelines p ON p.id = d.pipeline_id
    WHERE p.code = $1 AND d.created_at <= $2),
at AS (
    SELECT DISTINCT ON (sc.deal_id) sc.deal_id, sc.to_stage_id
    FROM stage_changes sc JOIN cohort c ON c.id = sc.deal_id
    WHERE sc.changed_at <= $2
    ORDER BY sc.deal_id, sc.changed_at DESC, sc.id DESC)
SELECT s.code, count(*), sum(c.rub)::numeric(20, 2)::text
FROM at JOIN cohort c ON c.id = at.deal_id JOIN stages s ON s.id = at.to_stage_id
GROUP BY s.code, s.position
ORDER BY s.position`

// kxPGRows runs q and formats each row as "a b c …".
func kxPGRows(t *testing.T, s *kxStores, q string, args ...any) []string {
	t.Helper()
	rows, err := s.pg.Pool.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("reference query: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(cells, " "))
	}
	return out
}

// TestFunnelMatchesPostgres: on 2,000 seeded deals the reached funnel
// (per step count and amount, lost by step) and the current snapshot
// equal plain SQL on PostgreSQL exactly, amounts to the kopeck.
func TestFunnelMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, err := year.Resolve(kxSeedNow, "period")
	if err != nil {
		t.Fatal(err)
	}
	for _, pipeline := range []string{"sales", "interest"} {
		f := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: pipeline, Period: &year})
		var got []string
		for i, st := range f.Steps {
			got = append(got, fmt.Sprint(st.Stage, " ", st.Count, " ", st.Amount.StringFixed(2), " ", f.Lost[i].Count, " ", f.Lost[i].Amount.StringFixed(2)))
		}
		want := kxPGRows(t, s, kxPGReached, pipeline, r.From, r.To)
		t.Logf("%s reached: %v", pipeline, want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s reached:\n got %v\nwant %v", pipeline, got, want)
		}
		if f.Steps[0].Count < 100 {
			t.Errorf("%s: a cohort of %d deals proves little", pipeline, f.Steps[0].Count)
		}
		asOf := kxSeedNow.Add(-137 * 24 * time.Hour).Add(5*time.Hour + 17*time.Minute)
		c := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: pipeline, Mode: reports.ModeCurrent, AsOf: asOf.Format(time.RFC3339)})
		got = nil
		for _, st := range append(kxStepCounts(c.Steps), append(c.Paused, c.Lost...)...) {
			if st.Count > 0 {
				got = append(got, fmt.Sprint(st.Stage, " ", st.Count, " ", st.Amount.StringFixed(2)))
			}
		}
		want = kxPGRows(t, s, kxPGCurrent, pipeline, asOf)
		t.Logf("%s current at %s: %v", pipeline, asOf, want)
		if fmt.Sprint(kxSorted(got)) != fmt.Sprint(kxSorted(want)) {
			t.Errorf("%s current:\n got %v\nwant %v", pipeline, got, want)
		}
	}
}

// TestFunnelSeededAccess: the busiest seeded manager's funnels (both
// modes, with a breakdown) equal the director's on a copy holding only
// the rows that manager may see.
func TestFunnelSeededAccess(t *testing.T) {
	s := kxSeeded(t)
	m := kxBusyManager(t, s)
	restricted := kxRestricted(t, s, m.UserID)
	year := kxSeedYear
	for _, req := range []reports.FunnelRequest{
		{Pipeline: "sales", Period: &year, Breakdown: "source"},
		{Pipeline: "sales", Period: &year, WindowDays: 20, Breakdown: "responsible"},
		{Pipeline: "sales", Mode: reports.ModeCurrent, AsOf: "2025-01-15", Breakdown: "company"},
	} {
		mine, err := s.eng.Funnel(context.Background(), m, req)
		if err != nil {
			t.Fatal(err)
		}
		dir, err := restricted.Funnel(context.Background(), kxDirector, req)
		if err != nil {
			t.Fatal(err)
		}
		mine.Meta, dir.Meta = reports.Meta{}, reports.Meta{}
		a, _ := json.Marshal(mine)
		b, _ := json.Marshal(dir)
		if string(a) != string(b) {
			t.Errorf("%+v: manager\n%s\ndirector on the manager's rows\n%s", req, a, b)
		}
		if mine.Steps[0].Count == 0 {
			t.Errorf("%+v: the manager sees nothing; the check proves little", req)
		}
	}
}

func kxStepCounts(steps []reports.FunnelStep) []reports.FunnelCount {
	var out []reports.FunnelCount
	for _, s := range steps {
		out = append(out, reports.FunnelCount{Stage: s.Stage, Count: s.Count, Amount: s.Amount})
	}
	return out
}

// kxSorted is a sorted copy.
func kxSorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
