package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// planDrill drills a plan report (kind, params) as p: cell (JSON) and
// column; it returns the ids, sorted, and the records' amounts summed.
func planDrill(t *testing.T, s *kxStores, p domain.Principal, kind, params, cell, column string) ([]int64, decimal.Decimal) {
	t.Helper()
	var c map[string]json.RawMessage
	if err := json.Unmarshal([]byte(cell), &c); err != nil {
		t.Fatalf("cell %s: %v", cell, err)
	}
	res, err := s.eng.Drill(context.Background(), p, kinds.DrillRequest{
		Definition: &reports.Definition{Kind: kind, Params: json.RawMessage(params)}, Cell: c, Column: column})
	if err != nil {
		t.Fatalf("drill %s %s %s %s: %v", kind, params, cell, column, err)
	}
	ids := drillResultIDs(t, res)
	slices.Sort(ids)
	sum := decimal.Zero
	if col := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "amount" }); col >= 0 {
		for _, r := range res.Rows {
			sum = sum.Add(r[col].(domain.Money).Decimal)
		}
	}
	return ids, sum
}

// pgQueryIDs are the ids a plain PostgreSQL query selects, sorted.
func pgQueryIDs(t *testing.T, s *kxStores, q string, args ...any) []int64 {
	t.Helper()
	rows, err := s.pg.Pool.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

type planDrillCase struct {
	name      string
	p         domain.Principal
	params    string
	cell, col string
	want      []int64
}

func runPlanDrillCases(t *testing.T, s *kxStores, kind string, cases []planDrillCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := planDrill(t, s, c.p, kind, c.params, c.cell, c.col)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
		})
	}
}

// TestDrillPlanFactByHand: pfFixture's March (see its table): the
// won roubles of M1 are D1 (closed at March's first Moscow instant) and
// D4, never D2 (one second before it, February's) nor D3 (after as_of);
// M2's D6 and D7; a manager drilling the team's total gets their own
// deals only (M2 observes D1 but it is not theirs); new deals, calls by
// owner (activities, their ids looked up in PostgreSQL by subject).
func TestDrillPlanFactByHand(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	won := `{"metric": "won_amount", "month": "2026-03", ` + pfAsOf + `}`
	runPlanDrillCases(t, s, reports.KindPlanFact, []planDrillCase{
		{"M1's won", kxDirector, won, `{"responsible": 101}`, "fact", []int64{1, 4}},
		{"column fact by default", kxDirector, won, `{"responsible": 101}`, "", []int64{1, 4}},
		{"M2's won", kxDirector, won, `{"responsible": 102}`, "fact", []int64{6, 7}},
		{"M3 won nothing", kxDirector, won, `{"responsible": 103}`, "fact", []int64{}},
		{"the team's", kxDirector, won, `{}`, "fact", []int64{1, 4, 6, 7, 10}},
		{"a manager's total is their own", pfM2, won, `{}`, "fact", []int64{6, 7}},
		{"a manager asking for another's", pfM2, won, `{"responsible": 101}`, "fact", []int64{}},
		{"M1 manager", pfM1, won, `{}`, "fact", []int64{1, 4}},
		{"pipeline fx", kxDirector, `{"metric": "won_amount", "month": "2026-03", "pipeline": "fx", ` + pfAsOf + `}`, `{"responsible": 102}`, "fact", []int64{6}},
		{"the month over", kxDirector, `{"metric": "won_count", "month": "2026-03"}`, `{"responsible": 101}`, "fact", []int64{1, 3, 4}},
		{"February: one second before March", kxDirector, `{"metric": "won_amount", "month": "2026-02"}`, `{"responsible": 101}`, "fact", []int64{2}},
		{"new deals", kxDirector, `{"metric": "new_deals", "month": "2026-03", ` + pfAsOf + `}`, `{"responsible": 101}`, "fact", []int64{4, 8}},
	})
	calls := `{"metric": "calls", "month": "2026-03", ` + pfAsOf + `}`
	runPlanDrillCases(t, s, reports.KindPlanFact, []planDrillCase{
		{"M1's calls", kxDirector, calls, `{"responsible": 101}`, "fact", pgQueryIDs(t, s, `SELECT id FROM activities WHERE subject IN ('A1', 'A3')`)},
		{"the team's calls", kxDirector, calls, `{}`, "fact", pgQueryIDs(t, s, `SELECT id FROM activities WHERE subject IN ('A1', 'A3', 'A5')`)},
		{"meetings", kxDirector, `{"metric": "meetings", "month": "2026-03", ` + pfAsOf + `}`, `{}`, "fact", pgQueryIDs(t, s, `SELECT id FROM activities WHERE subject = 'A6'`)},
	})
}

// TestDrillPlanFactAddsUp: for every row of each metric's answer and its
// totals, as the director and as M2, the drilled records are as many as
// the fact counts, or their amounts sum to the roubles.
func TestDrillPlanFactAddsUp(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	for _, p := range []domain.Principal{kxDirector, pfM2} {
		for _, m := range []string{"won_amount", "won_count", "new_deals", "calls", "meetings"} {
			for _, month := range []string{"2026-02", "2026-03"} {
				params := `{"metric": "` + m + `", "month": "` + month + `", ` + pfAsOf + `}`
				res := kxRun(t, s.eng, p, reports.KindPlanFact, nil, params)
				fact := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "fact" })
				cells := map[string]any{"{}": res.Totals[fact]}
				for _, r := range res.Rows {
					cells[fmt.Sprintf(`{"responsible": %d}`, r[0])] = r[fact]
				}
				for cell, want := range cells {
					ids, sum := planDrill(t, s, p, reports.KindPlanFact, params, cell, "fact")
					got := any(int64(len(ids)))
					if m == "won_amount" {
						got = domain.Money{Decimal: sum}
					}
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("%d %s %s %s: the drill adds up to %v, the answer says %v", p.UserID, m, month, cell, got, want)
					}
				}
			}
		}
	}
}

// TestDrillForecastByHand: the forecast of March to May 2026 over
// pfFixture+fcExtra (see fcExtra's table): won in a month, the open
// deals expected in it, by category; D16, won at May's first Moscow
// instant (April 30 in UTC), is May's and not April's.
func TestDrillForecastByHand(t *testing.T) {
	s := kxReadOnly(t, pfFixture+fcExtra, pfNow)
	three := `{"from": "2026-03", "months": 3}`
	runPlanDrillCases(t, s, reports.KindForecast, []planDrillCase{
		{"M1's March won", kxDirector, three, `{"month": "2026-03-01", "responsible": 101}`, "won", []int64{1, 3, 4}},
		{"M1's March best case", kxDirector, three, `{"month": "2026-03-01", "responsible": 101}`, "best_case", []int64{9}},
		{"M1's March weighted", kxDirector, three, `{"month": "2026-03-01", "responsible": 101}`, "weighted", []int64{9}},
		{"M1's March pipeline category", kxDirector, three, `{"month": "2026-03-01", "responsible": 101}`, "cat_pipeline", []int64{9}},
		{"M1's April best case category", kxDirector, three, `{"month": "2026-04-01", "responsible": 101}`, "cat_best_case", []int64{8}},
		{"April's open", kxDirector, three, `{"month": "2026-04-01"}`, "best_case", []int64{8, 12}},
		{"April's won: D16 is May's", kxDirector, three, `{"month": "2026-04-01"}`, "won", []int64{}},
		{"May's won", kxDirector, three, `{"month": "2026-05-01", "responsible": 102}`, "won", []int64{16}},
		{"May's commit", kxDirector, three, `{"month": "2026-05-01"}`, "cat_commit", []int64{11}},
		{"M2 over the months", kxDirector, three, `{"responsible": 102}`, "won", []int64{6, 7, 16}},
		{"all won", kxDirector, three, `{}`, "won", []int64{1, 3, 4, 6, 7, 10, 16}},
		{"a manager's total", pfM2, three, `{}`, "won", []int64{6, 7, 16}},
		{"a manager asking for another's", pfM2, three, `{"responsible": 101}`, "won", []int64{}},
		{"the manager filter", kxDirector, `{"from": "2026-03", "months": 3, "responsible": 101}`, `{}`, "won", []int64{1, 3, 4}},
		{"pipeline fx", kxDirector, `{"from": "2026-03", "months": 3, "pipeline": "fx"}`, `{}`, "won", []int64{1, 3, 4, 6, 10, 16}},
		{"by month: June", kxDirector, `{"from": "2026-03", "months": 4, "by": "month"}`, `{"month": "2026-06-01"}`, "best_case", []int64{13}},
	})
}

// TestDrillForecastAccuracyByHand: March and April 2026 over
// pfFixture+faExtra (see faExtra's table): the deals named by the
// forecast as it stood just before the month's first Moscow instant
// (A24, created one second before it, is; A25, created at it, is not)
// and those won in the month.
func TestDrillForecastAccuracyByHand(t *testing.T) {
	s := kxReadOnly(t, pfFixture+faExtra, pfNow)
	two := `{"from": "2026-03", "months": 2}`
	m1 := `{"month": "2026-03-01", "responsible": 101}`
	m2 := `{"month": "2026-03-01", "responsible": 102}`
	runPlanDrillCases(t, s, reports.KindForecastAccuracy, []planDrillCase{
		{"M1's named", kxDirector, two, m1, "forecast_best_case", []int64{21, 22, 26}},
		{"M1's weighted", kxDirector, two, m1, "forecast_weighted", []int64{21, 22, 26}},
		{"M1's commit", kxDirector, two, m1, "forecast_commit", []int64{21}},
		{"M1's won", kxDirector, two, m1, "won", []int64{1, 3, 4, 21, 25}},
		{"M1's won of the forecast", kxDirector, two, m1, "won_forecast", []int64{21}},
		{"M2's named", kxDirector, two, m2, "forecast_best_case", []int64{23, 24}},
		{"M2's commit by hand", kxDirector, two, m2, "forecast_commit", []int64{23}},
		{"M2's won", kxDirector, two, m2, "won", []int64{6, 7, 24}},
		{"M2's won of the forecast", kxDirector, two, m2, "won_forecast", []int64{24}},
		{"April: A22 postponed into it", kxDirector, two, `{"month": "2026-04-01"}`, "forecast_best_case", []int64{22}},
		{"March, the team's named", kxDirector, two, `{"month": "2026-03-01"}`, "forecast_best_case", []int64{21, 22, 23, 24, 26}},
		{"a manager's total", pfM2, two, `{}`, "forecast_best_case", []int64{23, 24}},
		{"the manager filter", kxDirector, `{"from": "2026-03", "months": 2, "responsible": 102}`, `{}`, "won", []int64{6, 7, 24}},
		{"by month", kxDirector, `{"from": "2026-03", "months": 2, "by": "month"}`, `{"month": "2026-04-01"}`, "forecast_weighted", []int64{22}},
	})
}

// TestDrillForecastsAddUp: for every cell of the forecast's and the
// accuracy's answers (rows, by month and by responsible), as the
// director and as M2, each figure's records sum to it (weighted: the
// same deals as the best case, each weighted). A total over the months
// lists each deal once: the union of the months' lists, while the
// number adds the months up (the accuracy names A22 in March and in
// April), so the months' lists sum to it.
func TestDrillForecastsAddUp(t *testing.T) {
	for _, k := range []struct {
		kind, fixture string
		months        []string
		figures       []string
		sameAs        map[string]string
	}{
		{reports.KindForecast, fcExtra, []string{"2026-03-01", "2026-04-01", "2026-05-01"},
			[]string{"won", "best_case", "cat_commit", "cat_best_case", "cat_pipeline", "weighted"}, map[string]string{"weighted": "best_case"}},
		{reports.KindForecastAccuracy, faExtra, []string{"2026-03-01", "2026-04-01"},
			[]string{"forecast_best_case", "forecast_commit", "won", "won_forecast", "forecast_weighted"}, map[string]string{"forecast_weighted": "forecast_best_case"}},
	} {
		s := kxReadOnly(t, pfFixture+k.fixture, pfNow)
		for _, p := range []domain.Principal{kxDirector, pfM2} {
			n := fmt.Sprint(len(k.months))
			for _, params := range []string{`{"from": "2026-03", "months": ` + n + `}`, `{"from": "2026-03", "months": ` + n + `, "by": "month"}`} {
				res := kxRun(t, s.eng, p, k.kind, nil, params)
				keys := []string{"month"}
				if res.Columns[1].Key == "responsible" {
					keys = append(keys, "responsible")
				}
				for i, r := range append([][]any{res.Totals}, res.Rows...) {
					cell := map[string]any{}
					for j, key := range keys {
						if i > 0 {
							cell[key] = r[j]
						}
					}
					b, _ := json.Marshal(cell)
					idsOf := map[string][]int64{}
					for _, fig := range k.figures {
						col := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == fig })
						ids, sum := planDrill(t, s, p, k.kind, params, string(b), fig)
						idsOf[fig] = ids
						if same, ok := k.sameAs[fig]; ok {
							if fmt.Sprint(ids) != fmt.Sprint(idsOf[same]) {
								t.Errorf("%s %s %s %s: %v, not %s's %v", k.kind, params, b, fig, ids, same, idsOf[same])
							}
							continue
						}
						if i == 0 { // the total: the months' lists
							sum = decimal.Zero
							var union []int64
							for _, m := range k.months {
								mids, msum := planDrill(t, s, p, k.kind, params, `{"month": "`+m+`"}`, fig)
								sum, union = sum.Add(msum), append(union, mids...)
							}
							slices.Sort(union)
							if union = slices.Compact(union); fmt.Sprint(union) != fmt.Sprint(ids) {
								t.Errorf("%s %d %s total %s: %v, the months' %v", k.kind, p.UserID, params, fig, ids, union)
							}
						}
						if got := (domain.Money{Decimal: sum}); got.StringFixed(2) != r[col].(domain.Money).StringFixed(2) {
							t.Errorf("%s %d %s %s %s: the records sum to %s, the answer says %s", k.kind, p.UserID, params, b, fig, got.StringFixed(2), r[col].(domain.Money).StringFixed(2))
						}
					}
				}
			}
		}
	}
}

// TestDrillPlansBadInput: a plan figure, a worked-out figure, a column
// the report has not, a cell key that is no row key, a value of the
// wrong type or a month outside the report are 422s on the field.
func TestDrillPlansBadInput(t *testing.T) {
	s := kxReadOnly(t, pfFixture, pfNow)
	pf := `{"metric": "won_amount", "month": "2026-03"}`
	fc := `{"from": "2026-03", "months": 3}`
	fa := `{"from": "2026-02", "months": 1}`
	for _, c := range []struct {
		name, kind, params, cell, column string
		opts                             compile.DrillOptions
		field, code                      string
	}{
		{"a plan is no records", reports.KindPlanFact, pf, `{}`, "plan", compile.DrillOptions{}, "column", "plan_not_records"},
		{"a percent is worked out", reports.KindPlanFact, pf, `{}`, "percent", compile.DrillOptions{}, "column", "not_countable"},
		{"the run-rate forecast", reports.KindPlanFact, pf, `{}`, "forecast", compile.DrillOptions{}, "column", "not_countable"},
		{"no such column", reports.KindPlanFact, pf, `{}`, "profit", compile.DrillOptions{}, "column", "unknown_column"},
		{"plan-fact has no month key", reports.KindPlanFact, pf, `{"month": "2026-03-01"}`, "fact", compile.DrillOptions{}, "cell.month", "not_a_row_key"},
		{"text for an id", reports.KindPlanFact, pf, `{"responsible": "101"}`, "fact", compile.DrillOptions{}, "cell.responsible", "invalid_value"},
		{"a fraction for an id", reports.KindPlanFact, pf, `{"responsible": 101.5}`, "fact", compile.DrillOptions{}, "cell.responsible", "invalid_value"},
		{"sort by no column", reports.KindPlanFact, pf, `{}`, "fact", compile.DrillOptions{Sort: []reports.Sort{{By: "password_hash"}}}, "sort[0].by", "unknown_column"},
		{"the forecast needs a column", reports.KindForecast, fc, `{}`, "", compile.DrillOptions{}, "column", "required"},
		{"the forecast's plan", reports.KindForecast, fc, `{}`, "plan", compile.DrillOptions{}, "column", "plan_not_records"},
		{"a month outside the report", reports.KindForecast, fc, `{"month": "2026-07-01"}`, "won", compile.DrillOptions{}, "cell.month", "invalid_value"},
		{"a month in words", reports.KindForecast, fc, `{"month": "март"}`, "won", compile.DrillOptions{}, "cell.month", "invalid_value"},
		{"a month as YYYY-MM", reports.KindForecast, fc, `{"month": "2026-03"}`, "won", compile.DrillOptions{}, "cell.month", "invalid_value"},
		{"by month has no responsible", reports.KindForecast, `{"from": "2026-03", "months": 3, "by": "month"}`, `{"responsible": 101}`, "won",
			compile.DrillOptions{}, "cell.responsible", "not_a_row_key"},
		{"limit too high", reports.KindForecast, fc, `{}`, "won", compile.DrillOptions{Limit: compile.MaxDrillLimit + 1}, "limit", "out_of_range"},
		{"the accuracy ratio", reports.KindForecastAccuracy, fa, `{}`, "accuracy", compile.DrillOptions{}, "column", "not_countable"},
		{"the accuracy has no plan", reports.KindForecastAccuracy, fa, `{}`, "plan", compile.DrillOptions{}, "column", "unknown_column"},
		{"a bad param", reports.KindForecastAccuracy, `{"from": "2027-01"}`, `{}`, "won", compile.DrillOptions{}, "definition.params.from", "not_begun"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var cell map[string]json.RawMessage
			json.Unmarshal([]byte(c.cell), &cell)
			_, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{
				Definition: &reports.Definition{Kind: c.kind, Params: json.RawMessage(c.params)}, Cell: cell, Column: c.column, DrillOptions: c.opts})
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != c.field || ae.Code != c.code {
				t.Errorf("error %v, want 422 %s on %s", err, c.code, c.field)
			}
		})
	}
	if !slices.Contains(kinds.DrillKinds(), reports.KindForecastAccuracy) || !slices.Contains(kinds.DrillKinds(), reports.KindPlanFact) {
		t.Errorf("DrillKinds %v", kinds.DrillKinds())
	}
}
