package dashboards

import (
	"github.com/voronka/voronka/reports"
)

// builderChoices lists the datasets and the chosen one's fields by label.
func (s *Server) builderChoices(d *pageData, sel map[string]string) *builderBody {
	b := &builderBody{Sel: sel}
	label := func(ru, en string) string {
		if d.Lang == "en" {
			return en
		}
		return ru
	}
	for _, ds := range reports.Datasets() {
		b.Datasets = append(b.Datasets, option{ds.Key, label(ds.LabelRU, ds.LabelEN)})
	}
	if sel["dataset"] == "" {
		sel["dataset"] = "deals"
	}
	ds, ok := reports.DatasetByKey(sel["dataset"])
	if !ok {
		return b
	}
	b.Measures = append(b.Measures, option{"count", d.T("agg_count")})
	for _, f := range ds.Info().Fields {
		if f.Dimension {
			b.Dims = append(b.Dims, option{f.Key, f.Label(d.Lang)})
		}
		for _, agg := range f.Aggs {
			if agg != reports.AggCount {
				b.Measures = append(b.Measures, option{f.Key + ":" + agg, f.Label(d.Lang) + ": " + d.T("agg_"+agg)})
			}
		}
	}
	for _, g := range reports.Grains {
		b.Grains = append(b.Grains, option{g, d.T("grain_" + g)})
	}
	for _, pr := range presets {
		b.Presets = append(b.Presets, option{pr.Key, label(pr.RU, pr.EN)})
	}
	for _, c := range []string{"bar", "line", "pie", "table"} {
		b.Charts = append(b.Charts, option{c, d.T("chart_" + c)})
	}
	return b
}
