package pages

import (
	"context"
	"slices"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// maxKnownValues caps a filter's list of known values; a field with more
// distinct values is typed instead.
const maxKnownValues = 200

// pickable reports whether a filter on f offers its known values: text
// and id dimensions read through a lookup (stage, pipeline, company…) or
// named by a companion <key>_name field (responsible, source…).
func pickable(ds *dataset.Dataset, f dataset.FieldInfo) bool {
	if !f.Dimension || (f.Type != reports.TypeString && f.Type != reports.TypeInteger) {
		return false
	}
	_, named := ds.Field(f.Key + "_name")
	return len(f.Lookups) > 0 || named
}

// knownValues lists the distinct values of f in the rows p sees (by its
// companion name when it has one), through the report engine; nil when
// the field is not pickable, has too many values or the query fails.
func (s *handlers) knownValues(ctx context.Context, p domain.Principal, ds *dataset.Dataset, f dataset.FieldInfo) []option {
	if !pickable(ds, f) {
		return nil
	}
	def := reports.Definition{Dataset: ds.Key, Dimensions: []reports.Dimension{{Field: f.Key}},
		Measures: []reports.Measure{{Agg: reports.AggCount}}, Limit: maxKnownValues + 1}
	if _, named := ds.Field(f.Key + "_name"); named {
		def.Dimensions = append(def.Dimensions, reports.Dimension{Field: f.Key + "_name"})
	}
	res, err := s.Reports.Run(ctx, p, &def)
	if err != nil || len(res.Rows) > maxKnownValues {
		return nil
	}
	var out []option
	for _, row := range res.Rows {
		if row[0] == nil {
			continue
		}
		o := option{Value: valueText(row[0]), Label: valueText(row[0])}
		if len(def.Dimensions) == 2 && row[1] != nil {
			o.Label = valueText(row[1])
		}
		if !slices.ContainsFunc(out, func(x option) bool { return x.Value == o.Value }) {
			out = append(out, o)
		}
	}
	return out
}
