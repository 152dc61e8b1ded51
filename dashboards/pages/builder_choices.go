package pages

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// measureGroup is one field's measures in the measure selects (an
// optgroup): each option names the field and what is computed.
type measureGroup struct {
	Label   string
	Options []option
}

// builderCharts are the chart types the builder offers.
var builderCharts = []string{"bar", "stacked_bar", "line", "area", "pie", "table"}

// builderChoices lists the kinds, the datasets and the chosen one's
// fields by label, with the measure selects of sel (one empty beyond
// those chosen), the sort choices and the other kinds' choices.
func (s *handlers) builderChoices(ctx context.Context, d *pageData, sel builderSel) *builderBody {
	b := &builderBody{Sel: sel.M, Kind: sel.kind(), SortValue: first(sel.Sort)}
	for _, k := range builderKinds {
		b.Kinds = append(b.Kinds, option{k.Kind, d.T("bld_kind_" + k.Kind)})
	}
	for _, ds := range dataset.All() {
		b.Datasets = append(b.Datasets, option{ds.Key, i18n.T(ds.LabelRU, ds.LabelEN).In(d.Lang)})
	}
	if sel.M["dataset"] == "" {
		sel.M["dataset"] = "deals"
	}
	for i := 0; i < max(2, len(sel.Measures)+1) && i < maxMeasures; i++ {
		r := measureRow{Name: "measure" + strconv.Itoa(i+1)}
		if i < len(sel.Measures) {
			r.Value = sel.Measures[i]
		}
		b.MeasureRows = append(b.MeasureRows, r)
	}
	for _, c := range builderCharts {
		b.Charts = append(b.Charts, option{c, d.T("chart_" + c)})
	}
	if c := sel.M["chart"]; !slices.ContainsFunc(b.Charts, func(o option) bool { return o.Value == c }) {
		b.Charts = append(b.Charts, option{c, c}) // a saved report's other chart type stays
	}
	for _, g := range reports.Grains {
		b.Grains = append(b.Grains, option{g, d.T("grain_" + g)})
	}
	for _, pr := range presets {
		b.Presets = append(b.Presets, option{pr.Key, pr.Label.In(d.Lang)})
	}
	for _, cm := range compares {
		b.Compares = append(b.Compares, option{cm.Key, cm.Label.In(d.Lang)})
	}
	if ds, ok := dataset.ByKey(sel.M["dataset"]); ok {
		b.fieldChoices(d, ds)
		b.sortChoices(d, ds, sel)
	}
	if b.Kind != reports.KindGrouped {
		s.kindChoices(ctx, d, b)
	}
	return b
}

// fieldChoices lists ds's dimensions, date fields and measures by label:
// the count of rows, then each field's measures as a group, the
// aggregations its declaration allows (a count of its values is left
// out: the count of rows says as much).
func (b *builderBody) fieldChoices(d *pageData, ds *dataset.Dataset) {
	b.CountLabel = d.T("agg_count")
	for _, f := range ds.Info().Fields {
		if b.codeOnly(ds, f.Key) {
			continue // its name says it in words (a saved report's own choice stays)
		}
		if f.Dimension {
			b.Dims = append(b.Dims, option{f.Key, f.Label(d.Lang)})
		}
		if f.IsDate() {
			b.DateFields = append(b.DateFields, option{f.Key, f.Label(d.Lang)})
		}
		g := measureGroup{Label: f.Label(d.Lang)}
		for _, agg := range f.Aggs {
			if agg != reports.AggCount {
				g.Options = append(g.Options, option{f.Key + ":" + agg, measureLabel(d, f.Field, agg)})
			}
		}
		if len(g.Options) > 0 {
			b.MeasureGroups = append(b.MeasureGroups, g)
		}
	}
}

// codeOnly reports whether a field holds codes its name field puts in
// words (stage beside stage_name), so the builder offers the name only,
// unless a selection already groups by the code.
func (b *builderBody) codeOnly(ds *dataset.Dataset, key string) bool {
	if _, ok := ds.Field(key + "_name"); !ok || !isCodeColumn(key) {
		return false
	}
	for k, v := range b.Sel {
		if v == key && strings.HasPrefix(k, "dim") {
			return false
		}
	}
	return true
}

// measureLabel names a measure as its result column does: the field's
// own label for it (the number of deals won), else field: aggregation.
func measureLabel(d *pageData, f dataset.Field, agg string) string {
	if l, ok := f.AggLabel(agg); ok {
		return l.In(d.Lang)
	}
	return f.Label(d.Lang) + ": " + d.T("agg_"+agg)
}

// sortChoices lists the columns the selection may sort by, each way.
func (b *builderBody) sortChoices(d *pageData, ds *dataset.Dataset, sel builderSel) {
	def, _ := sel.definition("")
	labels := map[string]string{reports.AggCount: d.T("agg_count")}
	for _, dim := range def.Dimensions {
		if f, ok := ds.Field(dim.Field); ok {
			l := f.Label(d.Lang)
			if dim.Grain != "" {
				l += " (" + d.T("grain_"+dim.Grain) + ")"
			}
			labels[dim.Field+"_"+dim.Grain] = l
			labels[dim.Field] = l
		}
	}
	for _, m := range def.Measures {
		if f, ok := ds.Field(m.Field); ok {
			labels[m.Field+"_"+m.Agg] = measureLabel(d, f, m.Agg)
		}
	}
	for _, k := range sortKeys(def) {
		b.Sorts = append(b.Sorts, option{k, labels[k] + " " + d.T("bld_sort_asc")}, option{k + ":desc", labels[k] + " " + d.T("bld_sort_desc")})
	}
}
