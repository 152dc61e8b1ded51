package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// fuzzPicker draws choices from the fuzzer's bytes (zero when spent).
type fuzzPicker struct{ b []byte }

func (p *fuzzPicker) next() int {
	if len(p.b) == 0 {
		return 0
	}
	v := int(p.b[0])
	p.b = p.b[1:]
	return v
}

func (p *fuzzPicker) pick(list []string) string { return list[p.next()%len(list)] }

// fuzzText are strings the fuzzer mixes into names and values.
var fuzzText = []string{"'; DROP TABLE deals; --", "id) OR 1=1 --", "`x`", "\\'", "Ромашка", "", "\x00", "2024-02-30",
	"2024-01-31", "2024-01-31T10:00:00+03:00", "1e400", "12.345", "-1", "NaN"}

// fuzzValue is a JSON value for a filter: scalars, lists, the free text.
func (p *fuzzPicker) value(text string) any {
	scalars := []any{text, 0, -1, 1.5, 9223372036854775807, 1e300, "10.00", true, nil, "2024-03-01", p.pick(fuzzText)}
	switch p.next() % 4 {
	case 0:
		return []any{scalars[p.next()%len(scalars)], scalars[p.next()%len(scalars)]}
	case 1:
		return []any{}
	}
	return scalars[p.next()%len(scalars)]
}

// fuzzDefinition builds a definition from the fuzzer's choices: mostly
// fields, aggregations, grains, operators and values that fit, and now
// and then made-up names, SQL-ish text and values of the wrong kind.
func fuzzDefinition(choices []byte, text string) map[string]any {
	p := &fuzzPicker{b: choices}
	ds := dataset.All()[p.next()%len(dataset.All())]
	def := map[string]any{"dataset": ds.Key}
	if p.rare() {
		def["dataset"] = p.pick(append(dataset.Keys(), text))
	}
	var dims, measures, filters []any
	for range p.next() % 4 {
		f := p.field(ds, true)
		grain := ""
		if f.IsDate() && p.next()%2 == 0 {
			grain = p.pick(reports.Grains)
		}
		dims = append(dims, map[string]any{"field": p.name(f.Key, text), "grain": p.odd(grain, text)})
	}
	for range p.next() % 4 {
		f := p.field(ds, false)
		measures = append(measures, map[string]any{"field": p.name(f.Key, text), "agg": p.odd(p.pick(f.Aggs), p.pick(reports.Aggs))})
	}
	for range p.next() % 4 {
		f := p.field(ds, false)
		op := p.odd(p.pick(reports.OpsFor(f.Type)), p.pick(append(reports.Ops, text)))
		v, ok := sampleValues[f.Type][op]
		if !ok || p.rare() {
			v = p.value(text)
		}
		filters = append(filters, map[string]any{"field": p.name(f.Key, text), "op": op, "value": v})
	}
	def["dimensions"], def["measures"], def["filters"] = dims, measures, filters
	p.extras(def, ds, dims, text)
	return def
}

// extras adds a pivot, a period and a sort now and then.
func (p *fuzzPicker) extras(def map[string]any, ds *dataset.Dataset, dims []any, text string) {
	if p.next()%3 == 0 && len(dims) > 0 {
		def["pivot"] = map[string]any{"columns": []any{dims[p.next()%len(dims)].(map[string]any)["field"]}}
	}
	if p.next()%3 == 0 {
		def["period"] = map[string]any{"field": p.odd(p.pick(ds.DateKeys()), text), "preset": p.odd(p.pick(reports.Presets), text)}
	}
	if p.next()%3 == 0 {
		def["sort"] = []any{map[string]any{"by": p.pick([]string{"count", "amount_sum", text, ds.Fields[0].Key}), "desc": p.next()%2 == 0}}
	}
}

// rare is true one time in eight.
func (p *fuzzPicker) rare() bool { return p.next()%8 == 7 }

// odd is usual, or now and then other.
func (p *fuzzPicker) odd(usual, other string) string {
	if p.rare() {
		return other
	}
	return usual
}

// name is a field key, or now and then one that does not exist.
func (p *fuzzPicker) name(key, text string) string {
	return p.odd(key, p.pick([]string{text, "password_hash", "title; DROP TABLE deals", "amount) --"}))
}

// field picks a field of ds (a dimension when dim).
func (p *fuzzPicker) field(ds *dataset.Dataset, dim bool) dataset.Field {
	var fs []dataset.Field
	for _, f := range ds.Fields {
		if !dim || f.Dimension {
			fs = append(fs, f)
		}
	}
	return fs[p.next()%len(fs)]
}

// FuzzCompile: a random definition is either refused with a 422 naming
// a field (or 400), or compiles to SQL that runs on the real ClickHouse.
// CI: go test -run XXX -fuzz FuzzCompile -fuzztime 20s ./reports/
func FuzzCompile(f *testing.F) {
	f.Add([]byte{0, 1, 2, 1, 1, 3, 0, 2, 2, 5, 7, 1}, "'; DROP TABLE deals; --")
	f.Add([]byte{1, 5, 9, 3, 3, 0, 2, 2, 4, 1, 0, 0, 3, 6}, "Ромашка")
	f.Add([]byte{2, 2, 8, 3, 1, 4, 6, 2, 8, 3, 3, 1}, "2024-01-31")
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, choices []byte, text string) {
		b, err := json.Marshal(fuzzDefinition(choices, text))
		if err != nil {
			t.Fatal(err)
		}
		def, err := reports.ParseDefinition(b)
		if err == nil {
			_, err = fx.eng.Run(context.Background(), fx.users["boris"], def)
		}
		if err == nil {
			return
		}
		e := apperr.As(err)
		if e == nil || (e.Kind != apperr.Invalid && e.Kind != apperr.Malformed) || (e.Kind == apperr.Invalid && e.Field == "") {
			t.Fatalf("definition %s: %v (want either a result or a 422 naming a field)", b, err)
		}
	})
}
