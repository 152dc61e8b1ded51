package engine

import (
	"context"
	"testing"
)

// forecastCategorySQL sets the fixture's forecast categories by hand;
// A-3 (won), B-2 (refused) and A-4 have none:
//
//	A-1 Анна  commit     B-1 Борис commit
//	A-2 Анна  best_case  B-3 Борис pipeline
const forecastCategorySQL = `
UPDATE deals d SET forecast_category = v.cat
FROM (VALUES ('A-1', 'commit'), ('A-2', 'best_case'), ('B-1', 'commit'), ('B-3', 'pipeline')) AS v (title, cat)
WHERE d.title = v.title`

// The deals dataset's forecast_category is the category set on the deal
// (a code, empty when none): it groups, filters by value and by
// emptiness, under the access rules, with the counts of the table above.
func TestForecastCategoryField(t *testing.T) {
	f := newFixture(t)
	if _, err := f.pg.Pool.Exec(context.Background(), forecastCategorySQL); err != nil {
		t.Fatal(err)
	}
	mirror(t, f.pg, f.ch, 2, "deals")
	cases := []struct{ name, as, def, want string }{
		{"by category", "dir", `{"dataset":"deals","dimensions":[{"field":"forecast_category"}],"measures":[{"agg":"count"}]}`,
			`[["best_case",1],["commit",2],["pipeline",1],[null,3]] totals [null,7]`},
		{"one category", "dir", `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"}],
			"filters":[{"field":"forecast_category","op":"eq","value":"commit"}]}`, `[["A-1",1],["B-1",1]] totals [null,2]`},
		{"none set", "dir", `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"}],
			"filters":[{"field":"forecast_category","op":"is_null"}]}`, `[["A-3",1],["A-4",1],["B-2",1]] totals [null,3]`},
		{"two of them", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"forecast_category","op":"in","value":["best_case","pipeline"]}]}`, `[[2]]`},
		{"a manager's own", "anna", `{"dataset":"deals","dimensions":[{"field":"forecast_category"}],"measures":[{"agg":"count"}]}`,
			`[["best_case",1],["commit",1],[null,2]] totals [null,4]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cells(f.run(t, c.as, c.def)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}
