package reports

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/voronka/voronka/reports/compile/compiletest"
)

// sampleValues are filter values of each type for each operator.
var sampleValues = map[string]map[string]any{
	TypeString: {OpEq: "x", OpNe: "x", OpIn: []any{"a", "'; DROP TABLE deals; --"}, OpNotIn: []any{"b"}, OpContains: "Ромашка", OpIsNull: false},
	TypeInteger: {OpEq: 1, OpNe: 2, OpIn: []any{1, 2}, OpNotIn: []any{3}, OpGt: -1, OpLt: 1000000,
		OpBetween: []any{-5, 9000000000}, OpIsNull: false},
	TypeNumber: {OpEq: 1.5, OpNe: 2, OpIn: []any{1.5, 2}, OpNotIn: []any{3}, OpGt: -1.5, OpLt: 1e9, OpBetween: []any{-1, 1e9}, OpIsNull: false},
	TypeMoney: {OpEq: "10.00", OpNe: 2, OpIn: []any{"1.50", 2}, OpNotIn: []any{3}, OpGt: -0.01, OpLt: "9999999999999999.99",
		OpBetween: []any{0, 1e15}, OpIsNull: false},
	TypeDateTime: {OpGt: "2020-01-01", OpLt: "2100-01-01T00:00:00+03:00", OpBetween: []any{"1970-01-02", "2030-12-31"}, OpIsNull: false},
}

// shapeDefs builds, for every dataset, a definition per dimension (per
// grain for dates) with every aggregation of that field, one per field
// with a filter of every operator it takes, and a sorted pivot.
func shapeDefs() []string {
	var defs []string
	add := func(v map[string]any) {
		b, _ := json.Marshal(v)
		defs = append(defs, string(b))
	}
	for _, ds := range Datasets() {
		var dims []map[string]any
		for _, f := range ds.Fields {
			var ms []map[string]any
			for _, agg := range f.Aggs {
				ms = append(ms, map[string]any{"field": f.Key, "agg": agg})
			}
			grains := []string{""}
			if f.IsDate() {
				grains = append(grains, Grains...)
			}
			for _, g := range grains {
				dim := map[string]any{"field": f.Key, "grain": g}
				if f.Dimension {
					add(map[string]any{"dataset": ds.Key, "dimensions": []any{dim}, "measures": ms})
					dims = append(dims, dim)
				} else {
					add(map[string]any{"dataset": ds.Key, "measures": ms})
				}
			}
			var fs []map[string]any
			for _, op := range OpsFor(f.Type) {
				fs = append(fs, map[string]any{"field": f.Key, "op": op, "value": sampleValues[f.Type][op]})
			}
			add(map[string]any{"dataset": ds.Key, "measures": []any{map[string]any{"agg": "count"}}, "filters": fs,
				"period": map[string]any{"preset": "last_3650_days"}})
		}
		add(map[string]any{"dataset": ds.Key, "dimensions": dims[:2], "measures": []any{map[string]any{"agg": "count"}},
			"pivot": map[string]any{"columns": []any{dims[1]["field"]}}, "sort": []any{map[string]any{"by": "count", "desc": true}}})
	}
	return defs
}

// Every compiled shape, and every golden case, runs on the real
// ClickHouse (18.16 here) for a manager and a director.
func TestCompiledShapesRun(t *testing.T) {
	f := newFixture(t)
	defs := shapeDefs()
	for _, c := range compiletest.Shapes {
		defs = append(defs, c.Def)
	}
	if len(defs) < 100 {
		t.Fatalf("only %d shapes", len(defs))
	}
	for _, def := range defs {
		for _, who := range []string{"boris", "dir"} {
			d, err := ParseDefinition([]byte(def))
			if err != nil {
				t.Fatalf("%s: %v", def, err)
			}
			if _, err := f.eng.Run(context.Background(), f.users[who], d); err != nil {
				t.Errorf("%s as %s: %v", def, who, err)
			}
		}
	}
}
