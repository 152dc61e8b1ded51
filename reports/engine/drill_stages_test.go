package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// kxStagesFixture is kxFixture and four deals of stage new at the edges
// of January in Moscow (UTC+3): D20 created 31 January 23:59:59 (in),
// D21 1 February 00:00:00 (out), D22 1 January 00:00:00 (in), D23
// 31 December 23:59:59 (out), which moved to qual at 1 January 00:00:00
// (a stay of January: the movement counts it, though D23 was created
// before).
const kxStagesFixture = kxFixture + `
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
    (20, 'D20', 900, 901, 200, 'RUB', 101, '2025-01-31 20:59:59Z', '2025-01-31 20:59:59Z'),
    (21, 'D21', 900, 901, 210, 'RUB', 101, '2025-01-31 21:00:00Z', '2025-01-31 21:00:00Z'),
    (22, 'D22', 900, 901, 220, 'RUB', 102, '2024-12-31 21:00:00Z', '2024-12-31 21:00:00Z'),
    (23, 'D23', 900, 902, 230, 'RUB', 102, '2024-12-31 20:59:59Z', '2024-12-31 21:00:00Z');
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at) VALUES
    (20, 900, NULL, 901, '2025-01-31 20:59:59Z'), (21, 900, NULL, 901, '2025-01-31 21:00:00Z'),
    (22, 900, NULL, 901, '2024-12-31 21:00:00Z'),
    (23, 900, NULL, 901, '2024-12-31 20:59:59Z'), (23, 900, 901, 902, '2024-12-31 21:00:00Z');
`

// kindDrill drills a kind's answer as p: its params, January, the cell
// (JSON) and column, with opts.
func kindDrill(eng *Engine, p domain.Principal, kind, params, cell, column string, opts compile.DrillOptions) (*kinds.DrillResult, error) {
	jan := kxJanuary
	var c map[string]json.RawMessage
	if err := json.Unmarshal([]byte(cell), &c); err != nil {
		return nil, err
	}
	def := &reports.Definition{Kind: kind, Period: &jan, Params: json.RawMessage(params)}
	return eng.Drill(context.Background(), p, kinds.DrillRequest{Definition: def, Cell: c, Column: column, DrillOptions: opts})
}

// kindDrilled is kindDrill's ids (meta.total their number).
func kindDrilled(t *testing.T, eng *Engine, p domain.Principal, kind, params, cell, column string) []int64 {
	t.Helper()
	res, err := kindDrill(eng, p, kind, params, cell, column, compile.DrillOptions{})
	if err != nil {
		t.Fatalf("drill %s %s %s %s: %v", kind, params, cell, column, err)
	}
	ids := drillResultIDs(t, res)
	slices.Sort(ids)
	return ids
}

// rowCell is an answer row's cell: its first len(keys) values under keys.
func rowCell(t *testing.T, keys []string, row []any) string {
	t.Helper()
	c := map[string]any{}
	for i, k := range keys {
		c[k] = row[i]
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// colAt is the index of the answer's column key.
func colAt(t *testing.T, res *reports.Result, key string) int {
	t.Helper()
	i := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == key })
	if i < 0 {
		t.Fatalf("no column %s", key)
	}
	return i
}

// TestStagesDrillByHand: the deals behind the stage percentages of
// January, worked out from the fixture: by current stage group new D6,
// D20, D22 (D21 and D23 are of February and December in Moscow), qual
// D3, prop D2 and D5, won D1, lost D4 and D7; a manager gets their own
// (and observed) deals only; params.responsible narrows to that
// manager's; the count's, the amounts' and the shares' deals are the
// same.
func TestStagesDrillByHand(t *testing.T) {
	s := kxReadOnly(t, kxStagesFixture, kxNow)
	all := `{"pipeline":"fx"}`
	for _, c := range []struct {
		name         string
		as           domain.Principal
		params, cell string
		column       string
		want         []int64
	}{
		{"the total", kxDirector, all, `{}`, "count", []int64{1, 2, 3, 4, 5, 6, 7, 20, 22}},
		{"new: 23:59:59 of 31 January in, 00:00:00 of 1 January in, the next second and the one before out", kxDirector, all,
			`{"stage_group":"Новые","stage_kind":"open","probability":10}`, "count", []int64{6, 20, 22}},
		{"prop's share of deals: its numerator", kxDirector, all, `{"stage_group":"Предложение"}`, "count_share", []int64{2, 5}},
		{"lost's amount", kxDirector, all, `{"stage_kind":"lost"}`, "amount", []int64{4, 7}},
		{"the column left out is the count", kxDirector, all, `{"stage_group":"Победа"}`, "", []int64{1}},
		{"a group and a probability no stage has", kxDirector, all, `{"stage_group":"Новые","probability":60}`, "count", []int64{}},
		{"manager 101's total: own deals only", kxM1, all, `{}`, "count", []int64{1, 2, 3, 7, 20}},
		{"manager 102's total: own and observed", kxM2, all, `{}`, "weighted_amount", []int64{1, 4, 5, 6, 22}},
		{"manager 102's lost: not 101's D7", kxM2, all, `{"stage_group":"Поражение"}`, "count", []int64{4}},
		{"params.responsible", kxDirector, `{"pipeline":"fx","responsible":102}`, `{}`, "count", []int64{4, 5, 6, 22}},
		{"by stage", kxDirector, `{"pipeline":"fx","by_stage":true}`, `{"stage":"prop"}`, "amount_share", []int64{2, 5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := kindDrilled(t, s.eng, c.as, reports.KindStagePercentages, c.params, c.cell, c.column); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
		})
	}
}

// TestStagesDrillCountsEveryCell: on every row of the answer (by group
// and by stage, for the director and each manager) and its totals, each
// drillable column lists as many deals as the row's count.
func TestStagesDrillCountsEveryCell(t *testing.T) {
	s := kxReadOnly(t, kxStagesFixture, kxNow)
	jan := kxJanuary
	for _, p := range []domain.Principal{kxDirector, kxM1, kxM2} {
		for _, params := range []string{`{"pipeline":"fx"}`, `{"pipeline":"fx","by_stage":true}`} {
			res := kxRun(t, s.eng, p, reports.KindStagePercentages, &jan, params)
			keys := []string{"stage_group", "stage_kind", "probability"}
			if params != `{"pipeline":"fx"}` {
				keys = []string{"stage"}
			}
			n := colAt(t, res, "count")
			cells := map[string]int64{`{}`: res.Totals[n].(int64)}
			for _, row := range res.Rows {
				lead := row
				if len(keys) == 1 {
					lead = row[:1]
				}
				cells[rowCell(t, keys, lead)] = row[n].(int64)
			}
			for cell, want := range cells {
				for _, col := range []string{"count", "amount", "weighted_amount", "count_share", "amount_share"} {
					if got := kindDrilled(t, s.eng, p, reports.KindStagePercentages, params, cell, col); int64(len(got)) != want {
						t.Errorf("%d %s %s %s: %d deals, the answer counts %d", p.UserID, params, cell, col, len(got), want)
					}
				}
			}
		}
	}
}

// TestMovementDrillByHand: the stays behind the stage movement of
// January, from the fixture (movement_test.go's list, and D20 and D22
// still in new, D23 still in qual since 1 January 00:00:00 Moscow; D21's
// stay began in February, D23's in new in December), each listed as the
// stage change that began it — here by its deal. D3 entered new twice
// and qual twice: new's entries and advanced list it twice; its first
// stay in qual went back, its second is still there. A total lists the
// stays of every stage: the deals are compared as a set there, and
// TestMovementDrillCountsEveryCell counts the stays.
func TestMovementDrillByHand(t *testing.T) {
	s := kxReadOnly(t, kxStagesFixture, kxNow)
	all, per := `{"pipeline":"fx"}`, `{"pipeline":"fx","per_manager":true}`
	for _, c := range []struct {
		name         string
		as           domain.Principal
		params, cell string
		column       string
		want         []int64 // the stays' deals, sorted
		set          bool    // want is the set of the deals (a total's stays span the stages)
	}{
		{"new's entries: the edges of January, D3 twice", kxDirector, all, `{"stage":"new"}`, "entries", []int64{1, 2, 3, 3, 4, 5, 6, 7, 20, 22}, false},
		{"new advanced (D3 twice)", kxDirector, all, `{"stage":"new"}`, "advanced", []int64{1, 3, 3, 4, 7}, false},
		{"new skipped ahead", kxDirector, all, `{"stage":"new"}`, "skipped_ahead", []int64{2}, false},
		{"new paused", kxDirector, all, `{"stage":"new"}`, "paused", []int64{5}, false},
		{"new still there", kxDirector, all, `{"stage":"new"}`, "still_there", []int64{6, 20, 22}, false},
		{"qual went back: D3's first stay", kxDirector, all, `{"stage":"qual"}`, "went_back", []int64{3}, false},
		{"qual lost", kxDirector, all, `{"stage":"qual"}`, "lost", []int64{4}, false},
		{"qual still there: D3's second stay, D23 from 00:00:00 of 1 January", kxDirector, all, `{"stage":"qual"}`, "still_there", []int64{3, 8, 23}, false},
		{"prop lost", kxDirector, all, `{"stage":"prop"}`, "lost", []int64{7}, false},
		{"won still there", kxDirector, all, `{"stage":"won"}`, "still_there", []int64{1}, false},
		{"the total advanced", kxDirector, all, `{}`, "advanced", []int64{1, 3, 4, 5, 7}, true},
		{"the total entries", kxDirector, all, `{}`, "entries", []int64{1, 2, 3, 4, 5, 6, 7, 8, 20, 22, 23}, true},
		{"one manager's row", kxDirector, per, `{"responsible":101,"stage":"new"}`, "advanced", []int64{1, 3, 3, 7}, false},
		{"a manager key as a string", kxDirector, per, `{"responsible":"102","stage":"new"}`, "entries", []int64{4, 5, 6, 22}, false},
		{"manager 101's total: own deals only", kxM1, all, `{}`, "entries", []int64{1, 2, 3, 7, 20}, true},
		{"manager 101 drilling 102's row: nothing", kxM1, per, `{"responsible":102}`, "entries", []int64{}, true},
		{"manager 102's total: own and observed", kxM2, all, `{}`, "entries", []int64{1, 4, 5, 6, 8, 22, 23}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := kindDrill(s.eng, c.as, reports.KindStageMovement, c.params, c.cell, c.column, compile.DrillOptions{})
			if err != nil {
				t.Fatal(err)
			}
			drillResultIDs(t, res) // meta.total is the records' number
			col := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "deal_id" })
			if col < 0 {
				t.Fatalf("no deal_id among the records' columns %+v", res.Columns)
			}
			deals := []int64{}
			for _, r := range res.Rows {
				deals = append(deals, r[col].(int64))
			}
			slices.Sort(deals)
			if c.set {
				deals = slices.Compact(deals)
			}
			if fmt.Sprint(deals) != fmt.Sprint(c.want) {
				t.Errorf("the stays' deals %v, want %v", deals, c.want)
			}
		})
	}
}

// TestMovementDrillCountsEveryCell: on every row of the answer (per
// stage, and per manager and stage) and its totals, each count lists as
// many stays as it counts (D3's second visits included).
func TestMovementDrillCountsEveryCell(t *testing.T) {
	s := kxReadOnly(t, kxStagesFixture, kxNow)
	jan := kxJanuary
	cols := []string{"entries", "advanced", "skipped_ahead", "went_back", "lost", "paused", "still_there"}
	for _, p := range []domain.Principal{kxDirector, kxM1, kxM2} {
		for _, params := range []string{`{"pipeline":"fx"}`, `{"pipeline":"fx","per_manager":true}`} {
			if p != kxDirector && params != `{"pipeline":"fx"}` {
				continue // per manager, the director's rows are drilled; a manager's without per_manager
			}
			res := kxRun(t, s.eng, p, reports.KindStageMovement, &jan, params)
			stage := colAt(t, res, "stage") // after responsible and its name per manager
			rows := map[string][]any{}
			for _, row := range res.Rows {
				c := map[string]any{"stage": row[stage]}
				if stage > 0 {
					c["responsible"] = row[0]
				}
				b, _ := json.Marshal(c)
				rows[string(b)] = row
			}
			if res.Totals != nil {
				rows[`{}`] = res.Totals
			}
			for cell, row := range rows {
				for _, col := range cols {
					want, ok := row[colAt(t, res, col)].(int64)
					if !ok {
						continue
					}
					if got := kindDrilled(t, s.eng, p, reports.KindStageMovement, params, cell, col); int64(len(got)) != want {
						t.Errorf("%d %s %s %s: %d stays listed, the answer counts %d", p.UserID, params, cell, col, len(got), want)
					}
				}
			}
		}
	}
}

// TestStagesDrillBadInput: an unknown cell key, a value of the wrong
// type or no row has, a column that counts nothing or is none of the
// answer, a missing column of the movement, a stage no step and a
// negative offset are 422s naming the field.
func TestStagesDrillBadInput(t *testing.T) {
	s := kxReadOnly(t, kxStagesFixture, kxNow)
	sp, mv := reports.KindStagePercentages, reports.KindStageMovement
	all := `{"pipeline":"fx"}`
	for _, c := range []struct {
		name, kind, params, cell, column string
		opts                             compile.DrillOptions
		field, code                      string
	}{
		{"stages: unknown key", sp, all, `{"stage":"new"}`, "count", compile.DrillOptions{}, "cell.stage", "not_a_row_key"},
		{"stages: probability not a number", sp, all, `{"probability":"x"}`, "count", compile.DrillOptions{}, "cell.probability", "invalid_value"},
		{"stages: a group as a number", sp, all, `{"stage_group":5}`, "count", compile.DrillOptions{}, "cell.stage_group", "invalid_value"},
		{"stages: a group no row has", sp, all, `{"stage_group":"Нет такой"}`, "count", compile.DrillOptions{}, "cell.stage_group", "not_in_report"},
		{"stages: the probability counts nothing", sp, all, `{}`, "probability", compile.DrillOptions{}, "column", "not_countable"},
		{"stages: no such column", sp, all, `{}`, "nope", compile.DrillOptions{}, "column", "unknown_column"},
		{"stages: a negative offset", sp, all, `{}`, "count", compile.DrillOptions{Offset: -1}, "offset", "out_of_range"},
		{"movement: no column", mv, all, `{}`, "", compile.DrillOptions{}, "column", "required"},
		{"movement: hours are no count", mv, all, `{}`, "median_hours", compile.DrillOptions{}, "column", "not_countable"},
		{"movement: a lost stage is no step", mv, all, `{"stage":"lost"}`, "lost", compile.DrillOptions{}, "cell.stage", "not_a_step"},
		{"movement: responsible without per_manager", mv, all, `{"responsible":101}`, "entries", compile.DrillOptions{}, "cell.responsible", "not_a_row_key"},
		{"movement: responsible not a number", mv, `{"pipeline":"fx","per_manager":true}`, `{"responsible":"Иванов"}`, "entries",
			compile.DrillOptions{}, "cell.responsible", "invalid_value"},
		{"movement: a negative offset", mv, all, `{}`, "entries", compile.DrillOptions{Offset: -5}, "offset", "out_of_range"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := kindDrill(s.eng, kxDirector, c.kind, c.params, c.cell, c.column, c.opts)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != c.field || ae.Code != c.code {
				t.Errorf("error %v, want 422 %s on %s", err, c.code, c.field)
			} else if c.code != "invalid_value" && c.code != "out_of_range" && ae.Details == nil {
				t.Errorf("no allowed values in %+v", ae.Details)
			}
		})
	}
}

// TestDrillOffsetPages: pages of two (offset 0, 2, 4…) of a drill put
// together are the whole list in its order — by id (sorted before the
// joins) and by a looked-up name (after them) — for a kind's drill and
// a grouped report's; meta says the offset and the total of them all.
func TestDrillOffsetPages(t *testing.T) {
	s := kxReadOnly(t, kxStagesFixture, kxNow)
	d, c := drillDef(t, `{"dataset":"deals","dimensions":[{"field":"pipeline"}],"measures":[{"agg":"count"}]}`, `{}`)
	asks := map[string]func(opts compile.DrillOptions) (*kinds.DrillResult, error){
		"stages": func(opts compile.DrillOptions) (*kinds.DrillResult, error) {
			return kindDrill(s.eng, kxDirector, reports.KindStagePercentages, `{"pipeline":"fx"}`, `{}`, "count", opts)
		},
		"grouped": func(opts compile.DrillOptions) (*kinds.DrillResult, error) {
			return s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{Definition: d, Cell: c, DrillOptions: opts})
		},
	}
	for name, ask := range asks {
		for _, sort := range [][]reports.Sort{nil, {{By: "responsible_name", Desc: true}}, {{By: "amount"}}} {
			whole, err := ask(compile.DrillOptions{Sort: sort})
			if err != nil {
				t.Fatal(err)
			}
			want := drillResultIDs(t, whole)
			var got []int64
			for off := 0; off < len(want)+2; off += 2 {
				page, err := ask(compile.DrillOptions{Sort: sort, Limit: 2, Offset: off})
				if err != nil {
					t.Fatal(err)
				}
				if page.Meta.Offset != off || page.Meta.Total != int64(len(want)) || page.Meta.Limit != 2 {
					t.Errorf("%s %v offset %d: meta %+v", name, sort, off, page.Meta)
				}
				for _, r := range page.Rows {
					got = append(got, r[0].(int64))
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s %v: pages %v, the whole list %v", name, sort, got, want)
			}
		}
	}
	// The whole list by id is the ids in order, worked out by hand.
	whole, _ := asks["stages"](compile.DrillOptions{})
	if ids := drillResultIDs(t, whole); fmt.Sprint(ids) != "[1 2 3 4 5 6 7 20 22]" {
		t.Errorf("stages by id %v", ids)
	}
}
