package engine

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/reports"
)

// TestManagerActivityByHand: January on the fixture (now 2025-03-01).
//
//	M1: calls A1 A2, e-mail A3, task A6 done, A7 overdue (due 02-15);
//	    created D1 D2 D3 D7, all moved forward; won D1 (5 days), closed D1 D7.
//	M2: call A11 (A9 is December's), e-mail A10, meeting A4 (A5 not held),
//	    A8 not yet due; created D4 D5 D6; moved forward D4, D5 (qual → prop;
//	    pause → qual is a resumption, not a forward move), D8; closed D4 (lost).
func TestManagerActivityByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	res := kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &jan, "")
	m2 := "102|Петрова Анна|1|1|1|0|0|3|3|0|0.00|0.0000|null"
	kxExpect(t, "director", kxCells(res.Rows), "101|Иванов Иван|2|1|0|1|1|4|4|1|1000.00|0.5000|5.0000", m2)
	kxExpect(t, "team", kxCells([][]any{res.Totals}), "null|null|3|2|1|1|1|7|7|1|1000.00|0.3333|5.0000")
	// M1 sees only their own; M2 also sees D1 (observer) and A1, A6 on it.
	mine := kxRun(t, s.eng, kxM1, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "manager 101", kxCells(mine.Rows), "101|Иванов Иван|2|1|0|1|1|4|4|1|1000.00|0.5000|5.0000")
	obs := kxRun(t, s.eng, kxM2, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "manager 102", kxCells(obs.Rows), "101|Иванов Иван|1|0|0|1|0|1|1|1|1000.00|1.0000|5.0000", m2)
}

// kxPGActivity is manager activity in plain SQL, per user: the period is
// [$1, $2), now is $3.
const kxPGActivity = `
WITH a AS (
    SELECT owner_id AS u,
           count(*) FILTER (WHERE type = 'call' AND done_at >= $1 AND done_at < $2) AS calls,
           count(*) FILTER (WHERE type = 'email' AND done_at >= $1 AND done_at < $2) AS emails,
           count(*) FILTER (WHERE type = 'meeting' AND done_at >= $1 AND done_at < $2) AS meetings,
           count(*) FILTER (WHERE type = 'task' AND done_at >= $1 AND done_at < $2) AS tasks,
           count(*) FILTER (WHERE type = 'task' AND done_at IS NULL AND due_at < $3) AS overdue
    FROM activities GROUP BY owner_id),
d AS (
    SELECT d.responsible_id AS u,
           count(*) FILTER (WHERE d.created_at >= $1 AND d.created_at < $2) AS created,
           count(*) FILTER (WHERE s.kind = 'won' AND d.closed_at >= $1 AND d.closed_at < $2) AS won,
           coalesce(sum(` + kxPGRub + `) FILTER (WHERE s.kind = 'won' AND d.closed_at >= $1 AND d.closed_at < $2), 0) AS won_amount,
           count(*) FILTER (WHERE s.kind IN ('won', 'lost') AND d.closed_at >= $1 AND d.closed_at < $2) AS closed,
           avg(extract(epoch FROM d.closed_at - d.created_at) / 86400) FILTER (WHERE s.kind = 'won' AND d.closed_at >= $1 AND d.closed_at < $2) AS days
    FROM deals d JOIN stages s ON s.id = d.stage_id GROUP BY d.responsible_id),
m AS (
    SELECT d.responsible_id AS u, count(DISTINCT sc.deal_id) AS moved, count(*) AS moves
    FROM stage_changes sc
    JOIN deals d ON d.id = sc.deal_id
    JOIN stages f ON f.id = sc.from_stage_id
    JOIN stages t ON t.id = sc.to_stage_id
    WHERE sc.changed_at >= $1 AND sc.changed_at < $2 AND f.kind = 'open' AND t.kind IN ('open', 'won') AND t.position > f.position
    GROUP BY d.responsible_id)
SELECT u.id, coalesce(calls, 0), coalesce(emails, 0), coalesce(meetings, 0), coalesce(tasks, 0), coalesce(overdue, 0),
       coalesce(created, 0), coalesce(moved, 0), coalesce(won, 0), coalesce(won_amount, 0)::numeric(20, 2)::text,
       coalesce(round(won::numeric / nullif(closed, 0), 4)::text, 'null'), coalesce(round(round(days::numeric, 2), 4)::text, 'null')
FROM users u LEFT JOIN a ON a.u = u.id LEFT JOIN d ON d.u = u.id LEFT JOIN m ON m.u = u.id
WHERE coalesce(calls, 0) + coalesce(emails, 0) + coalesce(meetings, 0) + coalesce(tasks, 0) + coalesce(overdue, 0)
    + coalesce(created, 0) + coalesce(won, 0) + coalesce(closed, 0) + coalesce(moves, 0) > 0`

// TestManagerActivityMatchesPostgres: every user's row equals plain SQL
// (ratios and averages to 4 decimals), and the busiest manager equals
// the director on their rows.
func TestManagerActivityMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, _ := year.Resolve(kxSeedNow, "period")
	res := kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &year, "")
	want := map[string][]string{}
	for _, row := range kxPGRows(t, s, kxPGActivity, r.From, r.To, kxSeedNow) {
		cells := strings.Split(row, " ")
		want[cells[0]] = cells
	}
	got := kxCells(res.Rows)
	for _, row := range got {
		cells := strings.Split(row, "|")
		cells = append(cells[:1], cells[2:]...)
		if !kxSameCells(cells, want[cells[0]]) {
			t.Errorf("user %s:\n got %v\nwant %v", cells[0], cells, want[cells[0]])
		}
	}
	if len(got) != len(want) || len(got) < 5 {
		t.Errorf("%d rows, reference %d", len(got), len(want))
	}
	kxSameForManager(t, s, reports.KindManagerActivity, &year, "")
}

// kxSameCells compares result cells with reference cells: equal text, or
// (ratios and averages with four decimals, where a float and a numeric
// may round a tie apart) within 0.0001; "null" only matches "null".
func kxSameCells(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] == want[i] {
			continue
		}
		g, err1 := strconv.ParseFloat(got[i], 64)
		w, err2 := strconv.ParseFloat(want[i], 64)
		four := strings.Contains(got[i], ".") && len(got[i])-strings.Index(got[i], ".") == 5
		if err1 != nil || err2 != nil || !four || math.Abs(g-w) > 0.00011 {
			return false
		}
	}
	return true
}
