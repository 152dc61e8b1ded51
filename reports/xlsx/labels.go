package xlsx

import (
	"fmt"
	"strings"
	"time"

	"github.com/voronka/voronka/reports"
)

// words are the workbook's own texts in Russian and English.
var words = map[string][2]string{
	"sheet":       {"Отчёт", "Report"},
	"params":      {"Параметры", "Parameters"},
	"data":        {"Данные", "Data"},
	"pivot":       {"Сводная", "PivotTable"},
	"chart":       {"Диаграмма", "Chart"},
	"period":      {"период", "period"},
	"generated":   {"сформирован", "generated"},
	"total":       {"Итого", "Total"},
	"no_rows":     {"Нет данных за период", "No data for the period"},
	"continued":   {"Строки продолжаются на листе «%s».", "The rows continue on sheet “%s”."},
	"continuing":  {"продолжение, строки с %d", "continued, rows from %d"},
	"truncated":   {"Показаны не все строки: отчёт ограничен %d строками.", "Not every row is shown: the report stops at %d rows."},
	"p_report":    {"Отчёт", "Report"},
	"p_kind":      {"Вид отчёта", "Report kind"},
	"p_dataset":   {"Набор данных", "Dataset"},
	"p_period":    {"Период", "Period"},
	"p_field":     {"Дата периода", "Period date"},
	"p_tz":        {"Часовой пояс", "Time zone"},
	"p_dims":      {"Измерения", "Dimensions"},
	"p_measures":  {"Показатели", "Measures"},
	"p_filter":    {"Фильтр", "Filter"},
	"p_pivot":     {"Столбцы сводной", "Pivot columns"},
	"p_params":    {"Параметры вида", "Kind parameters"},
	"p_by":        {"Сформирован для", "Generated for"},
	"p_at":        {"Сформирован", "Generated at"},
	"p_data_as":   {"Данные на", "Data as of"},
	"p_rows":      {"Строк", "Rows"},
	"p_sheets":    {"Листы с данными", "Data sheets"},
	"p_truncated": {"Обрезан по лимиту", "Cut off by the limit"},
	"p_def":       {"Определение (JSON)", "Definition (JSON)"},
	"yes":         {"да", "yes"},
	"no":          {"нет", "no"},
	"all_time":    {"весь период", "all time"},
}

// word is a workbook text in the report's language.
func (w *Writer) word(key string) string {
	if w.rep.Lang == "en" {
		return words[key][1]
	}
	return words[key][0]
}

// dateLayout is how dates read in the report's language.
func dateLayout(lang string) string {
	if lang == "en" {
		return "2006-01-02"
	}
	return "02.01.2006"
}

// periodText is the period as inclusive dates in the report's time zone
// ("01.02.2025–28.02.2025"); "" when the report has none.
func periodText(meta reports.Meta, loc *time.Location, lang string) string {
	if meta.From.IsZero() || meta.To.IsZero() {
		return ""
	}
	from, to := meta.From.In(loc), meta.To.In(loc).Add(-time.Nanosecond)
	return from.Format(dateLayout(lang)) + "–" + to.Format(dateLayout(lang))
}

// title is the text of a data sheet's first row: report, period,
// generation time (and which rows a continuation sheet holds).
func (w *Writer) title(firstRow int) string {
	parts := []string{w.rep.Name}
	if p := periodText(w.meta, w.loc, w.rep.Lang); p != "" {
		parts = append(parts, w.word("period")+" "+p)
	}
	parts = append(parts, w.word("generated")+" "+w.rep.Now.In(w.loc).Format(dateLayout(w.rep.Lang)+" 15:04 MST"))
	if firstRow > 1 {
		parts = append(parts, fmt.Sprintf(w.word("continuing"), firstRow))
	}
	return strings.Join(parts, " · ")
}

// label is a column's header in the report's language.
func (w *Writer) label(c reports.Column) string {
	switch {
	case w.rep.Lang == "en" && c.LabelEN != "":
		return c.LabelEN
	case w.rep.Lang == "ru" && c.LabelRU != "":
		return c.LabelRU
	case c.Label != "":
		return c.Label
	}
	return c.Key
}

// headers are the data columns' labels, made unique.
func (w *Writer) headers() []string { return w.labels(w.cols) }

// labels are columns' headers in the report's language, made unique (a
// table's or a PivotTable's header must be).
func (w *Writer) labels(cols []reports.Column) []string {
	seen := map[string]int{}
	out := make([]string, len(cols))
	for i, c := range cols {
		l := w.label(c)
		if n := seen[l]; n > 0 {
			seen[l] = n + 1
			l = fmt.Sprintf("%s (%d)", l, n+1)
		} else {
			seen[l] = 1
		}
		out[i] = l
	}
	return out
}
