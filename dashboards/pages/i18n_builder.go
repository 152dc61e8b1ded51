package pages

// builderMessages are the report builder's filter and editing strings,
// merged into messages.
var builderMessages = map[string]map[string]string{
	"ru": {
		"filters": "Фильтры", "filter_add": "добавить фильтр", "filter_remove": "убрать фильтр",
		"filters_help": "Строки, которые попадут в отчёт: все условия вместе (И). Для «в списке» без выбора из списка значения разделяйте «;».",
		"filter_field": "Поле фильтра", "filter_op": "Условие", "filter_value": "Значение", "filter_list": "значения через ;",
		"op_eq": "равно", "op_ne": "не равно", "op_in": "в списке", "op_not_in": "не в списке", "op_gt": "больше",
		"op_lt": "меньше", "op_between": "между (включительно)", "op_contains": "содержит", "op_is_null": "пусто",
		"op_not_null": "не пусто", "op_gt_date": "после", "op_lt_date": "до", "period_field": "Дата периода",
		"edit": "Изменить в конструкторе", "copy": "Открыть копию в конструкторе",
		"editing": "Изменение отчёта", "copying": "Копия отчёта", "back_to_report": "к отчёту",
		"save_changes": "Сохранить изменения", "save_copy": "Сохранить как копию", "copy_suffix": " (копия)",
	},
	"en": {
		"filters": "Filters", "filter_add": "add a filter", "filter_remove": "remove the filter",
		"filters_help": "Which rows the report counts: all conditions together (AND). For \"in list\" without a list to pick from, separate values with \";\".",
		"filter_field": "Filter field", "filter_op": "Condition", "filter_value": "Value", "filter_list": "values separated by ;",
		"op_eq": "equals", "op_ne": "not equal", "op_in": "in list", "op_not_in": "not in list", "op_gt": "greater than",
		"op_lt": "less than", "op_between": "between (inclusive)", "op_contains": "contains", "op_is_null": "is empty",
		"op_not_null": "is not empty", "op_gt_date": "after", "op_lt_date": "before", "period_field": "Period date",
		"edit": "Edit in the builder", "copy": "Open a copy in the builder",
		"editing": "Editing report", "copying": "Copy of report", "back_to_report": "back to the report",
		"save_changes": "Save changes", "save_copy": "Save as a copy", "copy_suffix": " (copy)",
	},
}

func init() { mergeMessages(builderMessages) }

// mergeMessages adds a page's strings to messages.
func mergeMessages(extra map[string]map[string]string) {
	for lang, m := range extra {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
