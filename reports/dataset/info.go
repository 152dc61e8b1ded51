package dataset

import "github.com/voronka/voronka/reports"

// Info is a dataset as GET /datasets describes it.
type Info struct {
	Key         string      `json:"key"`
	LabelRU     string      `json:"label_ru"`
	LabelEN     string      `json:"label_en"`
	DefaultDate string      `json:"default_date"`
	Fields      []FieldInfo `json:"fields"`
}

// FieldInfo is a field with the operators its filters take and, for a
// date, the grains it takes.
type FieldInfo struct {
	Field
	Ops    []string `json:"ops"`
	Grains []string `json:"grains,omitempty"`
}

// Info describes the dataset.
func (d *Dataset) Info() Info {
	info := Info{Key: d.Key, LabelRU: d.LabelRU, LabelEN: d.LabelEN, DefaultDate: d.DefaultDate}
	for _, f := range d.Fields {
		fi := FieldInfo{Field: f, Ops: reports.OpsFor(f.Type)}
		if f.IsDate() {
			fi.Grains = reports.Grains
		}
		info.Fields = append(info.Fields, fi)
	}
	return info
}
