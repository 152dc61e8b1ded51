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

// params are the rows of the parameters sheet: the report, what its
// rows were chosen by (in words when the report gives them, else the
// definition's fields), the period, and who it was made for and when.
func (w *Writer) params() [][2]string {
	out := [][2]string{{w.word("p_report"), w.rep.Name}}
	add := func(key, v string) {
		if v != "" {
			out = append(out, [2]string{w.word(key), v})
		}
	}
	for _, p := range w.rep.Params {
		if p.Value != "" {
			out = append(out, [2]string{p.Label, p.Value})
		}
	}
	technical := w.rep.Def != nil && w.rep.Params == nil
	if technical {
		w.defParams(add)
	}
	add("p_period", w.periodParam())
	add("p_tz", w.loc.String())
	add("p_by", w.byText())
	add("p_at", w.when(w.rep.Now))
	if !w.meta.DataAsOf.IsZero() {
		add("p_data_as", w.when(w.meta.DataAsOf))
	}
	add("p_rows", strconv.Itoa(w.rows))
	add("p_sheets", strings.Join(w.sheets, ", "))
	add("p_truncated", map[bool]string{true: w.word("yes"), false: w.word("no")}[w.meta.Truncated])
	if technical {
		if b, err := json.Marshal(w.rep.Def); err == nil {
			add("p_def", string(b))
		}
	}
	return out
}

// defParams adds the definition's fields, as a script wrote them.
func (w *Writer) defParams(add func(key, v string)) {
	d := w.rep.Def
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

// periodParam is the period's dates, after its name when it has one
// ("Этот год: 01.01.2025–31.12.2025").
func (w *Writer) periodParam() string {
	dates := or(periodText(w.meta, w.loc, w.rep.Lang), w.word("all_time"))
	if w.rep.PeriodName != "" {
		return w.rep.PeriodName + ": " + dates
	}
	return dates
}

// byText is whom the workbook was made for: name, e-mail, role in words.
func (w *Writer) byText() string {
	by := w.rep.By
	s := strings.TrimSpace(by.Name + " <" + by.Email + ">")
	if t, ok := words["role_"+string(by.Role)]; ok {
		s += " (" + t.In(w.rep.Lang) + ")"
	} else if by.Role != "" {
		s += " (" + string(by.Role) + ")"
	}
	return s
}

// when is an instant as the report's reader writes it, in its zone
// ("10.03.2025 12:00 MSK").
func (w *Writer) when(t time.Time) string {
	return t.In(w.loc).Format(dateLayout.In(w.rep.Lang) + " 15:04 MST")
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
