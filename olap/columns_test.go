package olap_test

import (
	"context"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// A column PostgreSQL gained while streaming: added once, idempotent,
// written and read back; names and types outside the whitelist refused.
func TestAddColumn(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	for i := 0; i < 2; i++ {
		if err := ch.DB.AddColumn(ctx, "deals", "discount_pct", "Nullable(Decimal(5, 2))"); err != nil {
			t.Fatalf("add column (round %d): %v", i+1, err)
		}
	}
	cols, _ := ch.DB.Columns(ctx, "deals")
	if last := cols[len(cols)-1]; last.Name != "discount_pct" || last.Type != "Nullable(Decimal(5, 2))" {
		t.Fatalf("last column %+v, want discount_pct Nullable(Decimal(5, 2))", last)
	}
	row := []any{int64(1), dec("12.50"), uint64(1)}
	if err := ch.DB.Insert(ctx, "deals", []string{"id", "discount_pct", "_version"}, [][]any{row}); err != nil {
		t.Fatal(err)
	}
	got := dec("0")
	if err := ch.DB.QueryRow(ctx, olap.SQL("SELECT discount_pct FROM "+ch.Database+".deals")).Scan(&got); err != nil || got.String() != "12.5" {
		t.Fatalf("discount_pct read back %s (%v), want 12.5", got, err)
	}
	bad := []struct{ table, name, typ, want string }{
		{"deals", "amount", "String", "is Decimal(18, 2)"},
		{"deals", "x; DROP TABLE deals", "String", "letters"},
		{"deals", "x", "String) ENGINE = Memory", "not a mirror type"},
		{"deals", "x", "Nullable(String", "not a mirror type"},
		{"deals.x", "x", "String", "letters"},
	}
	for _, b := range bad {
		if err := ch.DB.AddColumn(ctx, b.table, b.name, b.typ); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("AddColumn(%q, %q, %q) = %v, want an error with %q", b.table, b.name, b.typ, err, b.want)
		}
	}
}

func TestInsertRejectsBadInputNamingTheTable(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	cases := []struct {
		table string
		cols  []string
		row   []any
		want  string
	}{
		{"deals", []string{"id", "title"}, []any{"not a number", "x"}, "deals"},
		{"deals", []string{"id", "title"}, []any{int64(1)}, "row 0 has 1 values for 2 columns"},
		{"deals", []string{"id", "id"}, []any{int64(1), int64(1)}, "repeated column"},
		{"deals", []string{"id, title"}, []any{int64(1)}, "bad or repeated column"},
		{"deals; DROP TABLE deals", []string{"id"}, []any{int64(1)}, "letters"},
		{"no_such_table", []string{"id"}, []any{int64(1)}, "no_such_table"},
	}
	for _, c := range cases {
		err := ch.DB.Insert(ctx, c.table, c.cols, [][]any{c.row})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Insert(%q, %v, %v) = %v, want an error with %q", c.table, c.cols, c.row, err, c.want)
		}
	}
	var n uint64
	if err := ch.DB.QueryRow(ctx, olap.SQL("SELECT count() FROM "+ch.Database+".deals")).Scan(&n); err != nil || n != 0 {
		t.Fatalf("deals holds %d rows after refused inserts (%v), want 0", n, err)
	}
}
