package ingest

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// Dates a ClickHouse DateTime or Date cannot hold, written by plain SQL
// (the API refuses them), are clamped by the mirror to the nearest end and
// counted; ingest verify clamps PostgreSQL's side alike, so the mirror
// verifies clean instead of differing for good.
func TestClampedDatesVerifyClean(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	ctx := context.Background()
	e.exec(`INSERT INTO activities (type, subject, owner_id, done_at, due_at)
SELECT 'task', v.subject, (SELECT min(id) FROM users), v.done::timestamptz, v.due::timestamptz
FROM (VALUES ('год 1', '0001-01-01 00:00:00+00', NULL), ('1969', '1969-06-01 12:00:00+00', '2300-01-01 00:00:00+00'),
             ('9999', '9999-12-31 23:59:59+00', 'infinity'), ('в пределах', '2025-03-01 10:00:00+03', '2025-03-02 10:00:00+03'))
    AS v (subject, done, due)`)
	e.exec(`INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2200-01-01', 1), ('EUR', '1960-01-01', 2)`)
	before := clampedValues.Load()
	s, _ := e.start(e.config())
	waitFor(t, syncTimeout, "the activities in ClickHouse", func() bool {
		return s.Status().SnapshotDone && e.chStrings("SELECT toString(count()) FROM " + e.ch.DB.Table("activities") + " FINAL")[0] ==
			e.pgStrings("SELECT count(*)::text FROM activities")[0]
	})
	// Seven values out of range: 0001, 1969, 2300, 9999, infinity; dates 2200 and 1960.
	if n := clampedValues.Load() - before; n != 7 {
		t.Errorf("clamped %d values, want 7", n)
	}
	got := e.chStrings("SELECT concat(subject, ' ', toString(toUnixTimestamp(done_at))) FROM " + e.ch.DB.Table("activities") +
		" FINAL WHERE subject IN ('год 1', '9999') ORDER BY subject")
	want := []string{"9999 " + strconv.FormatInt(maxCHTime.Unix(), 10), "год 1 0"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("clamped values in ClickHouse %v, want %v", got, want)
	}
	rep, err := Verify(ctx, e.pg.Pool, e.ch.DB)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		var b strings.Builder
		rep.WriteText(&b)
		t.Errorf("verify differs on clamped dates: %v\n%s", rep.Failed(), b.String())
	}
}
