package engine

import (
	"strings"
	"testing"

	"github.com/voronka/voronka/reports"
)

// TestActivityOutcomesByHand: January on the fixture. Activities on
// deals only (A11 has none, A9 is December's). Forward moves: M1 D1 ×3,
// D2 ×1 (new → prop), D3 ×2 (qual → new is a return), D7 ×2 = 8; M2 D4,
// D5 qual → prop, D8 = 3 (pause → qual resumes, it is not forward).
func TestActivityOutcomesByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	res := kxRun(t, s.eng, kxDirector, reports.KindActivityOutcomes, &jan, "{}")
	kxExpect(t, "director", kxCells(res.Rows),
		"101|Иванов Иван|2|1|0|1|8|2.0000|1.0000|0.0000|0.2500|0.1250|0.0000",
		"102|Петрова Анна|0|1|1|0|3|null|null|null|0.0000|0.3333|0.3333")
	kxExpect(t, "team", kxCells([][]any{res.Totals}), "null|null|2|2|1|1|11|2.0000|2.0000|1.0000|0.1818|0.1818|0.0909")
	mine := kxRun(t, s.eng, kxM1, reports.KindActivityOutcomes, &jan, "")
	kxExpect(t, "manager 101", kxCells(mine.Rows), "101|Иванов Иван|2|1|0|1|8|2.0000|1.0000|0.0000|0.2500|0.1250|0.0000")
}

// kxPGOutcomes is activities against outcomes in plain SQL, per user.
const kxPGOutcomes = `
WITH a AS (
    SELECT owner_id AS u,
           count(*) FILTER (WHERE type = 'call') AS calls,
           count(*) FILTER (WHERE type = 'email') AS emails,
           count(*) FILTER (WHERE type = 'meeting') AS meetings
    FROM activities WHERE deal_id IS NOT NULL AND done_at >= $1 AND done_at < $2 GROUP BY owner_id),
w AS (
    SELECT d.responsible_id AS u, count(*) AS won
    FROM deals d JOIN stages s ON s.id = d.stage_id
    WHERE s.kind = 'won' AND d.closed_at >= $1 AND d.closed_at < $2 GROUP BY d.responsible_id),
m AS (
    SELECT d.responsible_id AS u, count(*) AS moves
    FROM stage_changes sc
    JOIN deals d ON d.id = sc.deal_id
    JOIN stages f ON f.id = sc.from_stage_id
    JOIN stages t ON t.id = sc.to_stage_id
    WHERE sc.changed_at >= $1 AND sc.changed_at < $2 AND f.kind = 'open' AND t.kind IN ('open', 'won') AND t.position > f.position
    GROUP BY d.responsible_id)
SELECT u.id, coalesce(calls, 0), coalesce(emails, 0), coalesce(meetings, 0), coalesce(won, 0), coalesce(moves, 0),
       coalesce(round(calls::numeric / nullif(won, 0), 4)::text, 'null'),
       coalesce(round(emails::numeric / nullif(won, 0), 4)::text, 'null'),
       coalesce(round(meetings::numeric / nullif(won, 0), 4)::text, 'null'),
       coalesce(round(calls::numeric / nullif(moves, 0), 4)::text, 'null'),
       coalesce(round(emails::numeric / nullif(moves, 0), 4)::text, 'null'),
       coalesce(round(meetings::numeric / nullif(moves, 0), 4)::text, 'null')
FROM users u LEFT JOIN a ON a.u = u.id LEFT JOIN w ON w.u = u.id LEFT JOIN m ON m.u = u.id
WHERE coalesce(calls, 0) + coalesce(emails, 0) + coalesce(meetings, 0) + coalesce(won, 0) + coalesce(moves, 0) > 0`

// TestActivityOutcomesMatchPostgres: every user's row equals plain SQL,
// and the busiest manager equals the director on their rows.
func TestActivityOutcomesMatchPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, _ := year.Resolve(kxSeedNow, "period")
	res := kxRun(t, s.eng, kxDirector, reports.KindActivityOutcomes, &year, "")
	want := map[string][]string{}
	for _, row := range kxPGRows(t, s, kxPGOutcomes, r.From, r.To) {
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
	kxSameForManager(t, s, reports.KindActivityOutcomes, &year, "")
}
