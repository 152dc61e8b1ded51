package xlsx

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/voronka/voronka/reports"
)

// paramsSheet lists what the report was asked for and who it was made
// for: one label–value pair a row.
func (w *Writer) paramsSheet() error {
	name := w.word("params")
	if _, err := w.f.NewSheet(name); err != nil {
		return err
	}
	for i, kv := range w.params() {
		row := strconv.Itoa(i + 1)
		if err := w.f.SetCellStr(name, "A"+row, kv[0]); err != nil {
			return err
		}
		if err := w.f.SetCellStr(name, "B"+row, kv[1]); err != nil {
			return err
		}
		_ = w.f.SetCellStyle(name, "A"+row, "A"+row, w.st.key)
	}
	_ = w.f.SetColWidth(name, "A", "A", 24)
	return w.f.SetColWidth(name, "B", "B", 90)
}

// params are the rows of the parameters sheet.
func (w *Writer) params() [][2]string {
	out := [][2]string{{w.word("p_report"), w.rep.Name}}
	add := func(key, v string) {
		if v != "" {
			out = append(out, [2]string{w.word(key), v})
		}
	}
	if d := w.rep.Def; d != nil {
		add("p_kind", or(d.Kind, reports.KindGrouped))
		add("p_dataset", d.Dataset)
		add("p_dims", dimsText(d.Dimensions))
		add("p_measures", measuresText(d.Measures))
		for _, f := range d.Filters {
			add("p_filter", f.Field+" "+f.Op+" "+string(f.Value))
		}
		if d.Pivot != nil {
			add("p_pivot", strings.Join(d.Pivot.Columns, ", "))
		}
		add("p_params", string(d.Params))
		if d.Period != nil {
			add("p_field", or(d.Period.Field, "created_at"))
		}
	}
	add("p_period", or(periodText(w.meta, w.loc, w.rep.Lang), w.word("all_time")))
	add("p_tz", w.loc.String())
	add("p_by", strings.TrimSpace(w.rep.By.Name+" <"+w.rep.By.Email+"> ("+string(w.rep.By.Role)+")"))
	add("p_at", w.rep.Now.In(w.loc).Format(time.RFC3339))
	if !w.meta.DataAsOf.IsZero() {
		add("p_data_as", w.meta.DataAsOf.In(w.loc).Format(time.RFC3339))
	}
	add("p_rows", strconv.Itoa(w.rows))
	add("p_sheets", strings.Join(w.sheets, ", "))
	add("p_truncated", map[bool]string{true: w.word("yes"), false: w.word("no")}[w.meta.Truncated])
	if w.rep.Def != nil {
		if b, err := json.Marshal(w.rep.Def); err == nil {
			add("p_def", string(b))
		}
	}
	return out
}

func dimsText(ds []reports.Dimension) string {
	var s []string
	for _, d := range ds {
		if d.Grain != "" {
			s = append(s, d.Field+" ("+d.Grain+")")
		} else {
			s = append(s, d.Field)
		}
	}
	return strings.Join(s, ", ")
}

func measuresText(ms []reports.Measure) string {
	var s []string
	for _, m := range ms {
		s = append(s, strings.TrimPrefix(m.Field+" "+m.Agg, " "))
	}
	return strings.Join(s, ", ")
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}
