package ingest

import (
	"context"
	"testing"
)

func TestColumnAddedWhileStreaming(t *testing.T) {
	e := newEnv(t)
	e.seed(5)
	e.start(e.config())
	e.waitSynced(syncTimeout, "deals")
	e.exec(`ALTER TABLE deals ADD COLUMN priority int`)
	e.exec(`ALTER TABLE deals ADD COLUMN note text`)
	e.exec(`UPDATE deals SET priority = id * 10, note = 'важно' WHERE id <= 3`)
	e.exec(`INSERT INTO deals (title, pipeline_id, stage_id, currency, responsible_id, priority)
SELECT 'new', pipeline_id, stage_id, currency, responsible_id, 7 FROM deals WHERE id = 1`)
	e.waitSynced(syncTimeout, "deals")
	cols, err := e.ch.DB.Columns(context.Background(), "deals")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, c := range cols {
		types[c.Name] = c.Type
	}
	if types["priority"] != "Nullable(Int32)" || types["note"] != "Nullable(String)" {
		t.Fatalf("added columns: priority %q, note %q", types["priority"], types["note"])
	}
}

// TestUnchangedToastKeepsValue: an update that leaves a large (TOASTed)
// value alone sends it as "unchanged"; ClickHouse must keep it, whether
// the previous version is already there or in the same batch.
func TestUnchangedToastKeepsValue(t *testing.T) {
	e := newEnv(t)
	e.seed(2)
	e.start(e.config())
	big := `(SELECT string_agg(md5(i::text || $1::text), '') FROM generate_series(1, 300) i)`
	e.exec(`INSERT INTO activities (type, subject, owner_id, deal_id) SELECT 'call', `+big+`, 1, 1`, "a")
	e.waitSynced(syncTimeout, "activities")
	e.exec(`UPDATE activities SET duration_s = 60`) // subject unchanged: TOAST 'u'
	e.waitSynced(syncTimeout, "activities")
	e.exec(`BEGIN; INSERT INTO activities (type, subject, owner_id, deal_id) SELECT 'email', ` +
		`(SELECT string_agg(md5(i::text), '') FROM generate_series(1, 300) i), 1, 2; ` +
		`UPDATE activities SET done_at = now() WHERE type = 'email'; COMMIT`)
	e.waitSynced(syncTimeout, "activities")
	n := e.pgStrings(`SELECT count(*)::text FROM activities WHERE pg_column_size(subject) < length(subject)`)
	if n[0] != "0" {
		t.Fatalf("subjects compressed inline (%s rows): the test would not exercise TOAST", n[0])
	}
}
