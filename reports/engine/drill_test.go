package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// drillDef parses a definition (JSON) and a cell (JSON object).
func drillDef(t *testing.T, def, cell string) (*reports.Definition, map[string]json.RawMessage) {
	t.Helper()
	d, err := reports.ParseDefinition([]byte(def))
	if err != nil {
		t.Fatalf("parse %s: %v", def, err)
	}
	var c map[string]json.RawMessage
	if err := json.Unmarshal([]byte(cell), &c); err != nil {
		t.Fatalf("cell %s: %v", cell, err)
	}
	return d, c
}

// drilled drills def's cell as p and returns the listed ids, failing
// unless meta.total is their number and no row is cut off.
func drilled(t *testing.T, eng *Engine, p domain.Principal, def, cell string) []int64 {
	t.Helper()
	d, c := drillDef(t, def, cell)
	res, err := eng.Drill(context.Background(), p, kinds.DrillRequest{Definition: d, Cell: c})
	if err != nil {
		t.Fatalf("drill %s %s: %v", def, cell, err)
	}
	return drillResultIDs(t, res)
}

// drillResultIDs are the id column of a drill, in its order; meta.total
// must be their number.
func drillResultIDs(t *testing.T, res *kinds.DrillResult) []int64 {
	t.Helper()
	col := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "id" })
	if col < 0 {
		t.Fatalf("no id column in %+v", res.Columns)
	}
	ids := []int64{}
	for _, r := range res.Rows {
		ids = append(ids, r[col].(int64))
	}
	if res.Meta.Total != int64(len(ids)) || res.Meta.Truncated {
		t.Errorf("meta.total %d (truncated %v) for %d rows", res.Meta.Total, res.Meta.Truncated, len(ids))
	}
	return ids
}

// answerCount is the count the answer shows for cell: a pivot's cell,
// row, column or grand total; without a pivot the rows matching the
// cell added up (the totals row for {}).
func answerCount(t *testing.T, res *reports.Result, pivotDim, cell string) int64 {
	t.Helper()
	var c map[string]any
	json.Unmarshal([]byte(cell), &c)
	countKey := "count"
	if v, ok := c[pivotDim]; ok && pivotDim != "" {
		countKey += "|" + fmt.Sprint(v)
		delete(c, pivotDim)
	}
	idx := func(key string) int {
		i := slices.IndexFunc(res.Columns, func(col reports.Column) bool { return col.Key == key })
		if i < 0 {
			t.Fatalf("answer has no column %s", key)
		}
		return i
	}
	if len(c) == 0 {
		return res.Totals[idx(countKey)].(int64)
	}
	var n int64
	for _, r := range res.Rows {
		match := true
		for k, v := range c {
			a, _ := json.Marshal(r[idx(k)])
			b, _ := json.Marshal(v)
			match = match && string(a) == string(b)
		}
		if match && r[idx(countKey)] != nil {
			n += r[idx(countKey)].(int64)
		}
	}
	return n
}

// TestDrillGroupedByHand drills cells, totals and pivot cells of
// January on the hand-built fixture (funnel_fixture_test.go's story) and
// compares the ids with those worked out there, and their number with
// the answer's.
func TestDrillGroupedByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	const jan = `"period":{"from":"2025-01-01","to":"2025-01-31"}`
	const byKind = `{"dataset":"deals","dimensions":[{"field":"responsible"},{"field":"stage_kind"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],` + jan + `}`
	const pivot = `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"}],"pivot":{"columns":["stage_kind"]},` + jan + `}`
	const byReason = `{"dataset":"deals","dimensions":[{"field":"lost_reason"},{"field":"company"}],"measures":[{"agg":"count"}],` + jan + `}`
	cases := []struct {
		name, def, pivot, cell string
		as                     domain.Principal
		want                   []int64
	}{
		{"grouped cell: M1's open deals", byKind, "", `{"responsible":101,"stage_kind":"open"}`, kxDirector, []int64{2, 3}},
		{"grouped cell on a looked-up field only", byKind, "", `{"stage_kind":"lost"}`, kxDirector, []int64{4, 7}},
		{"grouped total of one dimension", byKind, "", `{"responsible":102}`, kxDirector, []int64{4, 5, 6}},
		{"grand total: January leaves D8 out", byKind, "", `{}`, kxDirector, []int64{1, 2, 3, 4, 5, 6, 7}},
		{"a manager's grand total: own and observed", byKind, "", `{}`, kxM2, []int64{1, 4, 5, 6}},
		{"a manager's cell of another's deals: the observed one only", byKind, "", `{"responsible":101}`, kxM2, []int64{1}},
		{"pivot cell", pivot, "stage_kind", `{"responsible_name":"Иванов Иван","stage_kind":"lost"}`, kxDirector, []int64{7}},
		{"pivot column total", pivot, "stage_kind", `{"stage_kind":"open"}`, kxDirector, []int64{2, 3, 5, 6}},
		{"pivot row total", pivot, "stage_kind", `{"responsible_name":"Петрова Анна"}`, kxDirector, []int64{4, 5, 6}},
		{"pivot grand total", pivot, "stage_kind", `{}`, kxDirector, []int64{1, 2, 3, 4, 5, 6, 7}},
		{"null drills to the empty rows", byReason, "", `{"lost_reason":null}`, kxDirector, []int64{1, 2, 3, 5, 6}},
		{"null of a looked-up field", byReason, "", `{"lost_reason":"Дорого","company":null}`, kxDirector, []int64{4}},
		{"a value no row has", byKind, "", `{"responsible":999}`, kxDirector, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := drilled(t, s.eng, c.as, c.def, c.cell)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
			d, _ := drillDef(t, c.def, c.cell)
			res, err := s.eng.Run(context.Background(), c.as, d)
			if err != nil {
				t.Fatal(err)
			}
			if n := answerCount(t, res, c.pivot, c.cell); n != int64(len(got)) {
				t.Errorf("the answer counts %d, the drill lists %d", n, len(got))
			}
		})
	}
}

// TestDrillRecordColumns: a deal's record holds what a list needs, in
// the report's zone and roubles, sorted as asked and limited.
func TestDrillRecordColumns(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
	d, c := drillDef(t, `{"dataset":"deals","dimensions":[{"field":"responsible"}],"measures":[{"agg":"count"}]}`, `{"responsible":101}`)
	res, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{Definition: d, Cell: c,
		DrillOptions: compile.DrillOptions{Sort: []reports.Sort{{By: "amount", Desc: true}}, Limit: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, col := range res.Columns {
		keys = append(keys, col.Key)
	}
	const wantKeys = "id title pipeline_name stage_name responsible_name company amount amount_original currency created_at closed_at"
	if strings.Join(keys, " ") != wantKeys {
		t.Errorf("columns %v, want %s", keys, wantKeys)
	}
	b, _ := json.Marshal(res.Rows)
	const want = `[[3,"D3","Тестовая воронка","Квалификация","Иванов Иван",null,9959.95,100.10,"USD","2025-01-12T03:00:00+03:00",null],` +
		`[7,"D7","Тестовая воронка","Отказ","Иванов Иван",null,7000.00,7000.00,"RUB","2025-01-02T03:00:00+03:00","2025-01-06T03:00:00+03:00"]]`
	if string(b) != want {
		t.Errorf("rows\n%s\nwant\n%s", b, want)
	}
	if res.Meta.Total != 4 || !res.Meta.Truncated || res.Meta.Limit != 2 || res.Meta.RowCount != 2 {
		t.Errorf("meta %+v: want total 4 of which 2 listed, truncated", res.Meta)
	}
}

// kxMoscowEdge adds to the fixture two deals a second apart around the
// Moscow midnight between January and February (20:59:59 and 21:00:00
// UTC on 31 January).
const kxMoscowEdge = kxFixture + `
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
    (9, 'D9', 900, 901, 100, 'RUB', 101, '2025-01-31 23:59:59+03', '2025-01-31 23:59:59+03'),
    (10, 'D10', 900, 901, 100, 'RUB', 101, '2025-02-01 00:00:00+03', '2025-02-01 00:00:00+03');`

// TestDrillMoscowMonthEdge: drilled by created_at_month, the deal of
// 23:59:59 Moscow on 31 January is January's and the one of 00:00:00 is
// February's (in UTC both are 31 January); in UTC both are January's.
func TestDrillMoscowMonthEdge(t *testing.T) {
	s := kxReadOnly(t, kxMoscowEdge, kxNow)
	const byMonth = `{"dataset":"deals","dimensions":[{"field":"created_at","grain":"month"}],"measures":[{"agg":"count"}]}`
	const byMonthUTC = `{"dataset":"deals","dimensions":[{"field":"created_at","grain":"month"}],"measures":[{"agg":"count"}],
		"period":{"from":"2024-01-01","to":"2025-12-31","tz":"UTC"}}`
	const byInstant = `{"dataset":"deals","dimensions":[{"field":"created_at"}],"measures":[{"agg":"count"}]}`
	for _, c := range []struct {
		name, def, cell string
		want            []int64
	}{
		{"January in Moscow", byMonth, `{"created_at_month":"2025-01-01"}`, []int64{1, 2, 3, 4, 5, 6, 7, 9}},
		{"February in Moscow", byMonth, `{"created_at_month":"2025-02-01"}`, []int64{10}},
		{"December in Moscow", byMonth, `{"created_at_month":"2024-12-01"}`, []int64{8}},
		{"January in UTC", byMonthUTC, `{"created_at_month":"2025-01-01"}`, []int64{1, 2, 3, 4, 5, 6, 7, 9, 10}},
		{"February in UTC", byMonthUTC, `{"created_at_month":"2025-02-01"}`, []int64{}},
		{"an instant as the answer shows it", byInstant, `{"created_at":"2025-02-01T00:00:00+03:00"}`, []int64{10}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := drilled(t, s.eng, kxDirector, c.def, c.cell)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
			d, _ := drillDef(t, c.def, c.cell)
			res, err := s.eng.Run(context.Background(), kxDirector, d)
			if err != nil {
				t.Fatal(err)
			}
			if n := answerCount(t, res, "", c.cell); n != int64(len(got)) {
				t.Errorf("the answer counts %d, the drill lists %d", n, len(got))
			}
		})
	}
}

// TestDrillBadInput: a cell key that is no dimension, a value of the
// wrong type, a sort key no column, a limit out of range and a kind that
// does not drill are 422s naming the field.
func TestDrillBadInput(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	const def = `{"dataset":"deals","dimensions":[{"field":"responsible"},{"field":"created_at","grain":"month"},{"field":"stage_name"}],"measures":[{"agg":"count"}]}`
	for _, c := range []struct {
		name, def, cell string
		opts            compile.DrillOptions
		field, code     string
	}{
		{"not a dimension of the report", def, `{"amount":1}`, compile.DrillOptions{}, "cell.amount", "not_a_dimension"},
		{"a field key, not the column key", def, `{"created_at":"2025-01-01T00:00:00Z"}`, compile.DrillOptions{}, "cell.created_at", "not_a_dimension"},
		{"text for an id", def, `{"responsible":"101"}`, compile.DrillOptions{}, "cell.responsible", "invalid_value"},
		{"a fraction for an id", def, `{"responsible":1.5}`, compile.DrillOptions{}, "cell.responsible", "invalid_value"},
		{"not a date", def, `{"created_at_month":"январь"}`, compile.DrillOptions{}, "cell.created_at_month", "invalid_value"},
		{"a number for text", def, `{"stage_name":7}`, compile.DrillOptions{}, "cell.stage_name", "invalid_value"},
		{"a date for an instant", `{"dataset":"deals","dimensions":[{"field":"created_at"}],"measures":[{"agg":"count"}]}`,
			`{"created_at":"2025-01-01"}`, compile.DrillOptions{}, "cell.created_at", "invalid_value"},
		{"sort by no column", def, `{}`, compile.DrillOptions{Sort: []reports.Sort{{By: "password_hash"}}}, "sort[0].by", "unknown_column"},
		{"limit too high", def, `{}`, compile.DrillOptions{Limit: compile.MaxDrillLimit + 1}, "limit", "out_of_range"},
		{"a bad definition", `{"dataset":"deals","dimensions":[{"field":"nope"}]}`, `{}`, compile.DrillOptions{}, "definition.dimensions[0].field", "unknown_field"},
		{"a comparison (its previous records: drill meta.compared's period)", `{"dataset":"deals","dimensions":[{"field":"responsible"}],"measures":[{"agg":"count"}],` +
			`"period":{"preset":"this_month"},"compare":"previous_period"}`, `{}`, compile.DrillOptions{}, "definition.compare", "not_supported"},
		{"a kind that does not drill here", `{"kind":"funnel","params":{"pipeline":"fx"},"period":{"preset":"this_month"}}`, `{}`, compile.DrillOptions{},
			"definition.kind", "drill_not_supported"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, cell := drillDef(t, c.def, c.cell)
			_, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{Definition: d, Cell: cell, DrillOptions: c.opts})
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != c.field || ae.Code != c.code {
				t.Errorf("error %v, want 422 %s on %s", err, c.code, c.field)
			}
		})
	}
}
