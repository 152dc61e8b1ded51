package pages

import (
	"strconv"

	"github.com/voronka/voronka/reports"
)

// builderFits reports whether the builder can show def whole: another
// kind it makes (kindFits), or a grouped report of a dataset with at
// most two dimensions (the second without a grain, pivoted or not), the
// measures and filter rows the form holds, one sort at most, and a
// period without its own time zone.
func builderFits(def reports.Definition) bool {
	if def.Kind != "" && def.Kind != reports.KindGrouped {
		return kindFits(def)
	}
	if def.Dataset == "" || len(def.Params) > 0 {
		return false
	}
	dims := def.Dimensions
	if len(dims) > 2 || len(def.Measures) > maxMeasures || len(def.Filters) > maxFilters || len(def.Sort) > 1 {
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

// builtLimit is the limit the builder wrote into every definition it
// saved until it had a limit field: read as no limit when a saved
// report opens in the builder, so saving it again drops the limit that
// cut its exports at 1,000 rows (on screen no limit shows as many).
const builtLimit = reports.DefaultLimit

// selFromDef is the builder's selection of a definition builderFits.
func selFromDef(def reports.Definition) builderSel {
	m := map[string]string{"kind": def.Kind, "dataset": def.Dataset, "chart": chartType(def), "compare": def.Compare}
	if m["chart"] == "" {
		m["chart"] = "bar"
	}
	if m["kind"] == "" {
		m["kind"] = reports.KindGrouped
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
	if def.Limit != 0 && def.Limit != builtLimit {
		m["limit"] = strconv.Itoa(def.Limit)
	}
	params, _ := kindValues(def.Params)
	for k, v := range params {
		m[k] = v
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
