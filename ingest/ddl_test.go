package ingest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// priorityDeals seeds n deals with an int column priority = id, the
// column the unsafe type changes below rewrite.
func (e *env) priorityDeals(n int) {
	e.t.Helper()
	e.seed(n)
	e.exec(`ALTER TABLE deals ADD COLUMN priority int`)
	e.exec(`UPDATE deals SET priority = id`)
}

// holdXID opens a transaction holding an xid: while it is open no
// logical slot can be created, so a rebuild waits (and its trouble lasts
// while a test looks). Rolled back at the test's end at the latest.
func (e *env) holdXID() pgx.Tx {
	e.t.Helper()
	ctx := context.Background()
	hold, err := e.pg.Pool.Begin(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { hold.Rollback(context.Background()) })
	if _, err := hold.Exec(ctx, `SELECT txid_current()`); err != nil {
		e.t.Fatal(err)
	}
	return hold
}

// schemaWait bounds the wait for a schema change that no row change
// carries (the poller runs every SchemaInterval: 2 s by default).
const schemaWait = 15 * time.Second

// chType is the ClickHouse type of table.column ("" when absent).
func (e *env) chType(table, column string) string {
	e.t.Helper()
	cols, err := e.ch.DB.Columns(context.Background(), table)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range cols {
		if c.Name == column {
			return c.Type
		}
	}
	return ""
}

// TestAlterTypeWidenedInPlace: int → bigint keeps every value, so the
// ClickHouse column is altered in place and the stream goes on.
func TestAlterTypeWidenedInPlace(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	e.exec(`INSERT INTO activities (type, subject, owner_id, deal_id, duration_s) SELECT 'call', 'звонок ' || i, 1, 1, i * 60 FROM generate_series(1, 4) i`)
	s, _ := e.start(e.config())
	e.waitSynced(syncTimeout, "activities")
	e.exec(`ALTER TABLE activities ALTER COLUMN duration_s TYPE bigint`)
	e.exec(`UPDATE activities SET duration_s = 5000000000 WHERE subject = 'звонок 1'`)
	e.exec(`INSERT INTO companies (name) VALUES ('после ALTER')`)
	e.waitSynced(syncTimeout, "activities", "companies")
	if got := e.chType("activities", "duration_s"); got != "Nullable(Int64)" {
		t.Fatalf("duration_s in ClickHouse is %q, want Nullable(Int64)", got)
	}
	if tr := s.Status().TablesInTrouble; len(tr) != 0 {
		t.Fatalf("tables in trouble after a safe change: %+v", tr)
	}
	// altered in place: never recorded for a rebuild
	if n := e.chStrings(`SELECT toString(count()) FROM ` + e.ch.Database + `.ingest_rebuilds WHERE slot = '` + e.slot + `'`); n[0] != "0" {
		t.Fatalf("%s rebuild records after a safe change", n[0])
	}
	e.verifyClean()
}

// TestAlterTypeUnsafeRebuilds: int → text with a USING that changes every
// value (PostgreSQL rewrites the table without a change in the stream).
// The table is rebuilt from a snapshot; while it waits, other tables keep
// streaming and the status names it; afterwards verify is clean.
func TestAlterTypeUnsafeRebuilds(t *testing.T) {
	e := newEnv(t)
	e.priorityDeals(4)
	s, _ := e.start(e.config())
	e.waitSynced(syncTimeout, "deals")

	hold := e.holdXID() // the rebuild's slot waits: the trouble lasts while the test looks

	e.exec(`ALTER TABLE deals ALTER COLUMN priority TYPE text USING 'p' || priority`)
	e.exec(`UPDATE deals SET priority = 'срочно', amount = 99 WHERE id = 1`)
	e.exec(`DELETE FROM deals WHERE id = 4`)
	for i := 0; i < 3; i++ {
		e.exec(`INSERT INTO companies (name) VALUES ($1)`, "пока deals ждёт "+strconv.Itoa(i))
	}
	e.waitSynced(syncTimeout, "companies")
	waitFor(t, syncTimeout, "deals in trouble", func() bool {
		tr := s.Status().TablesInTrouble
		return len(tr) == 1 && tr[0].Table == "deals" && strings.Contains(tr[0].Reason, "priority") && !tr[0].Since.IsZero()
	})
	if s.Healthy() != nil {
		t.Fatalf("one table in trouble made the stream unhealthy: %v", s.Healthy())
	}
	if err := hold.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE deals SET priority = 'после' WHERE id = 2`)
	e.waitSynced(syncTimeout, "deals", "companies")
	waitFor(t, syncTimeout, "deals out of trouble", func() bool { return len(s.Status().TablesInTrouble) == 0 })
	if got := e.chType("deals", "priority"); got != "Nullable(String)" {
		t.Fatalf("priority in ClickHouse is %q, want Nullable(String)", got)
	}
	e.exec(`UPDATE deals SET priority = 'ещё' WHERE id = 3`)
	e.waitSynced(syncTimeout, "deals")
	e.verifyClean()
}

// TestTroubleSurvivesRestart: the stream confirmed positions past the
// parked changes of a table in trouble and stopped before the rebuild;
// the next process finds the table recorded and rebuilds it.
func TestTroubleSurvivesRestart(t *testing.T) {
	e := newEnv(t)
	e.priorityDeals(3)
	s, stop := e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	hold := e.holdXID() // keeps the rebuild from taking its snapshot
	e.exec(`ALTER TABLE deals ALTER COLUMN priority TYPE text USING 'p' || priority`)
	e.exec(`UPDATE deals SET priority = 'срочно' WHERE id = 1`)
	waitFor(t, syncTimeout, "deals in trouble", func() bool { return len(s.Status().TablesInTrouble) == 1 })
	e.exec(`INSERT INTO companies (name) VALUES ('после')`)
	e.waitSynced(syncTimeout, "companies")
	walAfter := e.pgStrings(`SELECT pg_current_wal_lsn()::text`)[0]
	waitFor(t, syncTimeout, "the parked changes confirmed", func() bool {
		return e.pgStrings(`SELECT (confirmed_flush_lsn >= '` + walAfter + `')::text FROM pg_replication_slots WHERE slot_name = '` + e.slot + `'`)[0] == "true"
	})
	stop()
	if err := hold.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	s2, _ := e.start(e.config())
	e.waitSynced(syncTimeout, "deals", "companies")
	waitFor(t, syncTimeout, "deals out of trouble", func() bool { return len(s2.Status().TablesInTrouble) == 0 })
	e.verifyClean()
}

// TestReloadAfterUnsafeChange: a full reload (the slot dropped) copies a
// table whose column changed type while ingest was stopped; the copy
// replaces the ClickHouse column instead of failing on every attempt.
func TestReloadAfterUnsafeChange(t *testing.T) {
	e := newEnv(t)
	e.priorityDeals(3)
	_, stop := e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	stop()
	e.exec(`ALTER TABLE deals ALTER COLUMN priority TYPE text USING 'p' || priority`)
	waitFor(t, 10*time.Second, "the slot dropped", func() bool {
		return DropSlot(context.Background(), e.pg.URL, e.slot) == nil
	})
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	e.verifyClean()
}

// TestDropColumnFollowed: a column dropped in PostgreSQL is dropped in
// ClickHouse without a change of the table, so verify is clean.
func TestDropColumnFollowed(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	e.exec(`ALTER TABLE deals ADD COLUMN scratch int`)
	e.exec(`UPDATE deals SET scratch = id * 2`)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	e.exec(`ALTER TABLE deals DROP COLUMN scratch`)
	waitFor(t, schemaWait, "scratch dropped in ClickHouse", func() bool { return e.chType("deals", "scratch") == "" })
	e.exec(`UPDATE deals SET amount = amount + 1 WHERE id = 1`)
	e.waitSynced(syncTimeout, "deals")
	e.verifyClean()
}

// TestAddColumnDefaultBackfilled: ADD COLUMN … NOT NULL DEFAULT gives
// every existing row the default in PostgreSQL (without a change in the
// stream); ClickHouse's old rows must read it too, and the column must
// arrive without any row changing.
func TestAddColumnDefaultBackfilled(t *testing.T) {
	e := newEnv(t)
	e.seed(5)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	e.exec(`ALTER TABLE deals ADD COLUMN weight int NOT NULL DEFAULT 7`)
	e.exec(`ALTER TABLE deals ADD COLUMN label text NOT NULL DEFAULT 'новая ''метка'''`)
	waitFor(t, schemaWait, "both columns in ClickHouse", func() bool {
		return e.chType("deals", "weight") != "" && e.chType("deals", "label") != ""
	})
	n := e.pgStrings(`SELECT count(*)::text FROM deals`)[0]
	got := e.chStrings(`SELECT toString(count()) FROM ` + e.ch.Database + `.deals FINAL WHERE _deleted = 0 AND weight = 7 AND label = 'новая \'метка\''`)
	if n != "5" || got[0] != n {
		t.Fatalf("rows reading the defaults in ClickHouse: %s of %s", got[0], n)
	}
	e.exec(`UPDATE deals SET weight = 1 WHERE id = 1`)
	e.exec(`INSERT INTO deals (title, pipeline_id, stage_id, currency, responsible_id) SELECT 'новая', pipeline_id, stage_id, currency, responsible_id FROM deals WHERE id = 2`)
	e.waitSynced(syncTimeout, "deals")
	e.verifyClean()
}

// TestAddColumnArrivesWithoutChange: a nullable column reaches
// ClickHouse within a few seconds although no row changes.
func TestAddColumnArrivesWithoutChange(t *testing.T) {
	e := newEnv(t)
	e.seed(2)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	e.exec(`ALTER TABLE companies ADD COLUMN note text`)
	waitFor(t, schemaWait, "companies.note in ClickHouse", func() bool { return e.chType("companies", "note") == "Nullable(String)" })
	e.verifyClean()
}

// TestVolatileDefaultRebuilds: ADD COLUMN … DEFAULT random() gives each
// old row its own value (PostgreSQL rewrites the table): only a rebuild
// from a snapshot brings them.
func TestVolatileDefaultRebuilds(t *testing.T) {
	e := newEnv(t)
	e.seed(4)
	s, _ := e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	e.exec(`ALTER TABLE deals ADD COLUMN ticket int NOT NULL DEFAULT (random() * 1000000)::int`)
	e.waitSynced(syncTimeout, "deals")
	waitFor(t, syncTimeout, "deals out of trouble", func() bool { return len(s.Status().TablesInTrouble) == 0 })
	e.verifyClean()
}

// TestFrozenClickHouseUnhealthy: ClickHouse accepts connections but stops
// answering. Within the insert timeout the stream says it is unhealthy,
// and why; when ClickHouse answers again it catches up.
func TestFrozenClickHouseUnhealthy(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	cfg := e.config()
	cfg.InsertTimeout = time.Second
	p, s := e.streamThroughProxy(cfg)
	e.waitSynced(syncTimeout, "deals")
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	e.exec(`UPDATE deals SET amount = 2 WHERE id = 2`)
	e.waitSynced(syncTimeout, "deals") // streaming, not starting

	p.freeze()
	e.exec(`UPDATE deals SET amount = 1 WHERE id = 1`)
	// Without the timeout a frozen write never ends; the margin is for a
	// loaded machine (CI shares its cores with every other package).
	waitFor(t, cfg.InsertTimeout+30*time.Second, "unhealthy while ClickHouse is frozen", func() bool {
		st := s.Status()
		return !st.Healthy && strings.Contains(st.Error, "timeout")
	})
	p.thaw()
	e.waitSynced(syncTimeout, "deals")
	waitFor(t, syncTimeout, "healthy again", func() bool { return s.Healthy() == nil })
}
