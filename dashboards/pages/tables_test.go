package pages

import (
	"strconv"
	"testing"

	"github.com/voronka/voronka/reports"
)

// A dashboard table shows its first dashRows rows and says how many the
// result has; a result that fits is shown whole, with no note.
func TestViewTableUpTo(t *testing.T) {
	res := &reports.Result{Columns: []reports.Column{{Key: "n", Type: reports.TypeInteger}}}
	for i := range dashRows + 10 {
		res.Rows = append(res.Rows, []any{int64(i)})
	}
	tv := viewTableUpTo(res, dashRows, messages.Translator("ru"))
	if len(tv.Rows) != dashRows || tv.Rows[dashRows-1][0] != strconv.Itoa(dashRows-1) {
		t.Fatalf("%d rows shown, last %v; want the first %d", len(tv.Rows), tv.Rows[len(tv.Rows)-1], dashRows)
	}
	if want := "Показаны 50 строк из 60; в XLSX — все."; tv.Note != want {
		t.Errorf("note %q, want %q", tv.Note, want)
	}
	res.Rows = res.Rows[:dashRows]
	if tv := viewTableUpTo(res, dashRows, messages.Translator("en")); len(tv.Rows) != dashRows || tv.Note != "" {
		t.Errorf("a fitting table: %d rows, note %q", len(tv.Rows), tv.Note)
	}
}
