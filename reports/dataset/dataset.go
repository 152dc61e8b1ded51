package dataset

import (
	"regexp"
	"slices"
	"sort"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// Dataset is what a report may query: a ClickHouse mirror table read in
// its current state, the lookups it may join, its whitelisted fields and
// the principal's access condition. Every identifier in compiled SQL
// comes from here, never from a request.
//
// Invariants (dataset_test.go): field keys are unique lower-case
// identifiers; every field's Lookups are declared; Columns exist in the
// mirror table; no Expr holds a placeholder; DefaultDate is a date field.
// Each Expr reads only Columns and what its Lookups add (the compile
// shape tests run every field on ClickHouse).
type Dataset struct {
	Key              string
	LabelRU, LabelEN string
	Table            string   // the mirror table
	Columns          []string // its columns a field may read
	Fields           []Field
	Lookups          []Lookup
	DefaultDate      string // the date field of a period without "field"
	// Access is the principal's row condition over Table's columns.
	Access func(a Access) sq.Sqlizer
}

// Field is one whitelisted field of a dataset. Expr is ClickHouse SQL
// over the dataset's row (its Columns and what its Lookups add); it is
// written in code only. Dimension fields may group; Aggs lists the
// measures it allows (a plain count needs no field). Description says
// what the value means and which date decides, shown on hover.
type Field struct {
	Key           string   `json:"key"`
	LabelRU       string   `json:"label_ru"`
	LabelEN       string   `json:"label_en"`
	Type          string   `json:"type"`
	Dimension     bool     `json:"dimension"`
	Aggs          []string `json:"aggs"`
	DescriptionRU string   `json:"description_ru,omitempty"`
	DescriptionEN string   `json:"description_en,omitempty"`
	Expr          string   `json:"-"`
	Lookups       []string `json:"-"`
	// Order, when set, is SQL over the same row (the field's Lookups
	// suffice) whose least value orders the field's values when they
	// become pivot columns: a stage's position for stage names, codes,
	// kinds and groups, so the columns follow the pipeline.
	Order string `json:"-"`
	// AggLabels name a measure of the field where "<label>: <aggregation>"
	// would not say what it is (the sum of "won" is the number of deals won).
	AggLabels map[string]i18n.Text `json:"-"`
	// Flag: the field is 0 or 1 (flag), so its average is a share.
	Flag bool `json:"-"`
}

// AggLabel is the field's own label for a measure with agg, if it has one.
func (f Field) AggLabel(agg string) (i18n.Text, bool) {
	l, ok := f.AggLabels[agg]
	return l, ok
}

// IsDate reports whether the field is a date or a time: it takes a grain
// and may decide a period.
func (f Field) IsDate() bool { return f.Type == reports.TypeDate || f.Type == reports.TypeDateTime }

// Label is the field's label in lang (i18n.Text.In).
func (f Field) Label(lang string) string { return i18n.T(f.LabelRU, f.LabelEN).In(lang) }

// Description is the field's definition in lang (i18n.Text.In).
func (f Field) Description(lang string) string {
	return i18n.T(f.DescriptionRU, f.DescriptionEN).In(lang)
}

// allows reports whether agg is allowed on the field.
func (f Field) Allows(agg string) bool { return slices.Contains(f.Aggs, agg) }

// Field finds a field by key.
func (d *Dataset) Field(key string) (Field, bool) {
	for _, f := range d.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// FieldKeys lists the dataset's field keys (for error details).
func (d *Dataset) FieldKeys() []string {
	keys := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		keys[i] = f.Key
	}
	return keys
}

// datasets is the registry, filled by the dataset_*.go files.
var datasets = map[string]*Dataset{}

func registerDataset(d *Dataset) { datasets[d.Key] = d }

// ByKey finds a dataset.
func ByKey(key string) (*Dataset, bool) {
	d, ok := datasets[key]
	return d, ok
}

// All lists every dataset, sorted by key.
func All() []*Dataset {
	out := make([]*Dataset, 0, len(datasets))
	for _, d := range datasets {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Keys lists the dataset keys, sorted.
func Keys() []string {
	var keys []string
	for _, d := range All() {
		keys = append(keys, d.Key)
	}
	return keys
}

var identTokenRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// columnsIn lists the dataset columns an expression mentions.
func (d *Dataset) ColumnsIn(expr string) []string {
	var out []string
	for _, tok := range identTokenRE.FindAllString(expr, -1) {
		if slices.Contains(d.Columns, tok) && !slices.Contains(out, tok) {
			out = append(out, tok)
		}
	}
	return out
}

// dateKeys lists the date fields (for error details).
func (d *Dataset) DateKeys() []string {
	var out []string
	for _, f := range d.Fields {
		if f.IsDate() {
			out = append(out, f.Key)
		}
	}
	return out
}

// dimensionKeys lists the fields that may group.
func (d *Dataset) DimensionKeys() []string {
	var out []string
	for _, f := range d.Fields {
		if f.Dimension {
			out = append(out, f.Key)
		}
	}
	return out
}
