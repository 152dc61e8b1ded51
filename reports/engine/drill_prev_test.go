package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// TestDrillPreviousCells: on cmpFixture (now 10 April 2024 15:00
// Moscow), every _prev cell of a compared grouped answer and its
// totals, drilled through PreviousCell, lists exactly the deals worked
// out by hand from the fixture's table, as many as the cell's count_prev
// and adding up to its amount_sum_prev; and a cell with nothing before
// (an empty _prev cell) has no previous cell to open.
func TestDrillPreviousCells(t *testing.T) {
	s := kxReadOnly(t, cmpFixture, cmpNow)
	for _, tc := range []struct {
		name, def string
		as        domain.Principal
		prev      map[string][]int64 // a row's dimension values → the previous deals behind its _prev cells
		total     []int64
	}{
		{"this year so far by month against as much of the year before (to 10 April 2023 15:00)",
			cmpDef(`{"field":"created_at","grain":"month"}`, `{"preset":"this_year"}`, "previous_year"), kxDirector,
			map[string][]int64{"2024-02-01": {1, 8}, "2024-03-01": {2}}, []int64{1, 2, 8}},
		{"this month so far by month against as much of March (C7 at 10:00, not C9 at 16:00)",
			cmpDef(`{"field":"created_at","grain":"month"}`, `{"preset":"this_month"}`, "previous_period"), kxDirector,
			map[string][]int64{"2024-04-01": {7}}, []int64{7}},
		{"a quarter by month against the quarter before (December meets March)",
			cmpDef(`{"field":"created_at","grain":"month"}`, `{"from":"2024-01-01","to":"2024-03-31"}`, "previous_period"), kxDirector,
			map[string][]int64{"2024-03-01": {6}}, []int64{6}},
		{"a leap February by day against the February before (rows of the previous days only)",
			cmpDef(`{"field":"created_at","grain":"day"}`, `{"from":"2024-02-01","to":"2024-02-29"}`, "previous_year"), kxDirector,
			map[string][]int64{"2024-02-10": {8}, "2024-02-28": {1}}, []int64{1, 8}},
		{"by week a year before: Monday 27 February 2023 falls in the week of 26 February 2024",
			cmpDef(`{"field":"created_at","grain":"week"}`, `{"from":"2024-02-01","to":"2024-02-29"}`, "previous_year"), kxDirector,
			map[string][]int64{"2024-02-05": {8}, "2024-02-26": {1}}, []int64{1, 8}},
		{"by the month closed, of deals created in a leap February against the February before (the open ones: an empty month)",
			cmpDef(`{"field":"closed_at","grain":"month"}`, `{"from":"2024-02-01","to":"2024-02-29"}`, "previous_year"), kxDirector,
			map[string][]int64{"<nil>": {1, 8}}, []int64{1, 8}},
		{"a manager by name and month, their own deals only",
			cmpDef(`{"field":"responsible_name"},{"field":"created_at","grain":"month"}`, `{"preset":"this_year"}`, "previous_year"),
			domain.Principal{UserID: 101, Role: domain.RoleManager},
			map[string][]int64{"Иванов Иван|2024-02-01": {1, 8}, "Иванов Иван|2024-03-01": {2}}, []int64{1, 2, 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def, _ := drillDef(t, tc.def, `{}`)
			res := cmpRun(t, s, tc.as, tc.def)
			if res.Meta.Compared == nil {
				t.Fatal("meta.compared missing")
			}
			nd := len(def.Dimensions)
			countPrev, amountPrev := colAt(t, res, "count_prev"), colAt(t, res, "amount_sum_prev")
			seen := map[string]bool{}
			for _, row := range res.Rows {
				key, cell := "", map[string]json.RawMessage{}
				for i := range nd {
					b, _ := json.Marshal(row[i])
					cell[res.Columns[i].Key] = b
					key += "|" + fmt.Sprint(row[i])
				}
				key = key[1:]
				want, listed := tc.prev[key]
				pdef, pcell, ok := PreviousCell(def, res, cell)
				if row[countPrev] == nil {
					if listed {
						t.Errorf("row %s: count_prev empty, want %v", key, want)
					}
					continue // an empty cell links nothing, whatever PreviousCell says
				}
				seen[key] = true
				if !listed || !ok {
					t.Errorf("row %s: count_prev %v not worked out by hand (previous cell ok %v)", key, row[countPrev], ok)
					continue
				}
				checkPrevDrill(t, s, tc.as, key, pdef, pcell, want, row[countPrev], row[amountPrev])
			}
			for key := range tc.prev {
				if !seen[key] {
					t.Errorf("row %s: no _prev cell in the answer %v", key, kxCells(res.Rows))
				}
			}
			pdef, pcell, ok := PreviousCell(def, res, map[string]json.RawMessage{})
			if !ok {
				t.Fatal("no previous cell for the totals")
			}
			checkPrevDrill(t, s, tc.as, "totals", pdef, pcell, tc.total, res.Totals[countPrev], res.Totals[amountPrev])
		})
	}
}

// checkPrevDrill drills the previous cell and compares the deals with
// want (by hand), their number with count and their amounts with amount.
func checkPrevDrill(t *testing.T, s *kxStores, p domain.Principal, what string, def *reports.Definition,
	cell map[string]json.RawMessage, want []int64, count, amount any) {
	t.Helper()
	if def.Compare != "" {
		t.Errorf("%s: the previous definition still compares (%q)", what, def.Compare)
	}
	dr, err := s.eng.Drill(context.Background(), p, kinds.DrillRequest{Definition: def, Cell: cell})
	if err != nil {
		t.Fatalf("%s: drill %+v %v: %v", what, def.Period, cell, err)
	}
	ids := drillResultIDs(t, dr)
	slices.Sort(ids)
	if !slices.Equal(ids, want) {
		t.Errorf("%s: previous deals %v, want %v (cell %s)", what, ids, want, rawCell(cell))
	}
	if dr.Meta.Total != count.(int64) {
		t.Errorf("%s: drill lists %d, count_prev %v", what, dr.Meta.Total, count)
	}
	var sum float64
	am := colAt(t, &reports.Result{Columns: dr.Columns}, "amount")
	for _, r := range dr.Rows {
		f, _ := asDecimal(r[am])
		sum += f.InexactFloat64()
	}
	if a, _ := asDecimal(amount); a.InexactFloat64() != sum {
		t.Errorf("%s: the listed amounts add up to %v, amount_sum_prev %v", what, sum, amount)
	}
}

func rawCell(c map[string]json.RawMessage) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// TestDrillPreviousFunnel: a compared funnel's count_prev, drilled
// (which reached) through PreviousFunnel, lists the deals worked out by
// hand: February 2023 against a leap February ("new" C8 and C1, "won"
// none), and this month so far against as much of March ("new" C7, not
// C9 created after 15:00 on the 10th).
func TestDrillPreviousFunnel(t *testing.T) {
	s := kxReadOnly(t, cmpFixture, cmpNow)
	for _, tc := range []struct {
		name string
		req  reports.FunnelRequest
		want map[string][]int64
	}{
		{"a year before", reports.FunnelRequest{Pipeline: "fx", Period: &reports.Period{From: "2024-02-01", To: "2024-02-29"},
			Compare: reports.ComparePreviousYear}, map[string][]int64{"new": {1, 8}, "won": {}}},
		{"this month so far", reports.FunnelRequest{Pipeline: "fx", Period: &reports.Period{Preset: "this_month"},
			Compare: reports.ComparePreviousPeriod}, map[string][]int64{"new": {7}, "won": {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := s.eng.Funnel(context.Background(), kxDirector, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			prev, ok := PreviousFunnel(tc.req, f.Meta.Compared)
			if !ok || prev.Compare != "" {
				t.Fatalf("previous funnel %+v ok %v", prev, ok)
			}
			if len(f.Steps) != len(tc.want) {
				t.Fatalf("steps %+v", f.Steps)
			}
			for _, st := range f.Steps {
				dr, err := s.eng.FunnelDrill(context.Background(), kxDirector,
					kinds.FunnelDrillRequest{FunnelRequest: prev, Step: st.Stage, Which: kinds.DrillReached})
				if err != nil {
					t.Fatal(err)
				}
				ids := drillResultIDs(t, dr)
				slices.Sort(ids)
				if !slices.Equal(ids, tc.want[st.Stage]) {
					t.Errorf("%s: previous deals %v, want %v", st.Stage, ids, tc.want[st.Stage])
				}
				if dr.Meta.Total != *st.CountPrev {
					t.Errorf("%s: drill lists %d, count_prev %d", st.Stage, dr.Meta.Total, *st.CountPrev)
				}
			}
		})
	}
}
