package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// TestMergeDealThroughTheStream merges D5 (M2's: new → pause → qual →
// prop, 5000 ₽, meetings A4 held 01-11 and A5 not held) into D2 (M1's:
// new → prop, 2000 ₽) on the hand-built fixture, with ingest streaming
// PostgreSQL into ClickHouse, and checks every figure before and after
// by hand (kxFixture's story): D5 is a deleted row in ClickHouse, its
// stage changes are gone from the facts and paths, so it leaves the
// funnel, the stage percentages and the stage movement; D2's path is its
// own; A4 and A5 sit on D2 and still count for their owner M2; M2, who
// was responsible for D5, observes D2 now.
func TestMergeDealThroughTheStream(t *testing.T) {
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	ctx := context.Background()
	if _, err := pg.Pool.Exec(ctx, kxFixture); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	streamInto(t, pg, ch)
	s := &kxStores{pg: pg, ch: ch, eng: &Engine{CH: ch.DB, Now: func() time.Time { return kxNow }}}
	waitCH(t, ch, "the initial load", map[string]string{
		"SELECT toString(count()) FROM {db}.deal_facts FINAL WHERE _deleted = 0":                     "8",
		"SELECT toString(count()) FROM {db}.activities FINAL WHERE _deleted = 0":                     "11",
		"SELECT toString(sum(length(stages))) FROM {db}.deal_paths FINAL":                            "24",
		"SELECT toString(count()) FROM {db}.deal_observers FINAL WHERE _deleted = 0 AND deal_id = 1": "1",
	})
	jan := kxJanuary
	kxCheckSteps(t, "funnel before", kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan}).Steps, kxJanuaryTotal)
	res := kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "activity before", kxCells(res.Rows), "101|Иванов Иван|2|1|0|1|1|4|4|1|1000.00|0.5000|5.0000",
		"102|Петрова Анна|1|1|1|0|0|3|3|0|0.00|0.0000|null")

	m, err := crmcore.NewStore(pg.Pool).MergeDeals(ctx, kxDirector, crmcore.DealMerge{KeepID: 2, MergeID: 5})
	if err != nil {
		t.Fatal(err)
	}
	if m.Moved["activities"] != 2 || m.Moved["observers"] != 1 || m.Removed["stage_changes"] != 4 {
		t.Fatalf("merge moved %v, removed %v: want 2 activities, 1 observer, 4 stage changes", m.Moved, m.Removed)
	}
	waitCH(t, ch, "the merge", map[string]string{
		"SELECT toString(_deleted) FROM {db}.deals FINAL WHERE id = 5":                               "1",
		"SELECT toString(count()) FROM {db}.stage_changes FINAL WHERE _deleted = 0 AND deal_id = 5":  "0",
		"SELECT toString(count()) FROM {db}.deal_facts FINAL WHERE _deleted = 0":                     "7",
		"SELECT toString(count()) FROM {db}.deal_facts FINAL WHERE _deleted = 0 AND id = 5":          "0",
		"SELECT toString(sum(length(stages))) FROM {db}.deal_paths FINAL":                            "20",
		"SELECT toString(count()) FROM {db}.activities FINAL WHERE _deleted = 0 AND deal_id = 2":     "3",
		"SELECT toString(count()) FROM {db}.deal_observers FINAL WHERE _deleted = 0 AND deal_id = 2": "1",
	})

	// The funnel: D5 reached new, qual and prop; its stays leave the
	// medians: new 24,24,24,48,24,960,24 → 24; qual 48,24,1056,24,24 → 24;
	// prop 48,1272,48 → 48.
	f := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan})
	kxCheckSteps(t, "funnel after", f.Steps, []kxStep{
		{"new", 6, "29959.95", null, 1, 24},
		{"qual", 5, "23959.95", 5.0 / 6, 5.0 / 6, 24},
		{"prop", 3, "10000.00", 3.0 / 5, 3.0 / 6, 48},
		{"won", 1, "1000.00", 1.0 / 3, 1.0 / 6, null},
	})
	kxCheckCounts(t, "lost after", f.Lost, []kxCount{{"new", 0, "0.00"}, {"qual", 1, "4000.00"}, {"prop", 1, "7000.00"}, {"won", 0, "0.00"}})
	// M2 observes D1 and now D2, owns D4 and D6: new D1 D2 D4 D6 (24, 24,
	// 24, 960 h), qual D1 D2 (skipped) D4 (48, 24 h), prop D1 D2 (48, 1272 h).
	kxCheckSteps(t, "M2's funnel after", kxFunnel(t, s, kxM2, reports.FunnelRequest{Pipeline: "fx", Period: &jan}).Steps, []kxStep{
		{"new", 4, "13000.00", null, 1, 24},
		{"qual", 3, "7000.00", 3.0 / 4, 3.0 / 4, 36},
		{"prop", 2, "3000.00", 2.0 / 3, 2.0 / 4, 660},
		{"won", 1, "1000.00", 1.0 / 2, 1.0 / 4, null},
	})

	// Stage percentages: Предложение keeps D2 alone (2000 ₽, 60 % → 1200).
	const all = 37959.95
	res = kxRun(t, s.eng, kxDirector, reports.KindStagePercentages, nil, `{"pipeline":"fx"}`)
	kxExpect(t, "stages after", kxCells(res.Rows),
		fmt.Sprintf("Новые|open|10|1|6000.00|600.00|%.4f|%.4f", 1.0/7, 6000/all),
		fmt.Sprintf("Квалификация|open|30|2|17959.95|5387.99|%.4f|%.4f", 2.0/7, 17959.95/all),
		fmt.Sprintf("Предложение|open|60|1|2000.00|1200.00|%.4f|%.4f", 1.0/7, 2000/all),
		fmt.Sprintf("Победа|won|100|1|1000.00|1000.00|%.4f|%.4f", 1.0/7, 1000/all),
		"Пауза|paused|0|0|0.00|0.00|0.0000|0.0000",
		fmt.Sprintf("Поражение|lost|0|2|11000.00|0.00|%.4f|%.4f", 2.0/7, 11000/all))
	kxExpect(t, "stages totals after", kxCells([][]any{res.Totals}), "null|null|null|7|37959.95|8187.99|1.0000|1.0000")

	// Stage movement: D5's stays leave (new → pause, qual → prop, prop
	// still); p90 by linear interpolation: new [24×5, 48, 960] → 412.8,
	// qual [24, 24, 24, 48, 1056, 1080] → 1068, prop [48, 48, 1272] → 1027.2.
	res = kxRun(t, s.eng, kxDirector, reports.KindStageMovement, &jan, `{"pipeline":"fx"}`)
	kxExpect(t, "movement after", kxCells(res.Rows),
		"new|Новая|7|5|1|0|0|0|1|24.0000|412.8000",
		"qual|Квалификация|6|2|0|1|1|0|2|36.0000|1068.0000",
		"prop|Предложение|3|1|0|0|1|0|1|48.0000|1027.2000",
		"won|Успех|1|0|0|0|0|0|1|null|null")
	kxExpect(t, "movement totals after", kxCells([][]any{res.Totals}), "null|null|17|8|1|1|2|0|5|null|null")

	// Manager activity: A4 still counts for its owner M2 (1 meeting); M2
	// loses D5 as created and moved forward (D4, D6 created; D4, D8 moved).
	res = kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "activity after", kxCells(res.Rows), "101|Иванов Иван|2|1|0|1|1|4|4|1|1000.00|0.5000|5.0000",
		"102|Петрова Анна|1|1|1|0|0|2|2|0|0.00|0.0000|null")
	kxExpect(t, "team after", kxCells([][]any{res.Totals}), "null|null|3|2|1|1|1|6|6|1|1000.00|0.3333|5.0000")
	// M1 now sees M2's meeting A4 on D2 (counted for M2, not for M1); M2,
	// observing D2, sees its call A2 and its forward move.
	res = kxRun(t, s.eng, kxM1, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "M1 after", kxCells(res.Rows), "101|Иванов Иван|2|1|0|1|1|4|4|1|1000.00|0.5000|5.0000",
		"102|Петрова Анна|0|0|1|0|0|0|0|0|0.00|null|null")
	res = kxRun(t, s.eng, kxM2, reports.KindManagerActivity, &jan, "")
	kxExpect(t, "M2 after", kxCells(res.Rows), "101|Иванов Иван|2|0|0|1|0|2|2|1|1000.00|1.0000|5.0000",
		"102|Петрова Анна|1|1|1|0|0|2|2|0|0.00|0.0000|null")
}

// streamInto runs an ingest.Streamer from pg into ch until the test ends
// (the way `voronka serve` does), and drops its slot then.
func streamInto(t *testing.T, pg *testenv.PG, ch *testenv.CH) {
	t.Helper()
	slot := pg.Name
	st, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: slot, BatchWait: 50 * time.Millisecond}, ch.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); st.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		for i := 0; i < 50; i++ { // the walsender may take a moment to exit
			if ingest.DropSlot(context.Background(), pg.URL, slot) == nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Errorf("slot %s not dropped", slot)
	})
}

// waitCH polls until each ClickHouse query ({db}: the test's database)
// answers its text, or fails after two minutes (creating a slot waits for
// the transactions open on the shared server) showing what differs.
func waitCH(t *testing.T, ch *testenv.CH, what string, want map[string]string) {
	t.Helper()
	var diff []string
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		diff = diff[:0]
		for q, w := range want {
			got, err := testenv.CHTexts(context.Background(), ch.DB, strings.ReplaceAll(q, "{db}", ch.Database))
			if err != nil || strings.Join(got, ",") != w {
				diff = append(diff, fmt.Sprintf("%s: %v %v, want %s", q, got, err, w))
			}
		}
		if len(diff) == 0 {
			return
		}
	}
	t.Fatalf("%s did not reach ClickHouse:\n%s", what, strings.Join(diff, "\n"))
}
