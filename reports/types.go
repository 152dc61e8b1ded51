package reports

// The vocabulary of a report definition: field types, aggregations,
// filter operators, grains, chart hints and limits. Datasets, the
// compiler and the pages all speak it.

// Field types: how a value is rendered and which filters apply.
const (
	TypeString   = "string"
	TypeInteger  = "integer"
	TypeNumber   = "number"
	TypeMoney    = "money"
	TypePercent  = "percent"
	TypeDate     = "date"
	TypeDateTime = "datetime"
)

// Aggregations a measure may use.
const (
	AggCount         = "count"
	AggCountDistinct = "count_distinct"
	AggSum           = "sum"
	AggAvg           = "avg"
	AggMin           = "min"
	AggMax           = "max"
	AggMedian        = "median"
)

// Aggs lists every aggregation, for error details.
var Aggs = []string{AggCount, AggCountDistinct, AggSum, AggAvg, AggMin, AggMax, AggMedian}

// Filter operators.
const (
	OpEq       = "eq"
	OpNe       = "ne"
	OpIn       = "in"
	OpNotIn    = "not_in"
	OpGt       = "gt"
	OpLt       = "lt"
	OpBetween  = "between"
	OpContains = "contains"
	OpIsNull   = "is_null"
)

// Ops lists every operator.
var Ops = []string{OpEq, OpNe, OpIn, OpNotIn, OpGt, OpLt, OpBetween, OpContains, OpIsNull}

var (
	textOps  = []string{OpEq, OpNe, OpIn, OpNotIn, OpContains, OpIsNull}
	valueOps = []string{OpEq, OpNe, OpIn, OpNotIn, OpGt, OpLt, OpBetween, OpIsNull}
	dateOps  = []string{OpGt, OpLt, OpBetween, OpIsNull}
)

// OpsFor lists the operators a field type takes.
func OpsFor(typ string) []string {
	switch typ {
	case TypeString:
		return textOps
	case TypeDate, TypeDateTime:
		return dateOps
	}
	return valueOps
}

// Grains a date dimension may take.
var Grains = []string{"day", "week", "month", "quarter", "year"}

// ChartTypes are the accepted chart hints.
var ChartTypes = []string{"table", "bar", "stacked_bar", "line", "area", "pie", "number"}

// Limits of a grouped report's rows.
const (
	DefaultLimit = 1000
	MaxLimit     = 100000
)

// MaxExportRows bounds an export of a grouped report that names no
// limit: about five full Excel sheets.
const MaxExportRows = 5_000_000
