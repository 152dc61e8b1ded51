package olap_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

func TestWidensAndHolds(t *testing.T) {
	cases := []struct {
		from, to      string
		widens, holds bool // from → to in place; a from column holds to's values
	}{
		{"Int32", "Int64", true, false},
		{"Nullable(Int32)", "Nullable(Int64)", true, false},
		{"Nullable(Int32)", "Int64", true, false}, // stays Nullable
		{"Int16", "Int32", true, false},
		{"Float32", "Float64", true, false},
		{"Int32", "Nullable(Int32)", true, false},
		{"Int64", "Int32", false, true},
		{"Nullable(Int64)", "Int32", false, true},
		{"Nullable(Int32)", "Int32", true, true},
		{"Int32", "Int32", false, true},
		{"Int32", "String", false, false},
		{"String", "Int32", false, false},
		{"Decimal(18, 2)", "Decimal(18, 4)", false, false},
		{"Int64", "Nullable(Int32)", false, false},
	}
	for _, c := range cases {
		if got := olap.Widens(c.from, c.to); got != c.widens {
			t.Errorf("Widens(%s, %s) = %v, want %v", c.from, c.to, got, c.widens)
		}
		if got := olap.Holds(c.from, c.to); got != c.holds {
			t.Errorf("Holds(%s, %s) = %v, want %v", c.from, c.to, got, c.holds)
		}
	}
}

// The column changes ingest makes, on the real server: a widened column
// keeps its values, an added column's default is what old rows read,
// drops are idempotent.
func TestAlterColumns(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	db := ch.DB
	row := []any{int64(1), "первая", uint64(1)}
	if err := db.Insert(ctx, "deals", []string{"id", "title", "_version"}, [][]any{row}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddColumn(ctx, "deals", "prio", "Nullable(Int32)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Insert(ctx, "deals", []string{"id", "prio", "_version"}, [][]any{{int64(2), int32(-5), uint64(2)}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := db.ModifyColumn(ctx, "deals", "prio", "Nullable(Int64)"); err != nil {
			t.Fatalf("modify (round %d): %v", i+1, err)
		}
		if err := db.ModifyColumn(ctx, "deals", "title", "Nullable(String)"); err != nil { // DROP NOT NULL
			t.Fatalf("modify title (round %d): %v", i+1, err)
		}
	}
	defs := []struct {
		name, typ string
		def       any
		want      string // toString of the column in the old rows
	}{
		{"weight", "Int32", int32(7), "7"},
		{"label", "String", "новая 'метка'", "новая 'метка'"},
		{"rate", "Decimal(9, 2)", "12.50", "12.50"},
		{"due", "DateTime('UTC')", time.Date(2026, 3, 31, 9, 30, 0, 0, time.UTC), "2026-03-31 09:30:00"},
		{"gone", "Nullable(String)", nil, "∅"},
	}
	for _, d := range defs {
		for i := 0; i < 2; i++ {
			if err := db.AddColumnDefault(ctx, "deals", d.name, d.typ, d.def); err != nil {
				t.Fatalf("add %s (round %d): %v", d.name, i+1, err)
			}
		}
	}
	got, err := testenv.CHTexts(ctx, db, "SELECT concat(toString(id), '|', ifNull(toString(prio), '∅'), '|', ifNull(title, '∅'), '|', toString(weight), '|', label, '|', "+
		"toString(rate), '|', toString(due), '|', ifNull(gone, '∅')) FROM "+ch.Database+".deals ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	// 18.16 prints 12.50, current releases 12.5; the title of row 2 was
	// left out of its insert: String's default, not NULL
	want := []string{"1|∅|первая|7|новая 'метка'|12.50|2026-03-31 09:30:00|∅", "2|-5||7|новая 'метка'|12.50|2026-03-31 09:30:00|∅"}
	if len(got) != 2 || (got[0] != want[0] && got[0] != strings.Replace(want[0], "12.50", "12.5", 1)) ||
		(got[1] != want[1] && got[1] != strings.Replace(want[1], "12.50", "12.5", 1)) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	for i := 0; i < 2; i++ {
		if err := db.DropColumn(ctx, "deals", "gone"); err != nil {
			t.Fatalf("drop (round %d): %v", i+1, err)
		}
	}
	cols, _ := db.Columns(ctx, "deals")
	types := map[string]string{}
	for _, c := range cols {
		types[c.Name] = c.Type
	}
	if _, ok := types["gone"]; ok || types["prio"] != "Nullable(Int64)" || types["weight"] != "Int32" || types["title"] != "Nullable(String)" {
		t.Fatalf("columns after the changes: %v", types)
	}
	if err := db.DropColumn(ctx, "deals", "_version"); err == nil {
		t.Fatal("dropping _version was allowed")
	}
}
