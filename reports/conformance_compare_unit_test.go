package reports

import (
	"errors"
	"strings"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// The conformance comparison catches each kind of difference and lets
// row order, money trailing zeros and float noise pass.
func TestSameResult(t *testing.T) {
	cols := []Column{{Key: "k", Type: TypeString}, {Key: "amount_sum", Type: TypeMoney}, {Key: "r", Type: TypeNumber}}
	base := func() *Result {
		return &Result{Columns: cols, Meta: Meta{RowCount: 2},
			Rows:   [][]any{{"a", domain.NewMoney("10.50"), 0.1 + 0.2}, {"b", domain.NewMoney("1"), 2.0}},
			Totals: []any{nil, domain.NewMoney("11.5"), 2.3}}
	}
	same := base()
	same.Rows = [][]any{{"b", domain.NewMoney("1.00"), 2.0}, {"a", domain.NewMoney("10.5"), 0.3}}
	if d := sameResult(base(), same); d != "" {
		t.Errorf("equal answers reported as different: %s", d)
	}
	for name, edit := range map[string]func(r *Result){
		"money":     func(r *Result) { r.Rows[0][1] = domain.NewMoney("10.51") },
		"float":     func(r *Result) { r.Rows[1][2] = 2.000001 },
		"text":      func(r *Result) { r.Rows[1][0] = "B" },
		"type":      func(r *Result) { r.Rows[1][2] = int64(2) },
		"row gone":  func(r *Result) { r.Rows = r.Rows[:1] },
		"totals":    func(r *Result) { r.Totals[1] = domain.NewMoney("11.49") },
		"no totals": func(r *Result) { r.Totals = nil },
		"column":    func(r *Result) { r.Columns = append([]Column{}, cols...); r.Columns[2].Type = TypeMoney },
		"meta":      func(r *Result) { r.Meta.Truncated = true },
	} {
		other := base()
		edit(other)
		if d := sameResult(base(), other); d == "" {
			t.Errorf("%s: difference not reported", name)
		}
	}
	invalid := &apperr.Error{Kind: apperr.Invalid, Code: "x", Field: "f"}
	if sameError(invalid, &apperr.Error{Kind: apperr.Invalid, Code: "x", Field: "f"}) != "" ||
		sameError(invalid, &apperr.Error{Kind: apperr.Invalid, Code: "x", Field: "g"}) == "" ||
		sameError(invalid, nil) == "" || !strings.Contains(sameError(errors.New("a"), nil), "one engine") {
		t.Error("sameError misjudges")
	}
}
