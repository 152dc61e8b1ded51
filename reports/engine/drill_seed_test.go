package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// idText renders ids as pgRows/kxPGRows render a one-column answer.
func idText(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ",")
}

// kxPGVisible are the deals manager $1 sees, in plain SQL (docs/api.md).
const kxPGVisible = `(d.responsible_id = $1 OR d.id IN (SELECT deal_id FROM deal_observers WHERE user_id = $1))`

// TestDrillMatchesPostgres: on 2,000 seeded deals, the records drilled
// from a grouped cell, a total of a looked-up dimension, a pivot cell
// and a manager's grand total are exactly the ids a plain PostgreSQL
// query selects, and as many as the answer counts.
func TestDrillMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, err := year.Resolve(kxSeedNow, "period")
	if err != nil {
		t.Fatal(err)
	}
	const period = `"period":{"from":"2024-06-01","to":"2025-05-31"}`
	const byMonth = `{"dataset":"deals","dimensions":[{"field":"responsible"},{"field":"created_at","grain":"month"}],"measures":[{"agg":"count"}],` + period + `,"sort":[{"by":"count","desc":true}]}`
	const byStage = `{"dataset":"deals","dimensions":[{"field":"stage_name"}],"measures":[{"agg":"count"}],` + period + `,"sort":[{"by":"count","desc":true}]}`
	const pivot = `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"}],"pivot":{"columns":["stage_group"]},` + period + `}`
	in := ` AND d.created_at >= $2 AND d.created_at < $3 ORDER BY d.id`
	top := func(def string) []any {
		d, _ := drillDef(t, def, `{}`)
		res, err := s.eng.Run(context.Background(), kxDirector, d)
		if err != nil || len(res.Rows) == 0 {
			t.Fatalf("%s: %v", def, err)
		}
		return res.Rows[0]
	}
	cell := top(byMonth)
	stage := top(byStage)
	var user, group string
	if err := s.pg.Pool.QueryRow(context.Background(), `SELECT u.name, s.stage_group FROM deals d JOIN users u ON u.id = d.responsible_id
		JOIN stages s ON s.id = d.stage_id WHERE d.created_at >= $1 AND d.created_at < $2
		GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`, r.From, r.To).Scan(&user, &group); err != nil {
		t.Fatal(err)
	}
	m := kxBusyManager(t, s)
	cases := []struct {
		name, def, pivot, cell string
		as                     domain.Principal
		pg                     string
		args                   []any
	}{
		{"the largest responsible × Moscow month cell", byMonth, "", fmt.Sprintf(`{"responsible":%d,"created_at_month":%q}`, cell[0], cell[1]), kxDirector,
			`SELECT d.id FROM deals d WHERE d.responsible_id = $1 AND to_char(date_trunc('month', d.created_at AT TIME ZONE 'Europe/Moscow'), 'YYYY-MM-DD') = $4` + in,
			[]any{cell[0], r.From, r.To, cell[1]}},
		{"the total of the largest stage", byStage, "", fmt.Sprintf(`{"stage_name":%q}`, stage[0]), kxDirector,
			`SELECT d.id FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.name = $1` + in, []any{stage[0], r.From, r.To}},
		{"the largest pivot cell", pivot, "stage_group", fmt.Sprintf(`{"responsible_name":%q,"stage_group":%q}`, user, group), kxDirector,
			`SELECT d.id FROM deals d JOIN users u ON u.id = d.responsible_id JOIN stages s ON s.id = d.stage_id
			 WHERE u.name = $1 AND s.stage_group = $4` + in, []any{user, r.From, r.To, group}},
		{"a manager's grand total", byMonth, "", `{}`, m, `SELECT d.id FROM deals d WHERE ` + kxPGVisible + in, []any{m.UserID, r.From, r.To}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := drilled(t, s.eng, c.as, c.def, c.cell)
			want := strings.Join(kxPGRows(t, s, c.pg, c.args...), ",")
			if idText(got) != want {
				t.Errorf("ids\n%s\nwant\n%s", idText(got), want)
			}
			d, _ := drillDef(t, c.def, c.cell)
			res, err := s.eng.Run(context.Background(), c.as, d)
			if err != nil {
				t.Fatal(err)
			}
			if n := answerCount(t, res, c.pivot, c.cell); n != int64(len(got)) || n < 5 {
				t.Errorf("the answer counts %d, the drill lists %d (a cell under 5 proves little)", n, len(got))
			}
		})
	}
}

// kxPGReachedIDs are the reached funnel's deals at step $4 of pipeline
// $1 (created in [$2, $3)) in plain SQL: the furthest step their history
// entered is at least $4; with $5 the deals now lost whose furthest step
// is $4.
const kxPGReachedIDs = `
WITH cohort AS (
    SELECT d.id, d.stage_id FROM deals d JOIN pipelines p ON p.id = d.pipeline_id
    WHERE p.code = $1 AND d.created_at >= $2 AND d.created_at < $3 AND ($6::bigint = 0 OR ` + kxPGVisibleOf6 + `)),` + kxPGSteps + `,
reached AS (
    SELECT c.id, c.stage_id, coalesce(max(st.step), 0) AS r
    FROM cohort c
    LEFT JOIN stage_changes sc ON sc.deal_id = c.id
    LEFT JOIN steps st ON st.id = sc.to_stage_id
    GROUP BY c.id, c.stage_id)
SELECT r.id FROM reached r JOIN stages k ON k.id = r.stage_id
WHERE CASE WHEN $5 THEN r.r = $4 AND k.kind = 'lost' ELSE r.r >= $4 END
ORDER BY r.id`

// kxPGVisibleOf6 is kxPGVisible for the manager $6.
const kxPGVisibleOf6 = `d.responsible_id = $6 OR d.id IN (SELECT deal_id FROM deal_observers WHERE user_id = $6)`

// kxPGCurrentIDs are the deals of pipeline $1 created by $2 whose last
// stage change at or before $2 entered stage $3.
const kxPGCurrentIDs = `
WITH cohort AS (
    SELECT d.id FROM deals d JOIN pipelines p ON p.id = d.pipeline_id WHERE p.code = $1 AND d.created_at <= $2),
at AS (
    SELECT DISTINCT ON (sc.deal_id) sc.deal_id, sc.to_stage_id
    FROM stage_changes sc JOIN cohort c ON c.id = sc.deal_id
    WHERE sc.changed_at <= $2
    ORDER BY sc.deal_id, sc.changed_at DESC, sc.id DESC)
SELECT at.deal_id FROM at JOIN stages s ON s.id = at.to_stage_id WHERE s.code = $3 ORDER BY 1`

// TestFunnelDrillMatchesPostgres: on 2,000 seeded deals, every step's
// reached and lost deals of a year's cohort, every stage's deals at a
// snapshot and a manager's first step are exactly the ids plain SQL on
// PostgreSQL selects, and as many as the funnel counts.
func TestFunnelDrillMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, err := year.Resolve(kxSeedNow, "period")
	if err != nil {
		t.Fatal(err)
	}
	m := kxBusyManager(t, s)
	asOf := kxSeedNow.Add(-137 * 24 * time.Hour).Add(5*time.Hour + 17*time.Minute)
	reached := reports.FunnelRequest{Pipeline: "sales", Period: &year}
	snapshot := reports.FunnelRequest{Pipeline: "sales", Mode: reports.ModeCurrent, AsOf: asOf.Format(time.RFC3339)}
	steps := kxPGRows(t, s, `SELECT s.code, s.kind FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.code = 'sales' ORDER BY s.position, s.id`)
	type drillCase struct {
		as   domain.Principal
		req  kinds.FunnelDrillRequest
		want []string
	}
	var cases []drillCase
	step := 0
	for _, row := range steps {
		code, kind, _ := strings.Cut(row, " ")
		if kind == "open" || kind == "won" {
			step++
			for _, which := range []string{kinds.DrillReached, kinds.DrillLost} {
				cases = append(cases, drillCase{kxDirector, kinds.FunnelDrillRequest{FunnelRequest: reached, Step: code, Which: which},
					kxPGRows(t, s, kxPGReachedIDs, "sales", r.From, r.To, step, which == kinds.DrillLost, int64(0))})
			}
		}
		cases = append(cases, drillCase{kxDirector, kinds.FunnelDrillRequest{FunnelRequest: snapshot, Step: code, Which: kinds.DrillCurrent},
			kxPGRows(t, s, kxPGCurrentIDs, "sales", asOf, code)})
	}
	first, _, _ := strings.Cut(steps[0], " ")
	cases = append(cases, drillCase{m, kinds.FunnelDrillRequest{FunnelRequest: reached, Step: first, Which: kinds.DrillReached},
		kxPGRows(t, s, kxPGReachedIDs, "sales", r.From, r.To, 1, false, m.UserID)})
	nonEmpty := 0
	for _, c := range cases {
		t.Run(c.req.Which+" "+c.req.Step+fmt.Sprint(" as ", c.as.UserID), func(t *testing.T) {
			got := funnelDrilled(t, s.eng, c.as, c.req)
			if idText(got) != strings.Join(c.want, ",") {
				t.Errorf("ids\n%s\nwant\n%s", idText(got), strings.Join(c.want, ","))
			}
			f, err := s.eng.Funnel(context.Background(), c.as, c.req.FunnelRequest)
			if err != nil {
				t.Fatal(err)
			}
			if n := funnelCount(t, f, c.req); n != int64(len(got)) {
				t.Errorf("the funnel counts %d, the drill lists %d", n, len(got))
			}
			if len(got) > 0 {
				nonEmpty++
			}
		})
	}
	if nonEmpty < len(cases)/2 {
		t.Errorf("only %d of %d drills list any deal: the seed proves little", nonEmpty, len(cases))
	}
}
