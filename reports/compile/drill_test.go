package compile

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// drillSQL compiles a drill of def's cell for p and returns the list's
// and the count's text and arguments.
func drillSQL(t *testing.T, p domain.Principal, def, cell string, opts DrillOptions) (list, count string, args []any) {
	t.Helper()
	d, err := reports.ParseDefinition([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := NewPlan(d, goldenNow)
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]json.RawMessage
	if err := json.Unmarshal([]byte(cell), &c); err != nil {
		t.Fatal(err)
	}
	dr, err := pl.Drill(goldenDB, p, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return dr.Rows.SQL, dr.Count.SQL, dr.Rows.Args
}

// The drill's SQL: the cell's values are bound, never in the text; the
// dimension's own grain expression in the report's zone is compared; the
// number's filters, period and access are in both statements; the list
// is limited before the joins only when nothing waits for them.
func TestDrillSQLShape(t *testing.T) {
	manager := domain.Principal{UserID: 42, Role: domain.RoleManager}
	const def = `{"dataset":"deals","dimensions":[{"field":"title"},{"field":"created_at","grain":"month"},{"field":"stage_name"}],
		"measures":[{"agg":"count"}],"filters":[{"field":"currency","op":"eq","value":"USD"}],"period":{"preset":"this_year"}}`
	const evil = `'; DROP TABLE deals; --`
	list, count, args := drillSQL(t, manager, def, `{"title":"`+evil+`","created_at_month":"2026-03-01"}`, DrillOptions{})
	for _, sql := range []string{list, count} {
		for _, want := range []string{"title = ?", "toStartOfMonth(created_at, ?) = toDate(?)", "currency = ?", "created_at >= ?",
			"responsible_id = ?", "deal_observers"} {
			if !strings.Contains(sql, want) {
				t.Errorf("lacks %q:\n%s", want, sql)
			}
		}
		if strings.Contains(sql, "DROP") || strings.Contains(sql, "2026-03-01") {
			t.Errorf("a cell value is in the text:\n%s", sql)
		}
	}
	for _, want := range []any{evil, "Europe/Moscow", "2026-03-01", "USD", int64(42)} {
		if !slices.Contains(args, want) {
			t.Errorf("arguments %v lack %v", args, want)
		}
	}
	if !strings.Contains(list, "ORDER BY id LIMIT 10000") {
		t.Errorf("a list by id with no condition after the joins is limited before them:\n%s", list)
	}
	list, _, _ = drillSQL(t, manager, def, `{"stage_name":null}`, DrillOptions{Limit: 5})
	if !strings.Contains(list, "isNull(stage_name)") || strings.Contains(list, "ORDER BY id LIMIT") || !strings.HasSuffix(list, "ORDER BY r0 LIMIT 5") {
		t.Errorf("a null cell of a looked-up field is checked after the joins, and the list limited there:\n%s", list)
	}
	list, _, _ = drillSQL(t, manager, def, `{}`, DrillOptions{Sort: []reports.Sort{{By: "amount", Desc: true}}})
	if strings.Contains(list, "ORDER BY id") || !strings.HasSuffix(list, "ORDER BY r6 DESC, r0 LIMIT 10000") {
		t.Errorf("a sort by a looked-up field sorts after the joins, then by id:\n%s", list)
	}
}

// Every dataset lists an id first, and only its own fields.
func TestRecordKeys(t *testing.T) {
	for _, key := range []string{"deals", "leads", "activities", "invoices", "payments", "companies", "stage_changes"} {
		rec, err := NewRecords(key, nil, "", DrillOptions{})
		if err != nil {
			t.Fatal(err)
		}
		keys := RecordKeys(rec.pl.ds)
		if len(keys) < 4 || keys[0] != "id" {
			t.Errorf("%s lists %v", key, keys)
		}
	}
}
