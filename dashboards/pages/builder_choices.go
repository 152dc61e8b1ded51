package pages

import (
	"slices"
	"strconv"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// builderChoices lists the datasets and the chosen one's fields by label,
// with the measure selects of sel (one empty beyond those chosen).
func (s *handlers) builderChoices(d *pageData, sel builderSel) *builderBody {
	b := &builderBody{Sel: sel.M}
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
	for _, c := range []string{"bar", "line", "pie", "table"} {
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
	if ds, ok := dataset.ByKey(sel.M["dataset"]); ok {
		b.fieldChoices(d, ds)
	}
	return b
}

// fieldChoices lists ds's dimensions, measures and date fields by label.
func (b *builderBody) fieldChoices(d *pageData, ds *dataset.Dataset) {
	b.Measures = append(b.Measures, option{"count", d.T("agg_count")})
	for _, f := range ds.Info().Fields {
		if f.Dimension {
			b.Dims = append(b.Dims, option{f.Key, f.Label(d.Lang)})
		}
		if f.IsDate() {
			b.DateFields = append(b.DateFields, option{f.Key, f.Label(d.Lang)})
		}
		for _, agg := range f.Aggs {
			if agg != reports.AggCount {
				b.Measures = append(b.Measures, option{f.Key + ":" + agg, f.Label(d.Lang) + ": " + d.T("agg_"+agg)})
			}
		}
	}
}
