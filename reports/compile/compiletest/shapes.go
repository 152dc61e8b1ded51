// Package compiletest holds grouped report definitions whose SQL the
// compiler keeps as golden files and the engine tests run on ClickHouse:
// test support, never linked by the binary.
package compiletest

import "github.com/voronka/voronka/domain"

// The principals the shapes compile for.
var (
	manager7  = domain.Principal{UserID: 7, Role: domain.RoleManager}
	director2 = domain.Principal{UserID: 2, Role: domain.RoleDirector}
)

// ArchitectureExample is the definition docs/architecture.md shows, verbatim.
const ArchitectureExample = `{
  "dataset": "deals",
  "dimensions": [{"field": "responsible"}, {"field": "created_at", "grain": "month"}],
  "measures": [{"field": "amount", "agg": "sum"}, {"agg": "count"}],
  "filters": [{"field": "pipeline", "op": "eq", "value": "sales"}],
  "period": {"field": "created_at", "preset": "last_90_days"},
  "pivot": {"columns": ["stage_group"]},
  "sort": [{"by": "amount_sum", "desc": true}],
  "limit": 1000,
  "chart": {"type": "bar"}
}`

// Shapes are grouped definitions whose compiled SQL reports/compile keeps
// in testdata/<Name>.sql (golden files) and which the engine's tests run
// on ClickHouse, each as the principal P.
var Shapes = []struct {
	Name string
	P    domain.Principal
	Def  string
}{
	{"architecture_example", manager7, ArchitectureExample},
	{"deals_by_manager_month", manager7, `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"created_at","grain":"month"}],
		"measures":[{"field":"amount","agg":"sum"},{"agg":"count"}],"filters":[{"field":"pipeline","op":"eq","value":"sales"}],
		"period":{"field":"created_at","preset":"last_90_days"},"sort":[{"by":"amount_sum","desc":true}],"limit":1000,"chart":{"type":"bar"}}`},
	{"deals_pivot_stage_group", director2, `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"stage_group"}],
		"measures":[{"field":"weighted_amount","agg":"sum"},{"field":"amount","agg":"median"}],"pivot":{"columns":["stage_group"]}}`},
	{"deals_filters", director2, `{"dataset":"deals","measures":[{"field":"amount","agg":"avg"},{"field":"id","agg":"count_distinct"}],
		"filters":[{"field":"title","op":"contains","value":"'; DROP TABLE deals; --"},{"field":"id","op":"not_in","value":[1,2]},
		{"field":"amount","op":"between","value":[10,"99.5"]},{"field":"closed_at","op":"between","value":["2026-01-01","2026-01-31"]},
		{"field":"source","op":"is_null","value":false}],"period":{"preset":"this_year","tz":"Asia/Vladivostok"}}`},
	{"stage_changes_by_stage", manager7, `{"dataset":"stage_changes","dimensions":[{"field":"to_stage_name"},{"field":"changed_at","grain":"week"}],
		"measures":[{"field":"deal_id","agg":"count_distinct"}]}`},
	{"activities_by_owner", manager7, `{"dataset":"activities","dimensions":[{"field":"owner_name"},{"field":"type"}],
		"measures":[{"agg":"count"},{"field":"duration_s","agg":"median"}]}`},
	{"payments_by_month", manager7, `{"dataset":"payments","dimensions":[{"field":"paid_at","grain":"month"}],
		"measures":[{"field":"amount","agg":"sum"}],"filters":[{"field":"status","op":"eq","value":"paid"}]}`},
	{"leads_conversion", manager7, `{"dataset":"leads","dimensions":[{"field":"source_name"}],"measures":[{"field":"converted","agg":"avg"}]}`},
	{"companies", manager7, `{"dataset":"companies","dimensions":[{"field":"created_at","grain":"year"}],"measures":[{"agg":"count"}]}`},
}
