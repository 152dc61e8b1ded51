package engine

import (
	"context"
	"testing"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// expectedCloseSQL gives the fixture's deals expected close dates (issue
// 17); A-3 (won) and B-2 (refused) have none:
//
//	A-1 Анна  2024-04-30  1000.00      B-1 Борис 2024-05-31  2500.50
//	A-2 Анна  2024-05-15  9000.00      B-3 Борис 2024-06-01  32666.34
//	A-4 Анна  2024-04-01  1055.05 (a Monday)
const expectedCloseSQL = `
UPDATE deals d SET expected_close_at = v.day::date
FROM (VALUES ('A-1', '2024-04-30'), ('A-2', '2024-05-15'), ('A-4', '2024-04-01'), ('B-1', '2024-05-31'), ('B-3', '2024-06-01'))
    AS v (title, day)
WHERE d.title = v.title`

// The deals dataset's expected_close_at is a calendar date: it groups
// by every grain, is a period field and takes date filters, in every
// report zone alike (a date has no zone), with the sums worked out by
// hand from the table above.
func TestExpectedCloseDateField(t *testing.T) {
	f := newFixture(t)
	if _, err := f.pg.Pool.Exec(context.Background(), expectedCloseSQL); err != nil {
		t.Fatal(err)
	}
	mirror(t, f.pg, f.ch, 2, "deals")
	const set = `{"field":"expected_close_at","op":"is_null","value":false}`
	cases := []struct{ name, as, def, want string }{
		{"by month, amounts", "dir", `{"dataset":"deals","dimensions":[{"field":"expected_close_at","grain":"month"}],
			"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],"filters":[` + set + `]}`,
			`[["2024-04-01",2,2055.05],["2024-05-01",2,11500.50],["2024-06-01",1,32666.34]] totals [null,5,46221.89]`},
		{"deals without a date", "dir", `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"}],
			"filters":[{"field":"expected_close_at","op":"is_null"}]}`, `[["A-3",1],["B-2",1]] totals [null,2]`},
		{"a manager's own", "anna", `{"dataset":"deals","dimensions":[{"field":"expected_close_at","grain":"month"}],
			"measures":[{"agg":"count"}],"filters":[` + set + `]}`, `[["2024-04-01",2],["2024-05-01",1]] totals [null,3]`},
		{"the date and every grain", "dir", `{"dataset":"deals","dimensions":[{"field":"title"},{"field":"expected_close_at"},
			{"field":"expected_close_at","grain":"day"},{"field":"expected_close_at","grain":"week"},
			{"field":"expected_close_at","grain":"quarter"},{"field":"expected_close_at","grain":"year"}],
			"measures":[{"agg":"count"}],"filters":[{"field":"title","op":"in","value":["A-2","A-4"]}]}`,
			`[["A-2","2024-05-15","2024-05-15","2024-05-13","2024-04-01","2024-01-01",1],["A-4","2024-04-01","2024-04-01","2024-04-01","2024-04-01","2024-01-01",1]] totals [null,null,null,null,null,null,2]`},
		{"earliest and latest", "dir", `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],
			"measures":[{"field":"expected_close_at","agg":"min"},{"field":"expected_close_at","agg":"max"}],"filters":[` + set + `]}`,
			`[["Анна","2024-04-01","2024-05-15"],["Борис","2024-05-31","2024-06-01"]] totals [null,"2024-04-01","2024-06-01"]`},
		{"period of May, Moscow", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"period":{"field":"expected_close_at","from":"2024-05-01","to":"2024-05-31"}}`, `[[2]]`},
		{"period of May, UTC: the same dates", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"period":{"field":"expected_close_at","from":"2024-05-01","to":"2024-05-31","tz":"UTC"}}`, `[[2]]`},
		{"period of May, Kamchatka: the same dates", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"period":{"field":"expected_close_at","from":"2024-05-01","to":"2024-05-31","tz":"Asia/Kamchatka"}}`, `[[2]]`},
		{"period in New York: its own dates, the last included", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"period":{"field":"expected_close_at","from":"2024-04-30","to":"2024-05-30","tz":"America/New_York"}}`, `[[2]]`},
		{"after a date", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"expected_close_at","op":"gt","value":"2024-05-15"}]}`, `[[2]]`},
		{"before a date", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"expected_close_at","op":"lt","value":"2024-04-30"}]}`, `[[1]]`},
		{"between dates, both included", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"expected_close_at","op":"between","value":["2024-04-30","2024-05-31"]}]}`, `[[3]]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cells(f.run(t, c.as, c.def)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	for _, bad := range []string{`"2024-02-30"`, `"2024-05-15T00:00:00Z"`, `"15.05.2024"`, `20240515`} {
		d, err := reports.ParseDefinition([]byte(`{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"expected_close_at","op":"gt","value":` + bad + `}]}`))
		if err == nil {
			_, err = f.eng.Run(context.Background(), f.users["dir"], d)
		}
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != "filters[0].value" {
			t.Errorf("filter value %s: err %v, want 422 on filters[0].value", bad, err)
		}
	}
}
