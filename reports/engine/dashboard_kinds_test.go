package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// kxSecondPipeline adds to kxFixture a second deal pipeline fy (new →
// won) with M1's D9 (3000 RUB, created 2025-01-08 00:00, won 01-09
// 00:00) and M1's call A12 on it (2025-01-08 12:00, UTC).
const kxSecondPipeline = kxFixture + `
INSERT INTO pipelines (id, code, name, entity) OVERRIDING SYSTEM VALUE VALUES (910, 'fy', 'Вторая воронка', 'deal');
INSERT INTO stages (id, pipeline_id, code, name, position, kind, probability, stage_group) OVERRIDING SYSTEM VALUE VALUES
    (911, 910, 'new', 'Новая', 1, 'open', 10, 'Новые'), (912, 910, 'won', 'Успех', 2, 'won', 100, 'Победа');
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, source, created_at, updated_at, closed_at)
    OVERRIDING SYSTEM VALUE VALUES (9, 'D9', 910, 912, 3000, 'RUB', 101, 'call', '2025-01-08 00:00Z', '2025-01-09 00:00Z', '2025-01-09 00:00Z');
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at) VALUES
    (9, 910, NULL, 911, '2025-01-08 00:00Z'), (9, 910, 911, 912, '2025-01-09 00:00Z');
INSERT INTO activities (type, subject, owner_id, deal_id, done_at, created_at) VALUES
    ('call', 'A12', 101, 9, '2025-01-08 12:00Z', '2025-01-08 12:00Z');
`

// kxRunErr runs a definition that must be refused and returns the field.
func kxRunErr(t *testing.T, e *Engine, kind string, period *reports.Period, params string) string {
	t.Helper()
	_, err := e.Run(context.Background(), kxDirector, &reports.Definition{Kind: kind, Period: period, Params: json.RawMessage(params)})
	ae := apperr.As(err)
	if ae == nil || ae.Kind != apperr.Invalid {
		t.Fatalf("%s %s: %v, want a 422", kind, params, err)
	}
	return ae.Field
}

// TestStagePercentagesOfOneResponsible: params.responsible is the same
// report over that user's deals (by hand from kxFixture): M1's D1 won
// 1000, D2 prop 2000, D3 qual 9959.95, D7 lost 7000; M2's own deals
// without D1, which M2 only observes.
func TestStagePercentagesOfOneResponsible(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	const m1 = 19959.95
	res := kxRun(t, s.eng, kxDirector, reports.KindStagePercentages, nil, `{"pipeline":"fx","responsible":101}`)
	kxExpect(t, "director, M1's deals", kxCells(res.Rows),
		"Новые|open|10|0|0.00|0.00|0.0000|0.0000",
		fmt.Sprintf("Квалификация|open|30|1|9959.95|2987.99|0.2500|%.4f", 9959.95/m1),
		fmt.Sprintf("Предложение|open|60|1|2000.00|1200.00|0.2500|%.4f", 2000/m1),
		fmt.Sprintf("Победа|won|100|1|1000.00|1000.00|0.2500|%.4f", 1000/m1),
		"Пауза|paused|0|0|0.00|0.00|0.0000|0.0000",
		fmt.Sprintf("Поражение|lost|0|1|7000.00|0.00|0.2500|%.4f", 7000/m1))
	kxExpect(t, "director, M1's totals", kxCells([][]any{res.Totals}), "null|null|null|4|19959.95|5187.99|1.0000|1.0000")
	// M2: D4 lost 4000, D5 prop 5000 (3000), D6 new 6000 (600), D8 qual 8000 (2400); D1 observed.
	own := kxRun(t, s.eng, kxM2, reports.KindStagePercentages, nil, `{"pipeline":"fx","responsible":102}`)
	kxExpect(t, "M2, own", kxCells([][]any{own.Totals}), "null|null|null|4|23000.00|6000.00|1.0000|1.0000")
	seen := kxRun(t, s.eng, kxM2, reports.KindStagePercentages, nil, `{"pipeline":"fx"}`)
	kxExpect(t, "M2, own and observed", kxCells([][]any{seen.Totals}), "null|null|null|5|24000.00|7000.00|1.0000|1.0000")
	if f := kxRunErr(t, s.eng, reports.KindStagePercentages, nil, `{"pipeline":"fx","responsible":-1}`); f != "params.responsible" {
		t.Errorf("a negative responsible: field %q", f)
	}
}

// TestManagerActivityOfOnePipeline: params.pipeline counts only that
// pipeline's deals and the activities on them (by hand from kxFixture
// plus kxSecondPipeline, January): M1's D9 and A12 are in fy; A7 (M1's
// overdue task) and A11 (M2's call) are on no deal.
func TestManagerActivityOfOnePipeline(t *testing.T) {
	s := kxReadOnly(t, kxSecondPipeline, kxNow)
	jan := kxJanuary
	all := kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "every pipeline", kxCells(all.Rows),
		"101|Иванов Иван|3|1|0|1|1|5|5|2|4000.00|0.6667|3.0000", "102|Петрова Анна|1|1|1|0|0|3|3|0|0.00|0.0000|null")
	fx := kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &jan, `{"pipeline":"fx"}`)
	kxExpect(t, "pipeline fx", kxCells(fx.Rows),
		"101|Иванов Иван|2|1|0|1|0|4|4|1|1000.00|0.5000|5.0000", "102|Петрова Анна|0|1|1|0|0|3|3|0|0.00|0.0000|null")
	kxExpect(t, "pipeline fx, team", kxCells([][]any{fx.Totals}), "null|null|2|2|1|1|0|7|7|1|1000.00|0.3333|5.0000")
	fy := kxRun(t, s.eng, kxDirector, reports.KindActivityOutcomes, &jan, `{"pipeline":"fy"}`)
	if got := kxCells(fy.Rows); len(got) != 1 || !strings.HasPrefix(got[0], "101|Иванов Иван|1|0|0|1|1|") {
		t.Errorf("activities vs outcomes of fy: %v", got)
	}
	if f := kxRunErr(t, s.eng, reports.KindManagerActivity, &jan, `{"pipeline":"nope"}`); f != "params.pipeline" {
		t.Errorf("an unknown pipeline: field %q", f)
	}
}

// TestActivityHeatmapByHand: activities per owner and Moscow day, week
// (from Monday) or month of creation, January 2025 (kxFixture plus
// kxSecondPipeline; A7, A8 are February's, A9 December's).
func TestActivityHeatmapByHand(t *testing.T) {
	s := kxReadOnly(t, kxSecondPipeline, kxNow)
	jan := kxJanuary
	ivanov := []string{"101|Иванов Иван|2025-01-05|1", "101|Иванов Иван|2025-01-06|2", "101|Иванов Иван|2025-01-08|1", "101|Иванов Иван|2025-01-13|1"}
	petrova := []string{"102|Петрова Анна|2025-01-04|1", "102|Петрова Анна|2025-01-09|2", "102|Петрова Анна|2025-01-20|1"}
	res := kxRun(t, s.eng, kxDirector, reports.KindActivityHeatmap, &jan, "")
	kxExpect(t, "January by day (31 days: the grain of a short period)", kxCells(res.Rows), slices.Concat(ivanov, petrova)...)
	kxExpect(t, "total", kxCells([][]any{res.Totals}), "null|null|null|9")
	if res.Columns[2].Key != "created_at_day" || res.Columns[2].Label != "День" {
		t.Errorf("bucket column %+v", res.Columns[2])
	}
	weeks := kxRun(t, s.eng, kxDirector, reports.KindActivityHeatmap, &jan, `{"pipeline":"fx","grain":"week"}`)
	kxExpect(t, "fx by week: not A12 (fy) nor A11 (no deal)", kxCells(weeks.Rows),
		"101|Иванов Иван|2024-12-30|1", "101|Иванов Иван|2025-01-06|2", "101|Иванов Иван|2025-01-13|1",
		"102|Петрова Анна|2024-12-30|1", "102|Петрова Анна|2025-01-06|2")
	month := kxRun(t, s.eng, kxDirector, reports.KindActivityHeatmap, &jan, `{"owner":102,"grain":"month"}`)
	kxExpect(t, "M2 by month", kxCells(month.Rows), "102|Петрова Анна|2025-01-01|4")
	mine := kxRun(t, s.eng, kxM1, reports.KindActivityHeatmap, &jan, "")
	kxExpect(t, "M1 sees own", kxCells(mine.Rows), ivanov...)
	// M2 also sees A1 and A6, M1's activities on D1, which M2 observes.
	obs := kxRun(t, s.eng, kxM2, reports.KindActivityHeatmap, &jan, "")
	kxExpect(t, "M2 sees own and D1's", kxCells(obs.Rows), slices.Concat([]string{"101|Иванов Иван|2025-01-05|1", "101|Иванов Иван|2025-01-06|1"}, petrova)...)
	for params, field := range map[string]string{`{"grain":"hour"}`: "params.grain", `{"owner":-5}`: "params.owner", `{"pipeline":"nope"}`: "params.pipeline"} {
		if f := kxRunErr(t, s.eng, reports.KindActivityHeatmap, &jan, params); f != field {
			t.Errorf("%s: field %q, want %q", params, f, field)
		}
	}
	if f := kxRunErr(t, s.eng, reports.KindActivityHeatmap, nil, ""); f != "period" {
		t.Errorf("no period: field %q", f)
	}
}

// kxPGHeatmap is the weekly heatmap in plain SQL: activities created in
// [$1, $2) by owner and Monday of the Moscow week; $3 a pipeline code
// (” for every activity).
const kxPGHeatmap = `
SELECT a.owner_id, to_char(date_trunc('week', a.created_at AT TIME ZONE 'Europe/Moscow'), 'YYYY-MM-DD'), count(*)
FROM activities a
WHERE a.created_at >= $1 AND a.created_at < $2
  AND ($3 = '' OR a.deal_id IN (SELECT d.id FROM deals d JOIN pipelines p ON p.id = d.pipeline_id WHERE p.code = $3))
GROUP BY 1, 2`

// TestActivityHeatmapMatchesPostgres: on 2,000 seeded deals a year of
// activities comes by weeks (the grain of a year), every cell equal to
// plain SQL, every owner with activities there, for every pipeline and
// for one.
func TestActivityHeatmapMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, _ := year.Resolve(kxSeedNow, "period")
	for _, pipeline := range []string{"", "sales"} {
		params, _ := json.Marshal(map[string]string{"pipeline": pipeline})
		if pipeline == "" {
			params = nil
		}
		res := kxRun(t, s.eng, kxDirector, reports.KindActivityHeatmap, &year, string(params))
		var got []string
		for _, row := range kxCells(res.Rows) {
			c := strings.Split(row, "|")
			got = append(got, c[0]+" "+c[2]+" "+c[3])
		}
		want := kxPGRows(t, s, kxPGHeatmap, r.From, r.To, pipeline)
		slices.Sort(got)
		slices.Sort(want)
		if res.Columns[2].Key != "created_at_week" || strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) < 100 {
			t.Errorf("pipeline %q: %d cells by %s, reference %d; first %v / %v", pipeline, len(got), res.Columns[2].Key, len(want), got[:min(3, len(got))], want[:min(3, len(want))])
		}
	}
}
