package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// crmLoad is the streaming benchmark's load generator: workers that
// commit deal changes through crmcore.Store, each on deals of its own.
// A worker creates a deal (CreateDeal: the deal row and its first
// stage_changes row), moves it new → first_contact and then
// first_contact ⇄ needs (MoveDeal: the deal row updated, a stage_changes
// row added), and starts a new deal after movesPerDeal moves. Every call
// is one committed transaction of two row changes.
type crmLoad struct {
	store   *crmcore.Store
	who     domain.Principal
	workers int
}

// movesPerDeal is how often a worker moves one deal before it opens the
// next.
const movesPerDeal = 10

// loadResult is what a run committed: per deal, the time each call that
// wrote one of its stage_changes rows returned, in order.
type loadResult struct {
	ops     int
	elapsed time.Duration
	commits map[int64][]time.Time
}

// rowChanges is the number of row changes committed (two per call).
func (r loadResult) rowChanges() int { return 2 * r.ops }

// run commits ops calls in total. With rate > 0 they are paced to rate
// calls per second overall (each worker on its own schedule; a worker
// that falls behind catches up without pause); with rate 0 as fast as
// the workers go.
func (l *crmLoad) run(ctx context.Context, ops int, rate float64) (loadResult, error) {
	res := loadResult{commits: map[int64][]time.Time{}}
	var mu sync.Mutex
	errs := make(chan error, l.workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < l.workers; w++ {
		n := ops / l.workers
		if w < ops%l.workers {
			n++
		}
		wg.Add(1)
		go func(w, n int) {
			defer wg.Done()
			commits, err := l.worker(ctx, w, n, start, rate)
			mu.Lock()
			for id, ts := range commits {
				res.commits[id] = ts
			}
			mu.Unlock()
			if err != nil {
				errs <- err
			}
		}(w, n)
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.ops = ops
	close(errs)
	return res, <-errs
}

// worker commits n calls; call i is due at start + i·workers/rate.
func (l *crmLoad) worker(ctx context.Context, w, n int, start time.Time, rate float64) (map[int64][]time.Time, error) {
	commits := map[int64][]time.Time{}
	var deal int64
	moves := 0
	for i := 0; i < n; i++ {
		if rate > 0 {
			due := start.Add(time.Duration(float64(i*l.workers+w) / rate * float64(time.Second)))
			time.Sleep(time.Until(due))
		}
		if deal == 0 || moves == movesPerDeal {
			d, err := l.store.CreateDeal(ctx, l.who, crmcore.NewDeal{Title: fmt.Sprintf("Нагрузка %d-%d", w, i),
				Pipeline: "sales", Amount: domain.Money{Decimal: decimal.New(int64(1000+i), 0)}})
			if err != nil {
				return commits, fmt.Errorf("create deal: %w", err)
			}
			deal, moves = d.ID, 0
		} else {
			stage := [2]string{"first_contact", "needs"}[moves%2]
			if _, err := l.store.MoveDeal(ctx, l.who, deal, crmcore.DealMove{Stage: stage}); err != nil {
				return commits, fmt.Errorf("move deal %d: %w", deal, err)
			}
			moves++
		}
		commits[deal] = append(commits[deal], time.Now())
	}
	return commits, nil
}
