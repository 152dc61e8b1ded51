package engine

import (
	"context"
	"testing"

	"github.com/voronka/voronka/reports"
)

// Renaming a stage (in PostgreSQL, streamed to ClickHouse as a newer
// version of the stage row), reordering stages and adding one relabel
// past reports without changing a number: history refers to stage ids.
func TestStageRenameRelabelsPastReports(t *testing.T) {
	f := newFixture(t)
	const def = `{"dataset":"deals","dimensions":[{"field":"stage_name"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],
		"sort":[{"by":"amount_sum","desc":true}]}`
	before := cells(f.run(t, "dir", def))
	const wantBefore = `[["Презентация",1,32666.34],["Принятие решения",1,9000.00],["Подготовка КП",1,2500.50],["Сбор потребностей",1,1055.05],["Не обработана",1,1000.00],["Завершена",1,100.01],["Отказ",1,29.70]] totals [null,7,46351.60]`
	if before != wantBefore {
		t.Fatalf("before the rename:\ngot  %s\nwant %s", before, wantBefore)
	}
	const history = `{"dataset":"stage_changes","dimensions":[{"field":"to_stage_name"}],"measures":[{"agg":"count"}]}`
	const wantHistory = `[["Не обработана",7],["Первичный контакт",1],["%s",1]] totals [null,9]`
	if got, want := cells(f.run(t, "dir", history)), fmtS(wantHistory, "Принятие решения"); got != want {
		t.Fatalf("history before the rename:\ngot  %s\nwant %s", got, want)
	}
	ctx := context.Background()
	const q = `UPDATE stages SET name = 'Решение', position = position + 10
WHERE code = 'decision' AND pipeline_id = (SELECT id FROM pipelines WHERE code = 'sales');
INSERT INTO stages (pipeline_id, code, name, position, kind, probability, stage_group)
SELECT id, 'audit', 'Аудит', 12, 'open', 50, 'Развитие' FROM pipelines WHERE code = 'sales'`
	if _, err := f.pg.Pool.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
	mirror(t, f.pg, f.ch, 2, "stages")
	after := cells(f.run(t, "dir", def))
	const wantAfter = `[["Презентация",1,32666.34],["Решение",1,9000.00],["Подготовка КП",1,2500.50],["Сбор потребностей",1,1055.05],["Не обработана",1,1000.00],["Завершена",1,100.01],["Отказ",1,29.70]] totals [null,7,46351.60]`
	if after != wantAfter {
		t.Errorf("after the rename:\ngot  %s\nwant %s", after, wantAfter)
	}
	if got, want := cells(f.run(t, "dir", history)), fmtS(wantHistory, "Решение"); got != want {
		t.Errorf("history after the rename:\ngot  %s\nwant %s", got, want)
	}
}

// A limit cuts rows off and says so; totals still cover every row.
func TestGroupedLimitAndLabels(t *testing.T) {
	f := newFixture(t)
	res := f.run(t, "dir", `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"field":"amount","agg":"sum"}],
		"sort":[{"by":"amount_sum","desc":true}],"limit":1,"lang":"en","period":{"preset":"this_year"}}`)
	if got, want := cells(res), `[["Борис",35196.54]] totals [null,46351.60]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if !res.Meta.Truncated || res.Meta.RowCount != 1 {
		t.Errorf("meta %+v: want truncated, 1 row", res.Meta)
	}
	if res.Columns[1].Key != "amount_sum" || res.Columns[1].Label != "Amount, RUB: sum" || res.Columns[1].Type != reports.TypeMoney {
		t.Errorf("column %+v", res.Columns[1])
	}
	if res.Meta.From.Format("2006-01-02 15:04") != "2023-12-31 21:00" || !res.Meta.DataAsOf.Equal(fixtureNow) {
		t.Errorf("meta %+v: want from 2024-01-01 MSK, data as of the clock", res.Meta)
	}
}
