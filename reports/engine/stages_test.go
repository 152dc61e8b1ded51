package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// kxRun runs a definition of kind with params for p and fails on error.
func kxRun(t *testing.T, e *Engine, p domain.Principal, kind string, period *reports.Period, params string) *reports.Result {
	t.Helper()
	def := &reports.Definition{Kind: kind, Period: period, Params: json.RawMessage(params)}
	res, err := e.Run(context.Background(), p, def)
	if err != nil {
		t.Fatalf("%s %s: %v", kind, params, err)
	}
	return res
}

// kxCells formats rows as "a|b|c" lines (money with two decimals,
// ratios with four) for comparison with hand-written expectations.
func kxCells(rows [][]any) []string {
	var out []string
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			switch v := c.(type) {
			case nil:
				cells[i] = "null"
			case domain.Money:
				cells[i] = v.StringFixed(2)
			case float64:
				cells[i] = fmt.Sprintf("%.4f", v)
			default:
				cells[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func kxExpect(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

// TestStagePercentagesByHand: the fixture's deals by current stage group,
// weighted per deal to the kopeck (D3: 9959.95 × 30% = 2987.985 → 2987.99).
func TestStagePercentagesByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	res := kxRun(t, s.eng, kxDirector, reports.KindStagePercentages, nil, `{"pipeline":"fx"}`)
	const all = 42959.95
	kxExpect(t, "all deals", kxCells(res.Rows),
		fmt.Sprintf("Новые|open|10|1|6000.00|600.00|0.1250|%.4f", 6000/all),
		fmt.Sprintf("Квалификация|open|30|2|17959.95|5387.99|0.2500|%.4f", 17959.95/all),
		fmt.Sprintf("Предложение|open|60|2|7000.00|4200.00|0.2500|%.4f", 7000/all),
		fmt.Sprintf("Победа|won|100|1|1000.00|1000.00|0.1250|%.4f", 1000/all),
		"Пауза|paused|0|0|0.00|0.00|0.0000|0.0000",
		fmt.Sprintf("Поражение|lost|0|2|11000.00|0.00|0.2500|%.4f", 11000/all))
	kxExpect(t, "totals", kxCells([][]any{res.Totals}), "null|null|null|8|42959.95|11187.99|1.0000|1.0000")
	jan := kxJanuary
	res = kxRun(t, s.eng, kxDirector, reports.KindStagePercentages, &jan, `{"pipeline":"fx","by_stage":true}`)
	if got := kxCells(res.Rows)[1]; got != fmt.Sprintf("qual|Квалификация|Квалификация|open|30|1|9959.95|2987.99|%.4f|%.4f", 1.0/7, 9959.95/34959.95) {
		t.Errorf("January by stage, qual: %s", got)
	}
	m1 := kxRun(t, s.eng, kxM1, reports.KindStagePercentages, nil, `{"pipeline":"fx"}`)
	kxExpect(t, "manager 101 totals", kxCells([][]any{m1.Totals}), "null|null|null|4|19959.95|5187.99|1.0000|1.0000")
}

// kxPGStages is stage percentages in plain SQL: per (group, kind,
// probability) of pipeline $1 the deals created before $2, their amount and
// weighted amount rounded per deal.
const kxPGStages = `
SELECT s.stage_group, s.kind, s.probability, count(d.id),
       coalesce(sum(` + kxPGRub + `), 0)::numeric(20, 2)::text,
       coalesce(sum(round(` + kxPGRub + ` * s.probability / 100, 2)), 0)::numeric(20, 2)::text
FROM stages s
JOIN pipelines p ON p.id = s.pipeline_id AND p.code = $1
LEFT JOIN deals d ON d.stage_id = s.id AND d.created_at < $2
GROUP BY s.stage_group, s.kind, s.probability
ORDER BY min(s.position)`

// TestStagePercentagesMatchPostgres compares the seeded pipelines with
// plain SQL, and the busiest manager with the director on the manager's
// rows only.
func TestStagePercentagesMatchPostgres(t *testing.T) {
	s := kxSeeded(t)
	for _, pipeline := range []string{"sales", "interest"} {
		res := kxRun(t, s.eng, kxDirector, reports.KindStagePercentages, nil, `{"pipeline":"`+pipeline+`"}`)
		var got []string
		for _, r := range kxCells(res.Rows) {
			cells := strings.Split(r, "|")
			got = append(got, strings.Join(cells[:6], " "))
		}
		want := kxPGRows(t, s, kxPGStages, pipeline, kxSeedNow.Add(time.Second))
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %v\nwant %v", pipeline, got, want)
		}
	}
	kxSameForManager(t, s, reports.KindStagePercentages, nil, `{"pipeline":"sales","by_stage":true}`)
}

// kxSameForManager checks that the busiest manager's result equals the
// director's on a copy of only that manager's rows (and is not empty).
func kxSameForManager(t *testing.T, s *kxStores, kind string, period *reports.Period, params string) {
	t.Helper()
	m := kxBusyManager(t, s)
	mine := kxRun(t, s.eng, m, kind, period, params)
	dir := kxRun(t, kxRestricted(t, s, m.UserID), kxDirector, kind, period, params)
	a, b := kxCells(mine.Rows), kxCells(dir.Rows)
	if strings.Join(a, "\n") != strings.Join(b, "\n") || fmt.Sprint(mine.Totals) != fmt.Sprint(dir.Totals) {
		t.Errorf("%s %s: manager\n%s\ndirector on the manager's rows\n%s", kind, params, strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	if len(a) == 0 {
		t.Errorf("%s: empty result proves little", kind)
	}
}
