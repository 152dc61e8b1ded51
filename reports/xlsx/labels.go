package xlsx

import (
	"fmt"
	"strings"
	"time"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// words are the workbook's own texts in Russian and English.
var words = i18n.Catalog{
	"sheet":         i18n.T("Отчёт", "Report"),
	"params":        i18n.T("Параметры", "Parameters"),
	"data":          i18n.T("Данные", "Data"),
	"pivot":         i18n.T("Сводная", "PivotTable"),
	"chart":         i18n.T("Диаграмма", "Chart"),
	"period":        i18n.T("период", "period"),
	"generated":     i18n.T("сформирован", "generated"),
	"total":         i18n.T("Итого", "Total"),
	"no_rows":       i18n.T("Нет данных за период", "No data for the period"),
	"continued":     i18n.T("Строки продолжаются на листе «%s».", "The rows continue on sheet “%s”."),
	"continuing":    i18n.T("продолжение, строки с %d", "continued, rows from %d"),
	"truncated":     i18n.T("Показаны не все строки: отчёт ограничен %d строками.", "Not every row is shown: the report stops at %d rows."),
	"p_report":      i18n.T("Отчёт", "Report"),
	"p_kind":        i18n.T("Вид отчёта", "Report kind"),
	"p_dataset":     i18n.T("Набор данных", "Dataset"),
	"p_period":      i18n.T("Период", "Period"),
	"p_field":       i18n.T("Дата периода", "Period date"),
	"p_tz":          i18n.T("Часовой пояс", "Time zone"),
	"p_dims":        i18n.T("Измерения", "Dimensions"),
	"p_measures":    i18n.T("Показатели", "Measures"),
	"p_filter":      i18n.T("Фильтр", "Filter"),
	"p_pivot":       i18n.T("Столбцы сводной", "Pivot columns"),
	"p_params":      i18n.T("Параметры вида", "Kind parameters"),
	"p_by":          i18n.T("Сформирован для", "Generated for"),
	"p_at":          i18n.T("Сформирован", "Generated at"),
	"p_data_as":     i18n.T("Данные на", "Data as of"),
	"p_rows":        i18n.T("Строк", "Rows"),
	"p_sheets":      i18n.T("Листы с данными", "Data sheets"),
	"p_truncated":   i18n.T("Обрезан по лимиту", "Cut off by the limit"),
	"p_def":         i18n.T("Определение (JSON)", "Definition (JSON)"),
	"yes":           i18n.T("да", "yes"),
	"no":            i18n.T("нет", "no"),
	"all_time":      i18n.T("весь период", "all time"),
	"role_admin":    i18n.T("администратор", "admin"),
	"role_director": i18n.T("коммерческий директор", "commercial director"),
	"role_analyst":  i18n.T("аналитик", "analyst"),
	"role_manager":  i18n.T("менеджер", "manager"),
}

// word is a workbook text in the report's language.
func (w *Writer) word(key string) string { return words.T(w.rep.Lang, key) }

// dateLayout is how dates read in each language.
var dateLayout = i18n.T("02.01.2006", "2006-01-02")

// periodText is the period as inclusive dates in the report's time zone
// ("01.02.2025–28.02.2025"); "" when the report has none.
func periodText(meta reports.Meta, loc *time.Location, lang string) string {
	if meta.From.IsZero() || meta.To.IsZero() {
		return ""
	}
	from, to := meta.From.In(loc), meta.To.In(loc).Add(-time.Nanosecond)
	return from.Format(dateLayout.In(lang)) + "–" + to.Format(dateLayout.In(lang))
}

// title is the text of a data sheet's first row: report, period,
// generation time (and which rows a continuation sheet holds).
func (w *Writer) title(firstRow int) string {
	parts := []string{w.rep.Name}
	if p := periodText(w.meta, w.loc, w.rep.Lang); p != "" {
		parts = append(parts, w.word("period")+" "+p)
	}
	parts = append(parts, w.word("generated")+" "+w.rep.Now.In(w.loc).Format(dateLayout.In(w.rep.Lang)+" 15:04 MST"))
	if firstRow > 1 {
		parts = append(parts, fmt.Sprintf(w.word("continuing"), firstRow))
	}
	return strings.Join(parts, " · ")
}

// label is a column's header in the report's language: its label in
// that language, else its Label, else its key.
func (w *Writer) label(c reports.Column) string {
	other := or(c.Label, c.Key)
	return i18n.T(or(c.LabelRU, other), or(c.LabelEN, other)).In(w.rep.Lang)
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
