package reports

import (
	"reflect"
	"testing"
)

// Select keeps the named columns in the order named, in every row and
// the totals, and leaves out a key the result lacks.
func TestResultSelect(t *testing.T) {
	r := &Result{Columns: []Column{{Key: "a"}, {Key: "b"}, {Key: "c"}},
		Rows: [][]any{{1, 2, 3}, {4, 5, 6}}, Totals: []any{nil, 7, 9}, Meta: Meta{RowCount: 2}}
	got := r.Select("c", "missing", "a")
	if keys := []string{got.Columns[0].Key, got.Columns[1].Key}; len(got.Columns) != 2 || !reflect.DeepEqual(keys, []string{"c", "a"}) {
		t.Fatalf("columns %v", got.Columns)
	}
	if !reflect.DeepEqual(got.Rows, [][]any{{3, 1}, {6, 4}}) || !reflect.DeepEqual(got.Totals, []any{9, nil}) || got.Meta.RowCount != 2 {
		t.Errorf("rows %v totals %v meta %v", got.Rows, got.Totals, got.Meta)
	}
	if r.Rows[0][0] != 1 {
		t.Error("Select changed the original")
	}
	if (&Result{Columns: r.Columns}).Select("a").Totals != nil {
		t.Error("no totals should stay no totals")
	}
}
