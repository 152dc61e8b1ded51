package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// The conformance comparison catches each kind of difference and lets
// row order, money trailing zeros and float noise pass.
func TestSameResult(t *testing.T) {
	cols := []reports.Column{{Key: "k", Type: reports.TypeString}, {Key: "amount_sum", Type: reports.TypeMoney}, {Key: "r", Type: reports.TypeNumber}}
	base := func() *reports.Result {
		return &reports.Result{Columns: cols, Meta: reports.Meta{RowCount: 2},
			Rows:   [][]any{{"a", domain.NewMoney("10.50"), 0.1 + 0.2}, {"b", domain.NewMoney("1"), 2.0}},
			Totals: []any{nil, domain.NewMoney("11.5"), 2.3}}
	}
	same := base()
	same.Rows = [][]any{{"b", domain.NewMoney("1.00"), 2.0}, {"a", domain.NewMoney("10.5"), 0.3}}
	if d := sameResult(base(), same); d != "" {
		t.Errorf("equal answers reported as different: %s", d)
	}
	for name, edit := range map[string]func(r *reports.Result){
		"money":     func(r *reports.Result) { r.Rows[0][1] = domain.NewMoney("10.51") },
		"float":     func(r *reports.Result) { r.Rows[1][2] = 2.000001 },
		"text":      func(r *reports.Result) { r.Rows[1][0] = "B" },
		"type":      func(r *reports.Result) { r.Rows[1][2] = int64(2) },
		"row gone":  func(r *reports.Result) { r.Rows = r.Rows[:1] },
		"totals":    func(r *reports.Result) { r.Totals[1] = domain.NewMoney("11.49") },
		"no totals": func(r *reports.Result) { r.Totals = nil },
		"column": func(r *reports.Result) {
			r.Columns = append([]reports.Column{}, cols...)
			r.Columns[2].Type = reports.TypeMoney
		},
		"meta": func(r *reports.Result) { r.Meta.Truncated = true },
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
