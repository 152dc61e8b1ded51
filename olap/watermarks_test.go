package olap_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// A fresh copy's reach is unknown; written watermarks read back, a higher
// version replaces a lower one per table, a lower one (a replay of an
// older batch) changes nothing; the covered instant keeps its
// milliseconds (a DateTime alone would cut them: an answer up to a second
// older than it says).
func TestWatermarksRoundTrip(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	w, err := ch.DB.Watermarks(ctx)
	if err != nil || w.Known() || len(w.Tables) != 0 {
		t.Fatalf("fresh copy: %+v (%v), want unknown and no tables", w, err)
	}
	t1 := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Minute + 750*time.Millisecond)
	steps := []struct {
		tables  []string
		version uint64
		at      time.Time
	}{{[]string{"deals", "stage_changes"}, 10, t1}, {[]string{"deals"}, 20, t2}, {[]string{"deals", "stage_changes"}, 15, t1}}
	for _, s := range steps {
		if err := ch.DB.WriteWatermarks(ctx, s.tables, s.version, s.at); err != nil {
			t.Fatal(err)
		}
	}
	w, err = ch.DB.Watermarks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"deals": 20, "stage_changes": 15}
	if !w.Covered.Equal(t2) || !reflect.DeepEqual(w.Tables, want) {
		t.Errorf("got covered %s tables %v, want %s %v", w.Covered, w.Tables, t2, want)
	}
	if err := ch.DB.WriteWatermarks(ctx, nil, 30, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	if w, _ := ch.DB.Watermarks(ctx); w.Known() {
		t.Errorf("a reach marked unknown (epoch) reads as %s", w.Covered)
	}
}

// Recording names the tables a statement's text qualifies with the
// database, only those, and adds up across statements.
func TestRecordingNamesTablesRead(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	reads := &olap.Reads{}
	db := ch.DB.Recording(reads)
	for _, q := range []string{"SELECT count() FROM " + db.Table("deals") + " AS d ANY LEFT JOIN (SELECT id FROM " + db.Table("users") + ") USING id",
		"SELECT 1 FROM system.one", "SELECT count() FROM " + db.Table("deal_paths")} {
		rows, err := db.Query(ctx, olap.SQL(q))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		rows.Close()
	}
	if got, want := reads.Tables(), []string{"deal_paths", "deals", "users"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tables read %v, want %v", got, want)
	}
	if other := (&olap.Reads{}); len(other.Tables()) != 0 {
		t.Error("a new Reads is not empty")
	}
	if _, err := ch.DB.Query(ctx, olap.SQL("SELECT count() FROM "+ch.DB.Table("leads"))); err != nil {
		t.Fatal(err)
	}
	if len(reads.Tables()) != 3 {
		t.Error("the db that is not recording recorded a read")
	}
}
