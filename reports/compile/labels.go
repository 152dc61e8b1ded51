package compile

import "github.com/voronka/voronka/reports"

// aggLabels name each aggregation in Russian and English.
var aggLabels = map[string][2]string{
	reports.AggCount:         {"количество", "count"},
	reports.AggCountDistinct: {"уникальных", "distinct"},
	reports.AggSum:           {"сумма", "sum"},
	reports.AggAvg:           {"среднее", "average"},
	reports.AggMin:           {"минимум", "minimum"},
	reports.AggMax:           {"максимум", "maximum"},
	reports.AggMedian:        {"медиана", "median"},
}

// aggDefs say what each aggregation computes, for the hover definition.
var aggDefs = map[string][2]string{
	reports.AggCount:         {"Число записей с непустым значением поля.", "The number of rows where the field is not empty."},
	reports.AggCountDistinct: {"Число различных значений поля.", "The number of distinct values of the field."},
	reports.AggSum:           {"Сумма значений поля.", "The sum of the field's values."},
	reports.AggAvg:           {"Среднее значений поля (пустые не учитываются).", "The mean of the field's values (empty ones left out)."},
	reports.AggMin:           {"Наименьшее значение поля.", "The smallest value of the field."},
	reports.AggMax:           {"Наибольшее значение поля.", "The largest value of the field."},
	reports.AggMedian:        {"Медиана: середина упорядоченных значений (при чётном числе — среднее двух средних).", "The median: the middle of the sorted values (the mean of the two middle ones for an even count)."},
}

// grainLabels name each grain.
var grainLabels = map[string][2]string{
	"day": {"день", "day"}, "week": {"неделя", "week"}, "month": {"месяц", "month"},
	"quarter": {"квартал", "quarter"}, "year": {"год", "year"},
}

// pick is the Russian (default) or English half of a pair.
func pick(pair [2]string, lang string) string {
	if lang == "en" {
		return pair[1]
	}
	return pair[0]
}

// Words used in pivot and total labels.
var (
	totalLabel = [2]string{"Итого", "Total"}
	emptyLabel = [2]string{"(пусто)", "(empty)"}
	countLabel = [2]string{"Количество", "Count"}
)
