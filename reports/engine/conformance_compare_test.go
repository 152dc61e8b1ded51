package engine

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// sameResult says how two engines' answers to one report differ ("" when
// they agree): the same columns, the same rows in any order, the same
// totals and meta; money to the cent, floats within 1e-9 relative.
// Used by the chDB conformance suite (conformance_chdb_test.go).
func sameResult(a, b *reports.Result) string {
	if !reflect.DeepEqual(a.Columns, b.Columns) {
		return fmt.Sprintf("columns differ:\n  %+v\n  %+v", a.Columns, b.Columns)
	}
	ma, mb := a.Meta, b.Meta
	if ma.RowCount != mb.RowCount || !ma.From.Equal(mb.From) || !ma.To.Equal(mb.To) || ma.Truncated != mb.Truncated {
		return fmt.Sprintf("meta differs: %+v vs %+v", ma, mb)
	}
	if len(a.Rows) != len(b.Rows) {
		return fmt.Sprintf("%d rows vs %d rows", len(a.Rows), len(b.Rows))
	}
	ra, rb := sortedRows(a.Rows), sortedRows(b.Rows)
	for i := range ra {
		if d := sameRow(ra[i], rb[i]); d != "" {
			return fmt.Sprintf("row %d: %s\n  %v\n  %v", i, d, ra[i], rb[i])
		}
	}
	if d := sameRow(a.Totals, b.Totals); d != "" {
		return "totals: " + d
	}
	return ""
}

// sameError says how two engines' failures differ: both must be the same
// application error (kind, code, field), or both foreign.
func sameError(a, b error) string {
	ea, eb := apperr.As(a), apperr.As(b)
	switch {
	case (a == nil) != (b == nil):
		return fmt.Sprintf("one engine failed: %.700v / %.700v", a, b)
	case ea == nil && eb == nil:
		return ""
	case ea == nil || eb == nil || ea.Kind != eb.Kind || ea.Code != eb.Code || ea.Field != eb.Field:
		return fmt.Sprintf("different errors: %v / %v", a, b)
	}
	return ""
}

func sameRow(a, b []any) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d cells vs %d", len(a), len(b))
	}
	for i := range a {
		if !sameCell(a[i], b[i]) {
			return fmt.Sprintf("cell %d: %v (%T) vs %v (%T)", i, a[i], a[i], b[i], b[i])
		}
	}
	return ""
}

func sameCell(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB {
		return math.Abs(fa-fb) <= 1e-9*math.Max(1, math.Max(math.Abs(fa), math.Abs(fb)))
	}
	ma, okA := a.(domain.Money)
	mb, okB := b.(domain.Money)
	if okA && okB {
		return ma.StringFixed(2) == mb.StringFixed(2)
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b) && fmt.Sprint(a) == fmt.Sprint(b)
}

// sortedRows orders rows by their text, floats rounded to 6 digits so
// that last-digit noise does not reorder them.
func sortedRows(rows [][]any) [][]any {
	out := append([][]any(nil), rows...)
	key := func(r []any) string {
		parts := make([]string, len(r))
		for i, c := range r {
			if f, ok := c.(float64); ok {
				parts[i] = fmt.Sprintf("%.6g", f)
			} else {
				parts[i] = fmt.Sprint(c)
			}
		}
		return strings.Join(parts, "\x1f")
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}
