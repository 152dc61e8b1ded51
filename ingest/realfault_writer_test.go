package ingest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// crmWriter keeps committing CRM changes through the core while a fault
// test runs: it creates a deal, moves it new → first_contact, then back
// and forth first_contact ⇄ needs, and starts over with a new deal every
// few moves. A failed call (the server restarting) abandons the deal,
// whose state is then unknown; PostgreSQL stays the truth the mirror is
// compared with.
type crmWriter struct {
	store *crmcore.Store
	who   domain.Principal
	every time.Duration

	mu      sync.Mutex
	ok      int     // calls that returned without error
	failed  int     // calls that returned an error
	lastErr error   // the latest of those errors
	created []int64 // deals whose CreateDeal returned

	cancel context.CancelFunc
	done   chan struct{}
}

// startWriter runs a writer committing one change every `every` until
// stop (or the end of the test).
func (e *env) startWriter(who domain.Principal, every time.Duration) *crmWriter {
	ctx, cancel := context.WithCancel(context.Background())
	w := &crmWriter{store: crmcore.NewStore(e.pg.Pool), who: who, every: every, cancel: cancel, done: make(chan struct{})}
	go w.run(ctx)
	e.t.Cleanup(w.stop)
	return w
}

// stop ends the writer and waits for its last call to return.
func (w *crmWriter) stop() {
	w.cancel()
	<-w.done
}

func (w *crmWriter) run(ctx context.Context) {
	defer close(w.done)
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	var deal int64
	var moves int
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var err error
		switch {
		case deal == 0 || moves == 6:
			var d crmcore.Deal
			d, err = w.store.CreateDeal(ctx, w.who, crmcore.NewDeal{Title: fmt.Sprintf("Сделка под нагрузкой %d", n),
				Pipeline: "sales", Amount: domain.Money{Decimal: decimal.New(int64(n), 0)}})
			deal, moves = d.ID, 0
			if err == nil {
				w.record(d.ID)
			}
		default:
			stage := [2]string{"first_contact", "needs"}[moves%2]
			_, err = w.store.MoveDeal(ctx, w.who, deal, crmcore.DealMove{Stage: stage})
			moves++
		}
		if err != nil {
			deal = 0
		}
		if ctx.Err() == nil {
			w.count(err)
		}
	}
}

func (w *crmWriter) record(id int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.created = append(w.created, id)
}

func (w *crmWriter) count(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.ok++
		return
	}
	w.failed++
	w.lastErr = err
}

// stats returns the counts so far.
func (w *crmWriter) stats() (ok, failed int, lastErr error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ok, w.failed, w.lastErr
}

// createdDeals lists the deals the writer was told were created.
func (w *crmWriter) createdDeals() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]int64(nil), w.created...)
}

// waitWrites waits until the writer has committed n more changes.
func (w *crmWriter) waitWrites(t testing.TB, n int) {
	t.Helper()
	start, _, _ := w.stats()
	waitFor(t, time.Minute, fmt.Sprintf("%d more CRM changes", n), func() bool {
		ok, _, _ := w.stats()
		return ok >= start+n
	})
}
