package seed

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// runLocked does the work of Run under the seeders' advisory lock: read
// the reference data, reserve ids, generate and write the chunks and give
// back the unused ids. (Planner statistics are left to autovacuum: an
// ANALYZE here would add a tenth to the run.)
func runLocked(ctx context.Context, pool *pgxpool.Pool, o Options) (Stats, error) {
	var st Stats
	rf, err := loadRef(ctx, pool, o.Now, o.Seed, &st)
	if err != nil {
		return st, err
	}
	st.FastLoad = !o.FKTriggers && canBypassTriggers(ctx, pool)
	plans := planChunks(o.Deals, o.chunkSize)
	bound := bounds(sizes(plans))
	base, err := reserveIDs(ctx, pool, bound)
	if err != nil {
		return st, err
	}
	err = load(ctx, pool, rf, o, plans, base, bound, &st)
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if ferr := finishIDs(fctx, pool); err == nil {
		err = ferr
	}
	if err == nil {
		err = seedForecasts(ctx, pool, base[tDeals])
	}
	if err == nil {
		err = seedPlans(ctx, pool, o.Now)
	}
	if err == nil {
		err = seedDocs(ctx, pool, base[tDeals], o.Now, &st)
	}
	return st, err
}

// load generates the chunks in order on this goroutine and hands them to
// o.Writers writers, each writing a chunk per transaction. A failed chunk
// stops the run; chunks already committed stay.
func load(ctx context.Context, pool *pgxpool.Pool, rf *ref, o Options, plans []plan, base, bound ids, st *Stats) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	w := &writers{pool: pool, fast: st.FastLoad, cancel: cancel, st: st,
		bar: newProgress(o.Progress, o.Deals), free: make(chan *chunk, o.Writers+2)}
	work := make(chan *chunk, 1)
	var wg sync.WaitGroup
	for range o.Writers {
		wg.Go(func() { w.run(ctx, work) })
	}
	err := produce(ctx, rf, o, plans, base, bound, work, w.free)
	close(work)
	wg.Wait()
	w.bar.finish()
	if err != nil {
		return err
	}
	return context.Cause(ctx)
}

// writers write chunks, count them and hand them back for reuse.
type writers struct {
	pool   *pgxpool.Pool
	fast   bool
	cancel context.CancelCauseFunc
	free   chan *chunk // written chunks, for reuse
	mu     sync.Mutex  // guards st and bar
	st     *Stats
	bar    *progress
}

func (w *writers) run(ctx context.Context, work <-chan *chunk) {
	for c := range work {
		if ctx.Err() != nil {
			continue // drain after a failure
		}
		if err := writeChunk(ctx, w.pool, c, w.fast); err != nil {
			w.cancel(fmt.Errorf("seed: %w", err))
			continue
		}
		w.mu.Lock()
		w.st.add(c)
		w.bar.add(len(c.deals))
		w.mu.Unlock()
		select {
		case w.free <- c:
		default:
		}
	}
}

// produce generates the chunks in order, so ids follow one another.
func produce(ctx context.Context, rf *ref, o Options, plans []plan, base, bound ids, work chan<- *chunk, free <-chan *chunk) error {
	next := base
	for _, p := range plans {
		var c *chunk
		select {
		case c = <-free:
		default:
		}
		c = generate(rf, o.Seed, o.Now, p, &next, c)
		for t := range next {
			if next[t] > base[t]+bound[t] {
				return fmt.Errorf("seed: %s ids beyond the reserved range (bug)", idTables[t])
			}
		}
		select {
		case work <- c:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

// add counts a committed chunk.
func (s *Stats) add(c *chunk) {
	n := c.counts()
	s.Companies += n[tCompanies]
	s.Contacts += n[tContacts]
	s.Leads += n[tLeads]
	s.LeadStatusChanges += n[tLeadChanges]
	s.Deals += n[tDeals]
	s.StageChanges += n[tStageChanges]
	s.Activities += n[tActivities]
	s.DealItems += n[tItems]
	s.Invoices += n[tInvoices]
	s.Payments += n[tPayments]
	s.DealObservers += int64(len(c.observers))
}
