package compile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

func (d request) planDims(p *Plan) error {
	for i, dim := range d.Dimensions {
		path := at("dimensions", i)
		f, err := p.field(dim.Field, path+".field")
		if err != nil {
			return err
		}
		if !f.Dimension {
			return invalid(path+".field", "not_a_dimension", fmt.Sprintf("%s cannot group; use it as a measure", f.Key), p.ds.DimensionKeys())
		}
		if dim.Grain != "" && !f.IsDate() {
			return apperr.Field(path+".grain", "grain_not_allowed", fmt.Sprintf("%s is not a date field: it takes no grain", f.Key))
		}
		if dim.Grain != "" && !slices.Contains(reports.Grains, dim.Grain) {
			return invalid(path+".grain", "unknown_grain", fmt.Sprintf("unknown grain %q", dim.Grain), reports.Grains)
		}
		p.dims = append(p.dims, dimPlan{field: f, grain: dim.Grain, key: dimKey(f.Key, dim.Grain)})
		if err := p.unique(path, len(p.dims)-1); err != nil {
			return err
		}
	}
	return nil
}

func (d request) planMeasures(p *Plan) error {
	for i, m := range d.Measures {
		path := at("measures", i)
		if !slices.Contains(reports.Aggs, m.Agg) {
			return invalid(path+".agg", "unknown_agg", fmt.Sprintf("unknown aggregation %q", m.Agg), reports.Aggs)
		}
		mp := measurePlan{agg: m.Agg, key: measureKey(m.Field, m.Agg)}
		if m.Field != "" || m.Agg != reports.AggCount {
			f, err := p.field(m.Field, path+".field")
			if err != nil {
				return err
			}
			if !f.Allows(m.Agg) {
				return invalid(path+".agg", "agg_not_allowed", fmt.Sprintf("%s does not allow %s", f.Key, m.Agg), f.Aggs)
			}
			mp.field = f
		}
		p.measures = append(p.measures, mp)
		if err := p.unique(path, len(p.dims)+len(p.measures)-1); err != nil {
			return err
		}
	}
	return nil
}

// unique fails when result column i repeats an earlier key.
func (p *Plan) unique(path string, i int) error {
	keys := p.keys()
	if slices.Contains(keys[:i], keys[i]) {
		return apperr.Field(path, "duplicate", fmt.Sprintf("column %s is already in the report", keys[i]))
	}
	return nil
}

// planPivot finds the pivot columns among the dimensions (by column key
// or field key), or adds them as column dimensions (docs/reports.md:
// rows by "dimensions", columns by "pivot.columns").
func (d request) planPivot(p *Plan) error {
	if d.Pivot == nil {
		return nil
	}
	if len(d.Pivot.Columns) == 0 {
		return apperr.Field("pivot.columns", "required", "name the dimensions that become columns")
	}
	if len(p.measures) == 0 {
		return apperr.Field("measures", "required", "a pivot needs at least one measure")
	}
	for i, c := range d.Pivot.Columns {
		path := at("pivot.columns", i)
		j := slices.IndexFunc(p.dims, func(dp dimPlan) bool { return dp.key == c || dp.field.Key == c })
		if j < 0 {
			dp, err := p.pivotDim(c, path)
			if err != nil {
				return err
			}
			p.dims, j = append(p.dims, dp), len(p.dims)
		}
		if slices.Contains(p.pivot, j) {
			return apperr.Field(path, "duplicate", c+" is already a pivot column")
		}
		p.pivot = append(p.pivot, j)
		if o := p.dims[j].field.Order; o != "" {
			p.exprs = append(p.exprs, o)
		}
	}
	return nil
}

// pivotOrder orders the pivot columns' values: each column dimension by
// the least value of its field's Order when it has one (stages by their
// position in the pipeline), then by its value.
func (p *Plan) pivotOrder() []sortPlan {
	var out []sortPlan
	for _, j := range p.pivot {
		if d := p.dims[j]; d.field.Order != "" && d.grain == "" {
			out = append(out, sortPlan{expr: "min(" + d.field.Order + ")"})
		}
		out = append(out, sortPlan{col: j})
	}
	return out
}

// pivotDim is a column dimension named by a pivot column that is not
// among the dimensions: a dimension field, or <date field>_<grain>.
func (p *Plan) pivotDim(c, path string) (dimPlan, error) {
	key, grain := c, ""
	for _, g := range reports.Grains {
		if f, ok := p.ds.Field(strings.TrimSuffix(c, "_"+g)); ok && f.IsDate() && strings.HasSuffix(c, "_"+g) {
			key, grain = f.Key, g
		}
	}
	f, ok := p.ds.Field(key)
	if !ok || !f.Dimension {
		return dimPlan{}, invalid(path, "not_a_dimension", fmt.Sprintf("%q is not a dimension of dataset %s", c, p.ds.Key), p.ds.DimensionKeys())
	}
	p.use(f)
	return dimPlan{field: f, grain: grain, key: dimKey(f.Key, grain)}, nil
}

// planSort resolves sort keys to result columns; with a pivot, only row
// dimensions and measures (their row totals) sort.
func (d request) planSort(p *Plan) error {
	keys := p.keys()
	var allowed []string
	for i, k := range keys {
		if i >= len(p.dims) || !slices.Contains(p.pivot, i) {
			allowed = append(allowed, k)
		}
	}
	for i, s := range d.Sort {
		path := at("sort", i) + ".by"
		if !slices.Contains(allowed, s.By) {
			return invalid(path, "unknown_column", fmt.Sprintf("%q is not a column of the report", s.By), allowed)
		}
		p.sort = append(p.sort, sortPlan{col: slices.Index(keys, s.By), desc: s.Desc})
	}
	return nil
}

func (d request) planLimit(p *Plan) error {
	switch {
	case d.Limit == 0:
		p.limit = reports.DefaultLimit
	case d.Limit < 0 || d.Limit > reports.MaxLimit:
		return apperr.Field("limit", "out_of_range", fmt.Sprintf("limit is 1 to %d (default %d)", reports.MaxLimit, reports.DefaultLimit))
	default:
		p.limit = d.Limit
	}
	return nil
}
