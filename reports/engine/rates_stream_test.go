package engine

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
)

// stream runs the change stream from pg into ch until the test ends
// (then drops its slot).
func stream(t *testing.T, pg *testenv.PG, ch *testenv.CH) {
	t.Helper()
	s, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: pg.Name, BatchWait: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, ch.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		for i := 0; i < 50 && ingest.DropSlot(context.Background(), pg.URL, pg.Name) != nil; i++ {
			time.Sleep(200 * time.Millisecond) // the walsender may take a moment to exit
		}
	})
}

// waitAnswers asks the same engine (its cache included) until the
// answers are want, or fails showing the last.
func waitAnswers(t *testing.T, e *Engine, want string) {
	t.Helper()
	var got string
	var err error
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got, err = ratesAnswers(e); err == nil && got == want {
			return
		}
	}
	t.Fatalf("answers after the stream:\n got %s (%v)\nwant %s", got, err, want)
}

// A rate added for a past day, a correction of one, and a removal each
// change the past answers of every report that converts roubles once
// the change stream has brought them (deal_facts recomputed, the answer
// cache not serving the old figure). By hand:
//
//	USD 91.5 from 2024-03-01: before 100 × 91.5 = 9150.00; after keeps 92.5058 (975.94);
//	                          B-1 20 × 91.5 = 1830.00
//	2024-03-02 corrected to 93: after 10.55 × 93 = 981.15, A-1 20 × 93 = 1860.00
//	2024-03-01 removed: before back to 100 × 90 = 9000.00, B-1 1800.00
func TestPastRateChangesAnswersThroughStream(t *testing.T) {
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	exec := func(sql string) {
		t.Helper()
		if _, err := pg.Pool.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	exec(ratesFixtureSQL)
	stream(t, pg, ch)
	e := &Engine{CH: ch.DB, Now: func() time.Time { return ratesNow }}
	waitAnswers(t, e, "deals after|975.94 before|9000.00; invoices A-1|1850.12 B-1|1800.00; funnel 2 9975.94; stages 9975.94")

	exec(`INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-03-01', 91.5)`)
	waitAnswers(t, e, "deals after|975.94 before|9150.00; invoices A-1|1850.12 B-1|1830.00; funnel 2 10125.94; stages 10125.94")

	exec(`UPDATE currency_rates SET rate = 93 WHERE code = 'USD' AND valid_from = '2024-03-02'`)
	waitAnswers(t, e, "deals after|981.15 before|9150.00; invoices A-1|1860.00 B-1|1830.00; funnel 2 10131.15; stages 10131.15")

	exec(`DELETE FROM currency_rates WHERE code = 'USD' AND valid_from = '2024-03-01'`)
	waitAnswers(t, e, "deals after|981.15 before|9000.00; invoices A-1|1860.00 B-1|1800.00; funnel 2 9981.15; stages 9981.15")
}
