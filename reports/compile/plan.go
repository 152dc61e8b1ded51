package compile

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// Limits of a grouped report (DefaultLimit and MaxLimit: reports).
const (
	maxDimensions = 8
	maxMeasures   = 20
	maxFilters    = 30
	MaxInValues   = 1000
	maxText       = 1000
)

// plan is a validated grouped definition, resolved against its dataset:
// what the compiler turns into SQL. Every identifier in it comes from the
// dataset; every request value sits in a condition's bound arguments.
type Plan struct {
	ds       *dataset.Dataset
	dims     []dimPlan
	measures []measurePlan
	inner    []sq.Sqlizer // conditions on the base table's columns
	outer    []sq.Sqlizer // conditions on columns lookups add
	semi     []semiJoin   // outer conditions also checked before the joins
	lookups  []string     // lookups the fields used need
	exprs    []string     // expressions of the fields used
	rng      *reports.Range
	periodAt int        // 1 + the index in inner of the period's condition (0: none there)
	sideCur  sq.Sqlizer // a comparison's statement: the current period's condition, grouped first as _side (compare.go)
	period   dataset.Field
	loc      *time.Location
	pivot    []int // indexes into dims that become columns
	sort     []sortPlan
	limit    int
	lang     string
}

// dimPlan is one dimension: its field, grain and result column key.
type dimPlan struct {
	field dataset.Field
	grain string
	key   string
}

// measurePlan is one measure; field is zero for a plain count.
type measurePlan struct {
	field dataset.Field
	agg   string
	key   string
}

// sortPlan orders by a result column (dims then measures, by index),
// or by expr when set (SQL written in code: a pivot column's order).
type sortPlan struct {
	col  int
	desc bool
	expr string
}

// at is the JSON path of element i of a list.
func at(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }

// dimKey is a dimension's result column key (docs/api.md, "Datasets"): the field key,
// with _<grain> for a time grain.
func dimKey(field, grain string) string {
	if grain == "" {
		return field
	}
	return field + "_" + grain
}

// measureKey is a measure's result column key: <field>_<agg>, or count.
func measureKey(field, agg string) string {
	if field == "" {
		return agg
	}
	return field + "_" + agg
}

// keys lists the result column keys, dimensions first.
func (p *Plan) keys() []string {
	var out []string
	for _, d := range p.dims {
		out = append(out, d.key)
	}
	for _, m := range p.measures {
		out = append(out, m.key)
	}
	return out
}

// tz is the report's time zone name.
func (p *Plan) tz() string { return p.loc.String() }

// IsPivot reports whether the plan turns dimensions into columns.
func (p *Plan) IsPivot() bool { return len(p.pivot) > 0 }

// WithLimit is a copy of the plan showing up to n rows (an export's).
func (p *Plan) WithLimit(n int) *Plan {
	c := *p
	c.limit = n
	return &c
}

// invalid is a 422 error on field with the allowed values in details.
func invalid(field, code, msg string, allowed []string) *apperr.Error {
	e := apperr.Field(field, code, msg)
	if allowed != nil {
		e.Details = map[string]any{"allowed": allowed}
	}
	return e
}

// request is a grouped definition being planned.
type request struct{ *reports.Definition }

// NewPlan validates a grouped definition and resolves it against its
// dataset at the instant now (period presets). Errors are 422s naming
// the JSON path at fault (dimensions[1].grain) with allowed values.
func NewPlan(def *reports.Definition, now time.Time) (*Plan, error) {
	d := request{def}
	ds, err := d.dataset()
	if err != nil {
		return nil, err
	}
	p := &Plan{ds: ds, lang: d.Lang}
	steps := []func(*Plan) error{d.checkShape, d.planPeriod(now), d.planDims, d.planMeasures,
		d.planFilters, d.planPivot, d.planSort, d.planLimit}
	for _, step := range steps {
		if err := step(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (d request) dataset() (*dataset.Dataset, error) {
	if d.Dataset == "" {
		return nil, invalid("dataset", "required", "name a dataset", dataset.Keys())
	}
	ds, ok := dataset.ByKey(d.Dataset)
	if !ok {
		return nil, invalid("dataset", "unknown_dataset", fmt.Sprintf("unknown dataset %q", d.Dataset), dataset.Keys())
	}
	return ds, nil
}

// checkShape checks what needs no dataset: sizes, lang, chart, params.
func (d request) checkShape(*Plan) error {
	switch {
	case len(d.Params) > 0:
		return apperr.Field("params", "unknown_field", "a grouped report takes no params")
	case d.Lang != "" && !i18n.Valid(d.Lang):
		return invalid("lang", "unknown_lang", "lang is ru or en", i18n.Langs)
	case d.Chart != nil && !slices.Contains(reports.ChartTypes, d.Chart.Type):
		return invalid("chart.type", "unknown_chart", fmt.Sprintf("unknown chart type %q", d.Chart.Type), reports.ChartTypes)
	case len(d.Dimensions) == 0 && len(d.Measures) == 0:
		return apperr.Field("measures", "required", "give at least one dimension or measure")
	case len(d.Dimensions) > maxDimensions:
		return apperr.Field("dimensions", "too_many", fmt.Sprintf("at most %d dimensions", maxDimensions))
	case len(d.Measures) > maxMeasures:
		return apperr.Field("measures", "too_many", fmt.Sprintf("at most %d measures", maxMeasures))
	case len(d.Filters) > maxFilters:
		return apperr.Field("filters", "too_many", fmt.Sprintf("at most %d filters", maxFilters))
	}
	return nil
}

// field looks a key up in the dataset; path names it in errors.
func (p *Plan) field(key, path string) (dataset.Field, error) {
	if key == "" {
		return dataset.Field{}, invalid(path, "required", "name a field", p.ds.FieldKeys())
	}
	f, ok := p.ds.Field(key)
	if !ok {
		return dataset.Field{}, invalid(path, "unknown_field", fmt.Sprintf("dataset %s has no field %q", p.ds.Key, key), p.ds.FieldKeys())
	}
	p.use(f)
	return f, nil
}

// use records the lookups and the expression of a field.
func (p *Plan) use(f dataset.Field) {
	p.exprs = append(p.exprs, f.Expr)
	for _, l := range f.Lookups {
		if !slices.Contains(p.lookups, l) {
			p.lookups = append(p.lookups, l)
		}
	}
}

func (d request) planPeriod(now time.Time) func(*Plan) error {
	return func(p *Plan) error {
		per := reports.Period{}
		if d.Period != nil {
			per = *d.Period
		}
		loc, err := per.Location("period")
		if err != nil {
			return err
		}
		p.loc = loc
		if d.Period == nil {
			return nil
		}
		key := per.Field
		if key == "" {
			key = p.ds.DefaultDate
		}
		f, err := p.field(key, "period.field")
		if err != nil {
			return err
		}
		if !f.IsDate() {
			return invalid("period.field", "not_a_date", fmt.Sprintf("%s is not a date field", key), p.ds.DateKeys())
		}
		rng, err := per.Resolve(now, "period")
		if err != nil {
			return err
		}
		p.rng, p.period = &rng, f
		return nil
	}
}

// LongForm is a pivot definition without its pivot: its column
// dimensions added as plain dimensions, every cell a row (up to
// MaxLimit); cols are the indexes of the pivot's column dimensions in
// its result, in the order the pivot names them.
func LongForm(def *reports.Definition, now time.Time) (*reports.Definition, []int, error) {
	pl, err := NewPlan(def, now)
	if err != nil {
		return nil, nil, err
	}
	flat := *def
	flat.Pivot, flat.Sort, flat.Limit, flat.Dimensions = nil, nil, reports.MaxLimit, nil
	for _, d := range pl.dims {
		flat.Dimensions = append(flat.Dimensions, reports.Dimension{Field: d.field.Key, Grain: d.grain})
	}
	return &flat, pl.pivot, nil
}
