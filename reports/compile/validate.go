package compile

import (
	"fmt"
	"slices"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

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
		return nil, invalid("dataset", "required", "name a dataset", dataset.DatasetKeys())
	}
	ds, ok := dataset.DatasetByKey(d.Dataset)
	if !ok {
		return nil, invalid("dataset", "unknown_dataset", fmt.Sprintf("unknown dataset %q", d.Dataset), dataset.DatasetKeys())
	}
	return ds, nil
}

// checkShape checks what needs no dataset: sizes, lang, chart, params.
func (d request) checkShape(*Plan) error {
	switch {
	case len(d.Params) > 0:
		return apperr.Field("params", "unknown_field", "a grouped report takes no params")
	case d.Lang != "" && d.Lang != "ru" && d.Lang != "en":
		return invalid("lang", "unknown_lang", "lang is ru or en", []string{"ru", "en"})
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
