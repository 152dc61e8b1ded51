package dataset

import (
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// Field builders for the dataset declarations.

// The aggregations each kind of field allows: only those that mean
// something. A count with a field counts its non-empty values.
var (
	dimAggs   = []string{reports.AggCount, reports.AggCountDistinct}
	dateAggs  = []string{reports.AggCount, reports.AggMin, reports.AggMax}
	valueAggs = []string{reports.AggCount, reports.AggSum, reports.AggAvg, reports.AggMin, reports.AggMax, reports.AggMedian}
	// levelAggs: a level such as a probability (a sum of levels is no figure).
	levelAggs = []string{reports.AggAvg, reports.AggMin, reports.AggMax, reports.AggMedian}
	// rankAggs: a place in an order, such as a stage's position.
	rankAggs = []string{reports.AggMin, reports.AggMax}
	// flagAggs: a 0/1 flag; its sum counts the yeses, its average is their share.
	flagAggs = []string{reports.AggSum, reports.AggAvg}
)

// text is a string dimension.
func text(key, expr, ru, en string) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: reports.TypeString, Dimension: true, Aggs: dimAggs}
}

// ref is an integer id dimension (a user, a deal, a company).
func ref(key, expr, ru, en string) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: reports.TypeInteger, Dimension: true, Aggs: dimAggs}
}

// quantity is an integer or fractional measure.
func quantity(key, typ, expr, ru, en string) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: typ, Aggs: valueAggs}
}

// flag is a 0/1 property of a row (won, converted, done): it groups;
// its sum is the number of rows that have it, labelled count, and its
// average their share (a percentage), labelled share.
func flag(key, expr, ru, en string, count, share i18n.Text) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: reports.TypeInteger, Dimension: true, Aggs: flagAggs,
		Flag: true, AggLabels: map[string]i18n.Text{reports.AggSum: count, reports.AggAvg: share}}
}

// allowing replaces the aggregations the field allows.
func (f Field) allowing(aggs []string) Field {
	f.Aggs = aggs
	return f
}

// money is an amount in roubles (or a currency, as the label says).
func money(key, expr, ru, en string) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: reports.TypeMoney, Aggs: valueAggs}
}

// moment is a DateTime('UTC') column: a dimension with a grain, a period
// field, min and max.
func moment(key, expr, ru, en string) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: reports.TypeDateTime, Dimension: true, Aggs: dateAggs}
}

// day is a Nullable(Date) column, a calendar date without a time or
// zone: a dimension with a grain (truncated as it is), a period field,
// min and max.
func day(key, expr, ru, en string) Field {
	return Field{Key: key, Expr: expr, LabelRU: ru, LabelEN: en, Type: reports.TypeDate, Dimension: true, Aggs: dateAggs}
}

// with names the lookups the field's Expr reads.
func (f Field) with(lookups ...string) Field {
	f.Lookups = append(append([]string(nil), f.Lookups...), lookups...)
	return f
}

// desc sets the field's definition, shown on hover.
func (f Field) desc(ru, en string) Field { return f.define(i18n.T(ru, en)) }

// define sets the field's definition from a text in both languages.
func (f Field) define(def i18n.Text) Field {
	f.DescriptionRU, f.DescriptionEN = def.RU, def.EN
	return f
}

// orderedBy orders the field's values as pivot columns by the least
// value of expr (Field.Order).
func (f Field) orderedBy(expr string) Field {
	f.Order = expr
	return f
}

// stageOrder orders stages as their pipelines do, over rows with a
// pipeline_id and the stage lookup of prefix: the pipelines in the order
// they were made, each one's stages by position.
func stageOrder(prefix string) string { return "pipeline_id * 1000000 + " + prefix + "_position" }

// asDim lets a measure field group too.
func (f Field) asDim() Field {
	f.Dimension = true
	return f
}
