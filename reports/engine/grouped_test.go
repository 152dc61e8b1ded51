package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/voronka/voronka/reports/compile/compiletest"
)

// TestGroupedFixture checks grouped reports on the hand-built fixture
// (fixture_test.go) against numbers worked out by hand there.
func TestGroupedFixture(t *testing.T) {
	f := newFixture(t)
	const byMonth = `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"created_at","grain":"month"}],
		"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}]}`
	cases := []struct{ name, as, def, want string }{
		{"director by responsible and Moscow month", "dir", byMonth,
			`[["Анна","2024-01-01",2,10000.00],["Анна","2024-03-01",2,1155.06],["Борис","2024-02-01",2,2530.20],["Борис","2024-03-01",1,32666.34]] totals [null,null,7,46351.60]`},
		{"manager sees own and observed", "boris", byMonth,
			`[["Анна","2024-01-01",1,9000.00],["Борис","2024-02-01",2,2530.20],["Борис","2024-03-01",1,32666.34]] totals [null,null,4,44196.54]`},
		{"manager sees own only", "anna", byMonth,
			`[["Анна","2024-01-01",2,10000.00],["Анна","2024-03-01",2,1155.06]] totals [null,null,4,11155.06]`},
		{"weighted, avg, median, min, max by stage kind", "dir", `{"dataset":"deals","dimensions":[{"field":"stage_kind"}],
			"measures":[{"field":"weighted_amount","agg":"sum"},{"field":"amount","agg":"avg"},{"field":"amount","agg":"median"},
			{"field":"amount","agg":"min"},{"field":"amount","agg":"max"}]}`,
			`[["lost",0.00,29.70,29.70,29.70,29.70],["open",19677.75,9244.38,2500.50,1000.00,32666.34],["won",100.01,100.01,100.01,100.01,100.01]] totals [null,19777.76,6621.66,1055.05,29.70,32666.34]`},
		{"median of an even count is the mean of the middle two", "dir",
			`{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"field":"amount","agg":"median"}]}`,
			`[["Анна",1027.53],["Борис",2500.50]] totals [null,1055.05]`},
		{"period of Moscow dates", "dir", `{"dataset":"deals","measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],
			"period":{"from":"2024-02-01","to":"2024-02-29"}}`, `[[2,2530.20]]`},
		{"period in UTC moves A-3 to February", "dir", `{"dataset":"deals","dimensions":[{"field":"created_at","grain":"month"}],
			"measures":[{"agg":"count"}],"period":{"from":"2024-01-01","to":"2024-12-31","tz":"UTC"}}`,
			`[["2024-01-01",2],["2024-02-01",3],["2024-03-01",2]] totals [null,7]`},
		{"day and week grains in Moscow", "dir", `{"dataset":"deals","dimensions":[{"field":"title"},{"field":"created_at","grain":"day"},
			{"field":"created_at","grain":"week"},{"field":"created_at","grain":"quarter"},{"field":"created_at","grain":"year"}],
			"measures":[{"agg":"count"}],"filters":[{"field":"title","op":"in","value":["A-2","A-3"]}]}`,
			`[["A-2","2024-01-31","2024-01-29","2024-01-01","2024-01-01",1],["A-3","2024-03-01","2024-02-26","2024-01-01","2024-01-01",1]] totals [null,null,null,null,null,2]`},
		{"SQL in a value is only a value", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"title","op":"eq","value":"'; DROP TABLE deals; --"}]}`, `[[0]]`},
		{"stage and amount filters", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"stage","op":"in","value":["won","needs"]},{"field":"amount","op":"gt","value":100}]}`, `[[2]]`},
		{"filters on looked-up names (checked before the joins too)", "dir", `{"dataset":"deals","measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],
			"filters":[{"field":"responsible_name","op":"in","value":["Анна","Никто"]},{"field":"pipeline","op":"eq","value":"sales"}]}`, `[[4,11155.06]]`},
		{"contains on a stage name", "boris", `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"agg":"count"}],
			"filters":[{"field":"stage_name","op":"contains","value":"ПРЕЗЕНТ"}]}`, `[["B-3",1]] totals [null,1]`},
		{"not_in leaves out empty values, as ne does (every fixture deal has no lost reason)", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"lost_reason","op":"not_in","value":["дорого"]}]}`, `[[0]]`},
		{"not_in on a filled field", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"title","op":"not_in","value":["A-1","B-1"]}]}`, `[[5]]`},
		{"between is inclusive", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"amount","op":"between","value":[100.01,"1055.05"]}]}`, `[[3]]`},
		{"contains ignores case", "dir", `{"dataset":"deals","measures":[{"agg":"count"}],
			"filters":[{"field":"title","op":"contains","value":"a-"},{"field":"closed_at","op":"is_null"}]}`, `[[4]]`},
		{"pivot with row, column and grand totals", "dir", `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"stage_kind"}],
			"measures":[{"agg":"count"}],"pivot":{"columns":["stage_kind"]}}`,
			// columns in stage order (open from position 1, won 8, lost 10), not as text sorts
			`[["Анна",3,1,null,4],["Борис",2,null,1,3]] totals [null,5,1,1,7]`},
		{"pivot of medians: totals from their own queries", "dir", `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"stage_kind"}],
			"measures":[{"field":"amount","agg":"median"}],"pivot":{"columns":["stage_kind"]},"sort":[{"by":"amount_median","desc":true}]}`,
			`[["Борис",17583.42,null,29.70,2500.50],["Анна",1055.05,100.01,null,1027.53]] totals [null,2500.50,100.01,29.70,1055.05]`},
		{"pivot of sums sorted by the row total", "dir", `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"created_at","grain":"month"}],
			"measures":[{"field":"amount","agg":"sum"}],"pivot":{"columns":["created_at"]},"sort":[{"by":"amount_sum","desc":true}]}`,
			`[["Борис",null,2530.20,32666.34,35196.54],["Анна",10000.00,null,1155.06,11155.06]] totals [null,10000.00,2530.20,33821.40,46351.60]`},
		{"pivot limited", "dir", `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"created_at","grain":"month"}],
			"measures":[{"field":"amount","agg":"max"},{"agg":"count"}],"pivot":{"columns":["created_at"]},"limit":1}`,
			`[["Анна",9000.00,2,null,null,1055.05,2,9000.00,4]] totals [null,9000.00,2,2500.50,2,32666.34,3,32666.34,7]`},
		{"stage history, director", "dir", `{"dataset":"stage_changes","dimensions":[{"field":"to_stage"}],"measures":[{"agg":"count"}]}`,
			`[["decision",1],["first_contact",1],["new",7]] totals [null,9]`},
		{"stage history, manager", "boris", `{"dataset":"stage_changes","dimensions":[{"field":"to_stage"}],"measures":[{"agg":"count"}]}`,
			`[["decision",1],["first_contact",1],["new",4]] totals [null,6]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cells(f.run(t, c.as, c.def)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	var n int
	if err := f.pg.Pool.QueryRow(context.Background(), "SELECT count(*) FROM deals").Scan(&n); err != nil || n != 7 {
		t.Errorf("deals after the run: %d, %v", n, err)
	}
}

// The definition docs/architecture.md shows runs as documented: rows by
// responsible × month, columns by stage group in the pipeline's stage
// order (the least position of the group's stages among the deals:
// Обработка 1, Квалификация 3 — «Сбор потребностей», Развитие 4,
// Подтверждение 7, Победа 8, Поражение 10), sorted by the amount total.
func TestArchitectureExample(t *testing.T) {
	f := newFixture(t)
	a, b := f.users["anna"].UserID, f.users["boris"].UserID
	want := fmtS(`[[%[2]d,"2024-03-01",null,null,null,null,32666.34,1,null,null,null,null,null,null,32666.34,1],`+
		`[%[1]d,"2024-01-01",1000.00,1,null,null,null,null,9000.00,1,null,null,null,null,10000.00,2],`+
		`[%[2]d,"2024-02-01",null,null,null,null,2500.50,1,null,null,null,null,29.70,1,2530.20,2],`+
		`[%[1]d,"2024-03-01",null,null,1055.05,1,null,null,null,null,100.01,1,null,null,1155.06,2]] `+
		`totals [null,null,1000.00,1,1055.05,1,35166.84,2,9000.00,1,100.01,1,29.70,1,46351.60,7]`, a, b)
	res := f.run(t, "dir", compiletest.ArchitectureExample)
	if got := cells(res); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var groups []string
	for _, c := range res.Columns {
		if g, ok := strings.CutPrefix(c.Key, "count|"); ok {
			groups = append(groups, g)
		}
	}
	if got := strings.Join(groups, ","); got != "Обработка,Квалификация,Развитие,Подтверждение,Победа,Поражение" || res.Columns[len(res.Columns)-1].Key != "count" {
		t.Errorf("pivot columns %s; columns %v", got, res.Columns)
	}
}

// TestPivotStageOrder: pivot columns of stage fields follow the
// pipeline's stage order (stages.position, crmcore/migrations
// 00003_seed_pipelines.sql), on both ways a pivot is computed (added up
// from its cells, or its totals queried apart); other fields keep the
// order of their values. The fixture's deals sit in new (1, «Не
// обработана»), needs (3), presentation (4), proposal (5), decision (7),
// won (8, «Завершена») and refused (10, «Отказ»); stage history enters
// new, first_contact (2) and decision.
func TestPivotStageOrder(t *testing.T) {
	f := newFixture(t)
	byStage := "Не обработана,Сбор потребностей,Презентация,Подготовка КП,Принятие решения,Завершена,Отказ"
	cases := []struct{ name, def, prefix, want string }{
		{"deals by stage name, counted", `{"dataset":"deals","dimensions":[{"field":"pipeline_name"},{"field":"stage_name"}],
			"measures":[{"agg":"count"}],"pivot":{"columns":["stage_name"]}}`, "count|", byStage},
		{"deals by stage name, distinct managers", `{"dataset":"deals","dimensions":[{"field":"pipeline_name"},{"field":"stage_name"}],
			"measures":[{"field":"responsible","agg":"count_distinct"}],"pivot":{"columns":["stage_name"]}}`, "responsible_count_distinct|", byStage},
		{"deals by stage code", `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],
			"measures":[{"agg":"count"}],"pivot":{"columns":["stage"]}}`, "count|", "new,needs,presentation,proposal,decision,won,refused"},
		{"stage history by the stage entered", `{"dataset":"stage_changes","dimensions":[{"field":"pipeline_name"}],
			"measures":[{"field":"deal_id","agg":"count_distinct"}],"pivot":{"columns":["to_stage_group"]}}`, "deal_id_count_distinct|", "Обработка,Квалификация,Подтверждение"},
		{"other fields keep their values' order", `{"dataset":"deals","dimensions":[{"field":"pipeline_name"},{"field":"title"}],
			"measures":[{"agg":"count"}],"pivot":{"columns":["title"]}}`, "count|", "A-1,A-2,A-3,A-4,B-1,B-2,B-3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, col := range f.run(t, "dir", c.def).Columns {
				if v, ok := strings.CutPrefix(col.Key, c.prefix); ok {
					got = append(got, v)
				}
			}
			if strings.Join(got, ",") != c.want {
				t.Errorf("pivot columns %s, want %s", strings.Join(got, ","), c.want)
			}
		})
	}
}
