package ingest

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDealPathsFollowStream checks that deal_paths, which the funnel
// reads instead of stage_changes, equals every deal's path computed on
// PostgreSQL from its stage_changes: after the initial load, after
// streamed inserts and deletes, and after a truncate and refill.
func TestDealPathsFollowStream(t *testing.T) {
	e := newEnv(t)
	e.seed(8)
	e.moves(1, 5, "2024-02-01 10:00:00+03")
	e.start(e.config())
	e.waitPaths()

	e.moves(3, 8, "2024-03-01 09:00:00+03") // a second change for 3..5, the first for 6..8
	e.exec(`BEGIN; ` + moveSQL(7, 7, "2024-03-01 09:00:00+03") + `; ` + moveSQL(2, 2, "2024-01-15 09:00:00+03") + `; COMMIT`)
	e.exec(`DELETE FROM stage_changes WHERE deal_id = 4`)
	e.exec(`DELETE FROM stage_changes WHERE deal_id = 5 AND changed_at > '2024-02-15'`)
	e.waitPaths()

	e.exec(`BEGIN; TRUNCATE stage_changes; ` + moveSQL(6, 6, "2024-04-01 12:00:00+03") + `; COMMIT`)
	e.waitPaths()
}

// TestDealFactsFollowStream checks that deal_facts, which the funnel, the
// stage percentages and the manager figures read, equals every deal's
// facts computed on PostgreSQL — current stage, responsible, amount in
// roubles at the rate of the creation date in Moscow (half up to the
// kopeck), the path's stages entered and left — after the initial load,
// after streamed moves, a deal's update and deletion, a rate change (it
// reaches every deal in that currency), a rate added and corrected for a
// past day, and a truncate of the history.
func TestDealFactsFollowStream(t *testing.T) {
	e := newEnv(t)
	e.seed(8)
	e.moves(1, 5, "2024-02-01 10:00:00+03")
	e.exec(`UPDATE deals SET currency = 'USD' WHERE id IN (3, 4)`)
	e.start(e.config())
	e.waitFacts()

	e.moves(3, 8, "2024-03-01 09:00:00+03")
	e.exec(`DELETE FROM stage_changes WHERE deal_id = 5`)
	e.exec(`UPDATE deals SET amount = amount + 1000.05, responsible_id = (SELECT min(id) FROM users) WHERE id = 2`)
	e.exec(`BEGIN; UPDATE leads SET deal_id = NULL WHERE deal_id = 8; DELETE FROM deals WHERE id = 8; COMMIT`)
	e.waitFacts()

	e.exec(`UPDATE currency_rates SET rate = rate * 1.1 WHERE code = 'USD'`)
	e.waitFacts()
	// a rate added for the deals' past day (2024-01-01 in Moscow), one
	// after it (which they must not take), then the first corrected
	e.exec(`INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-01-01', 95.12345678), ('USD', '2024-01-02', 50)`)
	e.waitFacts()
	e.exec(`UPDATE currency_rates SET rate = 96.5 WHERE code = 'USD' AND valid_from = '2024-01-01'`)
	e.waitFacts()

	e.exec(`BEGIN; TRUNCATE stage_changes; ` + moveSQL(6, 6, "2024-04-01 12:00:00+03") + `; COMMIT`)
	e.waitFacts()
}

// waitFacts polls until deal_facts (live deals) equals the facts
// PostgreSQL computes, or fails showing both.
func (e *env) waitFacts() {
	e.t.Helper()
	pg := `SELECT d.id || ':' || d.stage_id || ':' || d.responsible_id || ':' ||
       round(d.amount * coalesce((SELECT r.rate FROM currency_rates r WHERE r.code = d.currency
                                  AND r.valid_from <= (d.created_at AT TIME ZONE 'Europe/Moscow')::date
                                  ORDER BY r.valid_from DESC LIMIT 1), 0), 2) || ':' ||
       coalesce((SELECT string_agg(s.to_stage_id || '<' || coalesce(s.from_stage_id, 0), ',' ORDER BY s.changed_at, s.id)
                 FROM stage_changes s WHERE s.deal_id = d.id), '')
FROM deals d ORDER BY d.id`
	ch := `SELECT concat(toString(id), ':', toString(stage_id), ':', toString(responsible_id), ':', toString(rub), ':',
       arrayStringConcat(arrayMap((s, f) -> concat(toString(s), '<', toString(f)), stages, froms), ','))
FROM ` + e.ch.Database + `.deal_facts FINAL WHERE _deleted = 0 ORDER BY id`
	var want, got []string
	for deadline := time.Now().Add(syncTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		want, got = e.pgStrings(pg), e.chStrings(ch)
		if len(want) > 0 && strings.Join(want, "\n") == strings.Join(got, "\n") {
			return
		}
	}
	e.t.Fatalf("deal_facts differ from PostgreSQL's facts:\n  pg: %s\n  ch: %s", strings.Join(want, " "), strings.Join(got, " "))
}

// moves adds one stage change into 'first_contact' at `at` for deals from..to.
func (e *env) moves(from, to int, at string) { e.t.Helper(); e.exec(moveSQL(from, to, at)) }

func moveSQL(from, to int, at string) string {
	return strings.NewReplacer("$from", itoa(from), "$to", itoa(to), "$at", at).Replace(`
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, d.stage_id, s.id, timestamptz '$at' + d.id * interval '1 minute'
FROM deals d JOIN stages s ON s.pipeline_id = d.pipeline_id AND s.code = 'first_contact'
WHERE d.id BETWEEN $from AND $to`)
}

func itoa(n int) string { return strconv.Itoa(n) }

// waitPaths polls until deal_paths (non-empty paths) equals the paths
// PostgreSQL computes, or fails showing both.
func (e *env) waitPaths() {
	e.t.Helper()
	pg := `SELECT deal_id || ':' || string_agg(to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '/' || id || '/' || to_stage_id, ',' ORDER BY changed_at, id)
FROM stage_changes GROUP BY deal_id`
	ch := `SELECT concat(toString(deal_id), ':', arrayStringConcat(arrayMap((t, i, s) -> concat(toString(t), '/', toString(i), '/', toString(s)), times, ids, stages), ','))
FROM ` + e.ch.Database + `.deal_paths FINAL WHERE length(stages) > 0`
	var want, got []string
	for deadline := time.Now().Add(syncTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		want, got = e.pgStrings(pg), e.chStrings(ch)
		if len(want) > 0 && strings.Join(want, "\n") == strings.Join(got, "\n") {
			return
		}
	}
	e.t.Fatalf("deal_paths differ from PostgreSQL's paths:\n  pg: %s\n  ch: %s", head(want), head(got))
}
