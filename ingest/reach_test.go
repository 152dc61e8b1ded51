package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/olap"
)

// The copy's reach follows the stream: after the initial load every
// mirrored table (and deal_paths) has a version and the stream is covered;
// a streamed change advances exactly the tables it touched (a stage change
// its deal's path too), and the covered instant reaches the commit; idle,
// the covered instant keeps up with the clock.
func TestReachFollowsTheStream(t *testing.T) {
	e := newEnv(t)
	e.seed(5)
	ctx := context.Background()
	s, _ := e.start(e.config())
	e.waitSynced(syncTimeout, mirrored()...)
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	loaded, err := e.ch.DB.Watermarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range append(mirrored(), olap.DealPathsTable) {
		if loaded.Tables[table] == 0 {
			t.Errorf("after the load %s has no version", table)
		}
	}
	if !loaded.Known() {
		t.Fatal("after the load the reach is unknown")
	}

	e.exec(`INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, d.stage_id, now() FROM deals d ORDER BY d.id LIMIT 1`)
	committed := time.Now()
	e.waitSynced(syncTimeout, "stage_changes")
	var moved olap.Watermarks
	waitFor(t, syncTimeout, "the watermarks of the change", func() bool {
		moved, err = e.ch.DB.Watermarks(ctx)
		return err == nil && moved.Tables["stage_changes"] > loaded.Tables["stage_changes"]
	})
	if moved.Tables[olap.DealPathsTable] <= loaded.Tables[olap.DealPathsTable] {
		t.Error("a stage change did not advance deal_paths")
	}
	for _, table := range []string{"deals", "companies", "users", "stages"} {
		if moved.Tables[table] != loaded.Tables[table] {
			t.Errorf("%s changed version (%d → %d) though nothing touched it", table, loaded.Tables[table], moved.Tables[table])
		}
	}
	if moved.Covered.Before(committed.Add(-5 * time.Second)) {
		t.Errorf("covered %s, well before the commit at %s", moved.Covered, committed)
	}

	idleSince := time.Now()
	waitFor(t, 10*time.Second, "an idle stream covering the clock", func() bool {
		w, err := e.ch.DB.Watermarks(ctx)
		return err == nil && w.Covered.After(idleSince)
	})
	if st := s.Status(); st.CoveredAt.Before(idleSince) {
		t.Errorf("status covered_at %s, want after %s", st.CoveredAt, idleSince)
	}
}

// A stream started on a backlog claims no instant it has not reached:
// while the walsender works through committed changes the stream has
// nothing pending between them, and the server's keepalives carry its
// clock — yet until the backlog's last change is in ClickHouse, neither
// the status nor the watermarks may say the copy covers a time after its
// commit.
func TestReachWaitsForTheBacklog(t *testing.T) {
	e := newEnv(t)
	e.seed(20000)
	ctx := context.Background()
	s, stop := e.start(e.config())
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	stop()
	for i := 0; i < 5; i++ {
		e.exec(`UPDATE deals SET amount = amount + 1`)
	}
	e.exec(`UPDATE deals SET title = 'последняя правка' WHERE id = 20000`)
	committed := e.pgStrings(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)[0]
	after, err := time.Parse(time.RFC3339Nano, committed)
	if err != nil {
		t.Fatal(err)
	}
	last := "SELECT toString(count()) FROM " + e.ch.Database + ".deals FINAL WHERE id = 20000 AND title = 'последняя правка'"
	s, _ = e.start(e.config())
	claims := 0
	waitFor(t, 2*syncTimeout, "the backlog in ClickHouse", func() bool {
		st := s.Status()
		w, err := e.ch.DB.Watermarks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		in := e.chStrings(last)[0] == "1"
		if !in && (st.CoveredAt.After(after) || w.Covered.After(after)) {
			t.Fatalf("the copy claims to cover %s (status) / %s (watermarks), after the backlog's last commit at %s, which it does not hold yet",
				st.CoveredAt, w.Covered, after)
		}
		claims++
		return in
	})
	t.Logf("%d looks while the backlog streamed", claims)
	waitFor(t, 10*time.Second, "the covered instant past the backlog", func() bool { return s.Status().CoveredAt.After(after) })
}
