package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile/compiletest"
	"github.com/voronka/voronka/reports/dataset"
)

// sampleValues are filter values of each type for each operator.
var sampleValues = map[string]map[string]any{
	reports.TypeString: {reports.OpEq: "x", reports.OpNe: "x", reports.OpIn: []any{"a", "'; DROP TABLE deals; --"}, reports.OpNotIn: []any{"b"}, reports.OpContains: "Ромашка", reports.OpIsNull: false},
	reports.TypeInteger: {reports.OpEq: 1, reports.OpNe: 2, reports.OpIn: []any{1, 2}, reports.OpNotIn: []any{3}, reports.OpGt: -1, reports.OpLt: 1000000,
		reports.OpBetween: []any{-5, 9000000000}, reports.OpIsNull: false},
	reports.TypeNumber: {reports.OpEq: 1.5, reports.OpNe: 2, reports.OpIn: []any{1.5, 2}, reports.OpNotIn: []any{3}, reports.OpGt: -1.5, reports.OpLt: 1e9, reports.OpBetween: []any{-1, 1e9}, reports.OpIsNull: false},
	reports.TypeMoney: {reports.OpEq: "10.00", reports.OpNe: 2, reports.OpIn: []any{"1.50", 2}, reports.OpNotIn: []any{3}, reports.OpGt: -0.01, reports.OpLt: "9999999999999999.99",
		reports.OpBetween: []any{0, 1e15}, reports.OpIsNull: false},
	reports.TypeDateTime: {reports.OpGt: "2020-01-01", reports.OpLt: "2100-01-01T00:00:00+03:00", reports.OpBetween: []any{"1970-01-02", "2030-12-31"}, reports.OpIsNull: false},
	reports.TypeDate:     {reports.OpGt: "2020-01-01", reports.OpLt: "2105-12-31", reports.OpBetween: []any{"1970-01-01", "2030-12-31"}, reports.OpIsNull: false},
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
	for _, ds := range dataset.All() {
		var dims []map[string]any
		for _, f := range ds.Fields {
			var ms []map[string]any
			for _, agg := range f.Aggs {
				ms = append(ms, map[string]any{"field": f.Key, "agg": agg})
			}
			grains := []string{""}
			if f.IsDate() {
				grains = append(grains, reports.Grains...)
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
			for _, op := range reports.OpsFor(f.Type) {
				fs = append(fs, map[string]any{"field": f.Key, "op": op, "value": sampleValues[f.Type][op]})
			}
			add(map[string]any{"dataset": ds.Key, "measures": []any{map[string]any{"agg": "count"}}, "filters": fs,
				"period": map[string]any{"preset": "last_3650_days"}})
		}
		add(map[string]any{"dataset": ds.Key, "dimensions": dims[:2], "measures": []any{map[string]any{"agg": "count"}},
			"pivot": map[string]any{"columns": []any{dims[1]["field"]}}, "sort": []any{map[string]any{"by": "count", "desc": true}}})
		for _, f := range ds.Fields { // pivot columns in a field's own order: added up, and queried apart
			if f.Order == "" {
				continue
			}
			for _, m := range []map[string]any{{"agg": "count"}, {"field": ds.Fields[0].Key, "agg": "count_distinct"}} {
				add(map[string]any{"dataset": ds.Key, "dimensions": []any{dims[0], map[string]any{"field": f.Key}},
					"measures": []any{m}, "pivot": map[string]any{"columns": []any{f.Key}}})
			}
		}
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
			d, err := reports.ParseDefinition([]byte(def))
			if err != nil {
				t.Fatalf("%s: %v", def, err)
			}
			if _, err := f.eng.Run(context.Background(), f.users[who], d); err != nil {
				t.Errorf("%s as %s: %v", def, who, err)
			}
		}
	}
}
