package reports

// aggLabels name each aggregation in Russian and English.
var aggLabels = map[string][2]string{
	AggCount:         {"количество", "count"},
	AggCountDistinct: {"уникальных", "distinct"},
	AggSum:           {"сумма", "sum"},
	AggAvg:           {"среднее", "average"},
	AggMin:           {"минимум", "minimum"},
	AggMax:           {"максимум", "maximum"},
	AggMedian:        {"медиана", "median"},
}

// aggDefs say what each aggregation computes, for the hover definition.
var aggDefs = map[string][2]string{
	AggCount:         {"Число записей с непустым значением поля.", "The number of rows where the field is not empty."},
	AggCountDistinct: {"Число различных значений поля.", "The number of distinct values of the field."},
	AggSum:           {"Сумма значений поля.", "The sum of the field's values."},
	AggAvg:           {"Среднее значений поля (пустые не учитываются).", "The mean of the field's values (empty ones left out)."},
	AggMin:           {"Наименьшее значение поля.", "The smallest value of the field."},
	AggMax:           {"Наибольшее значение поля.", "The largest value of the field."},
	AggMedian:        {"Медиана: середина упорядоченных значений (при чётном числе — среднее двух средних).", "The median: the middle of the sorted values (the mean of the two middle ones for an even count)."},
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
