package compile

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

var fieldKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// The dataset declarations keep their invariants, and their columns
// exist in the ClickHouse mirror.
func TestDatasetsDeclarations(t *testing.T) {
	ch := testenv.NewCH(t)
	types := []string{reports.TypeString, reports.TypeInteger, reports.TypeNumber, reports.TypeMoney, reports.TypePercent, reports.TypeDate, reports.TypeDateTime}
	for _, ds := range dataset.All() {
		cols, err := ch.DB.Columns(context.Background(), ds.Table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cols {
			names = append(names, c.Name)
		}
		for _, c := range ds.Columns {
			if !slices.Contains(names, c) {
				t.Errorf("%s: column %s is not in the mirror table %s", ds.Key, c, ds.Table)
			}
		}
		if f, ok := ds.Field(ds.DefaultDate); !ok || !f.IsDate() {
			t.Errorf("%s: default date %q is not a date field", ds.Key, ds.DefaultDate)
		}
		for _, l := range ds.Lookups {
			for _, n := range l.Needs {
				if _, ok := ds.FindLookup(n); !ok {
					t.Errorf("%s: lookup %s needs undeclared %s", ds.Key, l.Name, n)
				}
			}
		}
		seen := map[string]bool{}
		for _, f := range ds.Fields {
			switch {
			case seen[f.Key] || !fieldKeyRE.MatchString(f.Key):
				t.Errorf("%s: field key %q repeated or malformed", ds.Key, f.Key)
			case f.LabelRU == "" || f.LabelEN == "" || !slices.Contains(types, f.Type):
				t.Errorf("%s.%s: labels or type missing", ds.Key, f.Key)
			case strings.Contains(f.Expr, "?"):
				t.Errorf("%s.%s: a placeholder in code SQL would shift the bound values", ds.Key, f.Key)
			}
			seen[f.Key] = true
			for _, a := range f.Aggs {
				if !slices.Contains(reports.Aggs, a) {
					t.Errorf("%s.%s: unknown aggregation %s", ds.Key, f.Key, a)
				}
			}
			for _, l := range f.Lookups {
				if _, ok := ds.FindLookup(l); !ok {
					t.Errorf("%s.%s: lookup %s is not declared", ds.Key, f.Key, l)
				}
			}
		}
	}
}

// The deals dataset has the keys docs/api.md promises scripts.
func TestDealsDatasetKeys(t *testing.T) {
	ds, _ := dataset.ByKey("deals")
	for _, k := range strings.Fields(`id title pipeline stage stage_name stage_kind stage_group probability responsible
		responsible_name source amount weighted_amount currency created_at closed_at expected_close_at company`) {
		if _, ok := ds.Field(k); !ok {
			t.Errorf("deals lacks %s", k)
		}
	}
	for _, want := range []string{"deals", "leads", "stage_changes", "activities", "invoices", "payments", "companies", "contracts", "orders", "acts"} {
		if _, ok := dataset.ByKey(want); !ok {
			t.Errorf("no dataset %s", want)
		}
	}
}
