package reports

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	goldenDB      = olap.Names{Database: "voronka"}
	goldenNow     = time.Date(2026, 4, 14, 22, 30, 0, 0, time.UTC)
	goldenManager = domain.Principal{UserID: 7, Role: domain.RoleManager}
	goldenDir     = domain.Principal{UserID: 2, Role: domain.RoleDirector}
)

// architectureExample is the definition ARCHITECTURE.md shows, verbatim.
const architectureExample = `{
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

// goldenCases are the compiled shapes kept in testdata/<name>.sql.
var goldenCases = []struct {
	name string
	p    domain.Principal
	def  string
}{
	{"architecture_example", goldenManager, architectureExample},
	{"deals_by_manager_month", goldenManager, `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"created_at","grain":"month"}],
		"measures":[{"field":"amount","agg":"sum"},{"agg":"count"}],"filters":[{"field":"pipeline","op":"eq","value":"sales"}],
		"period":{"field":"created_at","preset":"last_90_days"},"sort":[{"by":"amount_sum","desc":true}],"limit":1000,"chart":{"type":"bar"}}`},
	{"deals_pivot_stage_group", goldenDir, `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"stage_group"}],
		"measures":[{"field":"weighted_amount","agg":"sum"},{"field":"amount","agg":"median"}],"pivot":{"columns":["stage_group"]}}`},
	{"deals_filters", goldenDir, `{"dataset":"deals","measures":[{"field":"amount","agg":"avg"},{"field":"id","agg":"count_distinct"}],
		"filters":[{"field":"title","op":"contains","value":"'; DROP TABLE deals; --"},{"field":"id","op":"not_in","value":[1,2]},
		{"field":"amount","op":"between","value":[10,"99.5"]},{"field":"closed_at","op":"between","value":["2026-01-01","2026-01-31"]},
		{"field":"source","op":"is_null","value":false}],"period":{"preset":"this_year","tz":"Asia/Vladivostok"}}`},
	{"stage_changes_by_stage", goldenManager, `{"dataset":"stage_changes","dimensions":[{"field":"to_stage_name"},{"field":"changed_at","grain":"week"}],
		"measures":[{"field":"deal_id","agg":"count_distinct"}]}`},
	{"activities_by_owner", goldenManager, `{"dataset":"activities","dimensions":[{"field":"owner_name"},{"field":"type"}],
		"measures":[{"agg":"count"},{"field":"duration_s","agg":"median"}]}`},
	{"payments_by_month", goldenManager, `{"dataset":"payments","dimensions":[{"field":"paid_at","grain":"month"}],
		"measures":[{"field":"amount","agg":"sum"}],"filters":[{"field":"status","op":"eq","value":"paid"}]}`},
	{"leads_conversion", goldenManager, `{"dataset":"leads","dimensions":[{"field":"source_name"}],"measures":[{"field":"converted","agg":"avg"}]}`},
	{"companies", goldenManager, `{"dataset":"companies","dimensions":[{"field":"created_at","grain":"year"}],"measures":[{"agg":"count"}]}`},
}

// The compiler's SQL for each golden case is the one in testdata/;
// go test -run TestCompileGolden -update rewrites them.
func TestCompileGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			got := goldenText(t, c.p, c.def)
			path := filepath.Join("testdata", c.name+".sql")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("compiled SQL differs from %s:\n%s", path, got)
			}
		})
	}
}

// goldenText is every query of a compiled definition with its arguments.
func goldenText(t *testing.T, p domain.Principal, def string) string {
	t.Helper()
	d, err := ParseDefinition([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(goldenDB, p, d, goldenNow)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, q := range []*olap.Query{c.Main, c.Rows, c.Cols} {
		if q == nil {
			continue
		}
		b.WriteString(layout(q.SQL))
		for i, a := range q.Args {
			fmt.Fprintf(&b, "-- arg %d: %#v\n", i+1, fmt.Sprint(a))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// layout breaks a query at its clauses, for readable golden files.
func layout(q string) string {
	for _, kw := range []string{" FROM ", " WHERE ", " GROUP BY ", " ORDER BY ", " LIMIT ", " ANY LEFT JOIN "} {
		q = strings.ReplaceAll(q, kw, "\n"+strings.TrimLeft(kw, " "))
	}
	return q + ";\n"
}
