package engine

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/voronka/voronka/reports"
)

// TestStageMovementByHand: January's stays on the fixture, outcome by
// outcome, with their medians and 90th percentiles (linear interpolation
// between order statistics: p at index p·(n−1)).
//
//	new:  D1 adv 24h, D2 skip 24, D3 adv 24, D3 adv 48, D4 adv 24, D5 pause 24, D6 still 960, D7 adv 24
//	qual: D1 adv 48, D3 back 24, D3 still 1056, D4 lost 24, D5 adv 48, D7 adv 24, D8 still 1080
//	prop: D1 adv 48, D2 still 1272, D5 still 1152, D7 lost 48
//	won:  D1 still (a stay in a won stage is not timed until it ends)
func TestStageMovementByHand(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	jan := kxJanuary
	res := kxRun(t, s.eng, kxDirector, reports.KindStageMovement, &jan, `{"pipeline":"fx"}`)
	kxExpect(t, "by stage", kxCells(res.Rows),
		"new|Новая|8|5|1|0|0|1|1|24.0000|321.6000",
		"qual|Квалификация|7|3|0|1|1|0|2|48.0000|1065.6000",
		"prop|Предложение|4|1|0|0|1|0|2|600.0000|1236.0000",
		"won|Успех|1|0|0|0|0|0|1|null|null")
	kxExpect(t, "totals", kxCells([][]any{res.Totals}), "null|null|20|9|1|1|2|1|6|null|null")
	m1 := []string{
		"101|Иванов Иван|new|Новая|5|4|1|0|0|0|0|24.0000|38.4000",
		"101|Иванов Иван|qual|Квалификация|4|2|0|1|0|0|1|36.0000|753.6000",
		"101|Иванов Иван|prop|Предложение|3|1|0|0|1|0|1|48.0000|1027.2000",
		"101|Иванов Иван|won|Успех|1|0|0|0|0|0|1|null|null",
	}
	res = kxRun(t, s.eng, kxDirector, reports.KindStageMovement, &jan, `{"pipeline":"fx","per_manager":true}`)
	kxExpect(t, "per manager", kxCells(res.Rows), append(m1,
		"102|Петрова Анна|new|Новая|3|1|0|0|0|1|1|24.0000|772.8000",
		"102|Петрова Анна|qual|Квалификация|3|1|0|0|1|0|1|48.0000|873.6000",
		"102|Петрова Анна|prop|Предложение|1|0|0|0|0|0|1|1152.0000|1152.0000")...)
	// Manager 101 sees exactly their own rows of the director's report.
	mine := kxRun(t, s.eng, kxM1, reports.KindStageMovement, &jan, `{"pipeline":"fx","per_manager":true}`)
	kxExpect(t, "manager 101", kxCells(mine.Rows), m1...)
}

// kxPGMovement is stage movement in plain SQL with window functions:
// per step of pipeline $1, the stays begun in [$2, $3), their outcomes,
// and median / p90 hours (open stays up to $4, won stays only ended).
const kxPGMovement = `
WITH v AS (
    SELECT sc.to_stage_id AS stage, sc.changed_at AS entered,
           lead(sc.to_stage_id) OVER w AS next_stage, lead(sc.changed_at) OVER w AS next_at
    FROM stage_changes sc
    JOIN deals d ON d.id = sc.deal_id
    JOIN pipelines p ON p.id = d.pipeline_id AND p.code = $1
    WINDOW w AS (PARTITION BY sc.deal_id ORDER BY sc.changed_at, sc.id)),` + kxPGSteps + `
SELECT st.code, count(*),
       count(*) FILTER (WHERE v.next_stage IS NOT NULL AND ns.step = st.step + 1),
       count(*) FILTER (WHERE v.next_stage IS NOT NULL AND ns.step > st.step + 1),
       count(*) FILTER (WHERE v.next_stage IS NOT NULL AND nk.kind IN ('open', 'won') AND ns.step < st.step),
       count(*) FILTER (WHERE nk.kind = 'lost'),
       count(*) FILTER (WHERE nk.kind = 'paused'),
       count(*) FILTER (WHERE v.next_stage IS NULL),
       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(v.next_at, $4) - v.entered) / 3600)
           FILTER (WHERE v.next_at IS NOT NULL OR k.kind = 'open'), -1),
       coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(v.next_at, $4) - v.entered) / 3600)
           FILTER (WHERE v.next_at IS NOT NULL OR k.kind = 'open'), -1)
FROM v
JOIN steps st ON st.id = v.stage
JOIN stages k ON k.id = v.stage
LEFT JOIN steps ns ON ns.id = v.next_stage
LEFT JOIN stages nk ON nk.id = v.next_stage
WHERE v.entered >= $2 AND v.entered < $3
GROUP BY st.code, st.step
ORDER BY st.step`

// TestStageMovementMatchesPostgres: counts equal exactly, hours to a
// hundredth; and the busiest manager equals the director on their rows.
func TestStageMovementMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, _ := year.Resolve(kxSeedNow, "period")
	for _, pipeline := range []string{"sales", "interest"} {
		res := kxRun(t, s.eng, kxDirector, reports.KindStageMovement, &year, `{"pipeline":"`+pipeline+`"}`)
		want := kxPGRows(t, s, kxPGMovement, pipeline, r.From, r.To, kxSeedNow)
		got := kxCells(res.Rows)
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d:\n%v\n%v", pipeline, len(got), len(want), got, want)
		}
		for i := range want {
			g, w := strings.Split(got[i], "|"), strings.Split(want[i], " ")
			g = append(g[:1], g[2:]...) // drop the name
			if strings.Join(g[:8], " ") != strings.Join(w[:8], " ") || !kxNear(g[8], w[8]) || !kxNear(g[9], w[9]) {
				t.Errorf("%s row %d:\n got %v\nwant %v", pipeline, i, g, w)
			}
		}
	}
	kxSameForManager(t, s, reports.KindStageMovement, &year, `{"pipeline":"sales","per_manager":true}`)
}

// kxNear compares hours to a hundredth; "null" matches -1.
func kxNear(got, want string) bool {
	if got == "null" {
		return want == "-1"
	}
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	return err1 == nil && err2 == nil && math.Abs(g-w) <= 0.0051
}
