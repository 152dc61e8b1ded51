package ingest

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// A deal's expected close date (issue 17) streams into the deals mirror
// and into deal_facts: set on some deals, changed, cleared, each state
// the same in ClickHouse as the dates written here.
func TestExpectedCloseStream(t *testing.T) {
	e := newEnv(t)
	e.seed(4)
	e.exec(`UPDATE deals SET expected_close_at = date '2025-06-30' WHERE id = (SELECT min(id) FROM deals)`)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	ids := e.pgStrings(`SELECT id::text FROM deals ORDER BY id`)
	if len(ids) != 4 {
		t.Fatalf("deals = %v, want 4", ids)
	}
	// what ClickHouse should hold, by deal id: written here, not read back from PostgreSQL
	want := map[string]string{ids[0]: "2025-06-30"}
	e.wantCloseDates(want, "after the initial load")

	e.exec(`UPDATE deals SET expected_close_at = date '2026-02-28' WHERE id = $1::bigint`, ids[1])
	e.exec(`UPDATE deals SET expected_close_at = date '2025-12-31' WHERE id = $1::bigint`, ids[2])
	e.exec(`UPDATE deals SET expected_close_at = NULL WHERE id = $1::bigint`, ids[0])
	want = map[string]string{ids[1]: "2026-02-28", ids[2]: "2025-12-31"}
	e.wantCloseDates(want, "after the updates")
}

// wantCloseDates waits until deals and deal_facts in ClickHouse give every deal
// of ids want's date (none: NULL).
func (e *env) wantCloseDates(want map[string]string, when string) {
	e.t.Helper()
	ids := e.pgStrings(`SELECT id::text FROM deals ORDER BY id`)
	var lines []string
	for _, id := range ids {
		d, ok := want[id]
		if !ok {
			d = "NULL"
		}
		lines = append(lines, id+" "+d)
	}
	sort.Strings(lines) // as chStrings sorts
	wantText := strings.Join(lines, ",")
	var got [2]string
	for deadline := time.Now().Add(syncTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for i, table := range []string{"deals", "deal_facts"} {
			got[i] = strings.Join(e.chStrings(`SELECT concat(toString(id), ' ', ifNull(toString(expected_close_at), 'NULL'))
FROM `+e.ch.Database+`.`+table+` FINAL WHERE _deleted = 0`), ",")
		}
		if got[0] == wantText && got[1] == wantText {
			return
		}
	}
	e.t.Fatalf("%s: expected_close_at in ClickHouse\n  deals:      %s\n  deal_facts: %s\n  want:       %s", when, got[0], got[1], wantText)
}
