package pages

import "github.com/voronka/voronka/internal/i18n"

// builderMessages are the report builder's filter and editing strings,
// merged into messages.
var builderMessages = i18n.Catalog{
	"filters":        i18n.T("Фильтры", "Filters"),
	"filter_add":     i18n.T("добавить фильтр", "add a filter"),
	"filter_remove":  i18n.T("убрать фильтр", "remove the filter"),
	"filters_help":   i18n.T("Строки, которые попадут в отчёт: все условия вместе (И). Для «в списке» без выбора из списка значения разделяйте «;».", "Which rows the report counts: all conditions together (AND). For \"in list\" without a list to pick from, separate values with \";\"."),
	"filter_field":   i18n.T("Поле фильтра", "Filter field"),
	"filter_op":      i18n.T("Условие", "Condition"),
	"filter_value":   i18n.T("Значение", "Value"),
	"filter_list":    i18n.T("значения через ;", "values separated by ;"),
	"op_eq":          i18n.T("равно", "equals"),
	"op_ne":          i18n.T("не равно", "not equal"),
	"op_in":          i18n.T("в списке", "in list"),
	"op_not_in":      i18n.T("не в списке", "not in list"),
	"op_gt":          i18n.T("больше", "greater than"),
	"op_lt":          i18n.T("меньше", "less than"),
	"op_between":     i18n.T("между (включительно)", "between (inclusive)"),
	"op_contains":    i18n.T("содержит", "contains"),
	"op_is_null":     i18n.T("пусто", "is empty"),
	"op_not_null":    i18n.T("не пусто", "is not empty"),
	"op_gt_date":     i18n.T("после", "after"),
	"op_lt_date":     i18n.T("до", "before"),
	"period_field":   i18n.T("Дата периода", "Period date"),
	"edit":           i18n.T("Изменить в конструкторе", "Edit in the builder"),
	"copy":           i18n.T("Открыть копию в конструкторе", "Open a copy in the builder"),
	"editing":        i18n.T("Изменение отчёта", "Editing report"),
	"copying":        i18n.T("Копия отчёта", "Copy of report"),
	"back_to_report": i18n.T("к отчёту", "back to the report"),
	"save_changes":   i18n.T("Сохранить изменения", "Save changes"),
	"save_copy":      i18n.T("Сохранить как копию", "Save as a copy"),
	"copy_suffix":    i18n.T(" (копия)", " (copy)"),
}
