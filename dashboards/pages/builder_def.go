package pages

import (
	"github.com/voronka/voronka/reports"
)

// builderFits reports whether the builder can show def whole: a grouped
// report of a dataset with at most two dimensions (the second without a
// grain, pivoted or not), the measures and filter rows the form holds,
// and a period without its own time zone.
func builderFits(def reports.Definition) bool {
	if (def.Kind != "" && def.Kind != reports.KindGrouped) || def.Dataset == "" || len(def.Params) > 0 {
		return false
	}
	dims := def.Dimensions
	if len(dims) > 2 || len(def.Measures) > maxMeasures || len(def.Filters) > maxFilters {
		return false
	}
	if len(dims) == 2 && dims[1].Grain != "" {
		return false
	}
	if p := def.Pivot; p != nil && (len(dims) != 2 || len(p.Columns) != 1 || p.Columns[0] != dims[1].Field) {
		return false
	}
	return def.Period == nil || def.Period.TZ == ""
}

// selFromDef is the builder's selection of a definition builderFits.
func selFromDef(def reports.Definition) builderSel {
	m := map[string]string{"dataset": def.Dataset, "chart": chartType(def)}
	if m["chart"] == "" {
		m["chart"] = "bar"
	}
	if len(def.Dimensions) > 0 {
		m["dim1"], m["grain1"] = def.Dimensions[0].Field, def.Dimensions[0].Grain
	}
	if len(def.Dimensions) > 1 {
		m["dim2"] = def.Dimensions[1].Field
	}
	if def.Pivot != nil {
		m["pivot"] = "on"
	}
	if p := def.Period; p != nil {
		m["period"], m["from"], m["to"], m["period_field"] = p.Preset, p.From, p.To, p.Field
	}
	sel := builderSel{M: m}
	for _, ms := range def.Measures {
		if ms.Field == "" {
			sel.Measures = append(sel.Measures, ms.Agg)
		} else {
			sel.Measures = append(sel.Measures, ms.Field+":"+ms.Agg)
		}
	}
	for _, f := range def.Filters {
		sel.Filters = append(sel.Filters, rowFromFilter(f))
	}
	for _, s := range def.Sort {
		by := s.By
		if s.Desc {
			by += ":desc"
		}
		sel.Sort = append(sel.Sort, by)
	}
	return sel
}
