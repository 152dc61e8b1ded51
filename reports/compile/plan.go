package compile

import (
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// Limits of a grouped report (DefaultLimit and MaxLimit: reports).
const (
	maxDimensions = 8
	maxMeasures   = 20
	maxFilters    = 30
	MaxInValues   = 1000
	maxText       = 1000
)

// plan is a validated grouped definition, resolved against its dataset:
// what the compiler turns into SQL. Every identifier in it comes from the
// dataset; every request value sits in a condition's bound arguments.
type Plan struct {
	ds       *dataset.Dataset
	dims     []dimPlan
	measures []measurePlan
	inner    []sq.Sqlizer // conditions on the base table's columns
	outer    []sq.Sqlizer // conditions on columns lookups add
	semi     []semiJoin   // outer conditions also checked before the joins
	lookups  []string     // lookups the fields used need
	exprs    []string     // expressions of the fields used
	rng      *reports.Range
	period   dataset.Field
	loc      *time.Location
	pivot    []int // indexes into dims that become columns
	sort     []sortPlan
	limit    int
	lang     string
}

// dimPlan is one dimension: its field, grain and result column key.
type dimPlan struct {
	field dataset.Field
	grain string
	key   string
}

// measurePlan is one measure; field is zero for a plain count.
type measurePlan struct {
	field dataset.Field
	agg   string
	key   string
}

// sortPlan orders by a result column (dims then measures, by index).
type sortPlan struct {
	col  int
	desc bool
}

// at is the JSON path of element i of a list.
func at(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }

// dimKey is a dimension's result column key (API.md): the field key,
// with _<grain> for a time grain.
func dimKey(field, grain string) string {
	if grain == "" {
		return field
	}
	return field + "_" + grain
}

// measureKey is a measure's result column key: <field>_<agg>, or count.
func measureKey(field, agg string) string {
	if field == "" {
		return agg
	}
	return field + "_" + agg
}

// keys lists the result column keys, dimensions first.
func (p *Plan) keys() []string {
	var out []string
	for _, d := range p.dims {
		out = append(out, d.key)
	}
	for _, m := range p.measures {
		out = append(out, m.key)
	}
	return out
}

// tz is the report's time zone name.
func (p *Plan) tz() string { return p.loc.String() }

// IsPivot reports whether the plan turns dimensions into columns.
func (p *Plan) IsPivot() bool { return len(p.pivot) > 0 }

// WithLimit is a copy of the plan showing up to n rows (an export's).
func (p *Plan) WithLimit(n int) *Plan {
	c := *p
	c.limit = n
	return &c
}
