package compile

import (
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// aggLabels name each aggregation in Russian and English.
var aggLabels = map[string]i18n.Text{
	reports.AggCount:         i18n.T("количество", "count"),
	reports.AggCountDistinct: i18n.T("уникальных", "distinct"),
	reports.AggSum:           i18n.T("сумма", "sum"),
	reports.AggAvg:           i18n.T("среднее", "average"),
	reports.AggMin:           i18n.T("минимум", "minimum"),
	reports.AggMax:           i18n.T("максимум", "maximum"),
	reports.AggMedian:        i18n.T("медиана", "median"),
}

// aggDefs say what each aggregation computes, for the hover definition.
var aggDefs = map[string]i18n.Text{
	reports.AggCount:         i18n.T("Число записей с непустым значением поля.", "The number of rows where the field is not empty."),
	reports.AggCountDistinct: i18n.T("Число различных значений поля.", "The number of distinct values of the field."),
	reports.AggSum:           i18n.T("Сумма значений поля.", "The sum of the field's values."),
	reports.AggAvg:           i18n.T("Среднее значений поля (пустые не учитываются).", "The mean of the field's values (empty ones left out)."),
	reports.AggMin:           i18n.T("Наименьшее значение поля.", "The smallest value of the field."),
	reports.AggMax:           i18n.T("Наибольшее значение поля.", "The largest value of the field."),
	reports.AggMedian:        i18n.T("Медиана: середина упорядоченных значений (при чётном числе — среднее двух средних).", "The median: the middle of the sorted values (the mean of the two middle ones for an even count)."),
}

// grainLabels name each grain.
var grainLabels = map[string]i18n.Text{
	"day": i18n.T("день", "day"), "week": i18n.T("неделя", "week"), "month": i18n.T("месяц", "month"),
	"quarter": i18n.T("квартал", "quarter"), "year": i18n.T("год", "year"),
}

// Words used in pivot and total labels.
var (
	totalLabel = i18n.T("Итого", "Total")
	emptyLabel = i18n.T("(пусто)", "(empty)")
	countLabel = i18n.T("Количество", "Count")
)

// labelIn is a column's label in lang, from its Russian and English ones.
func labelIn(c reports.Column, lang string) string { return i18n.T(c.LabelRU, c.LabelEN).In(lang) }
