package engine

import (
	"context"
	"sync"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// Engine runs reports on the ClickHouse copy CH: it plans each
// definition once with its clock (Now, time.Now when nil), keeps answers
// in Cache (nil: none) and bounds the runs in ClickHouse at once to
// MaxRuns (0: DefaultMaxRuns); the others queue. What a report computes
// is its kind's business (Kind, Plan); the engine only runs, caches and
// queues.
type Engine struct {
	CH      *olap.DB
	Now     func() time.Time
	Cache   *Cache
	MaxRuns int

	slotsOnce sync.Once
	slots     chan struct{}

	reachMu sync.Mutex // one read of the copy's reach at a time
	reach   olap.Watermarks
	reachAt time.Time
}

// reachFor is how long one read of the copy's reach (olap.Watermarks)
// serves: the runs of one page share it, and it adds at most this much
// to an answer's delay behind the data.
const reachFor = 100 * time.Millisecond

// Clone is a copy to change (a clock) with no cache: the cache's keys do
// not hold the clock, so an engine answering as of another instant must
// not share it. Its run slots are its own.
func (e *Engine) Clone() *Engine {
	return &Engine{CH: e.CH, Now: e.Now, MaxRuns: e.MaxRuns}
}

// DefaultMaxRuns is how many report runs reach ClickHouse at once by
// default. Without a bound, twenty people opening a seven-panel dashboard
// sent 140 queries at once: they outnumbered the connection pool and
// failed waiting for a connection, and ClickHouse refuses more than
// max_concurrent_queries (100) anyway; on a small server they only slow
// each other down.
const DefaultMaxRuns = 8

// slot waits for a run slot (or ctx's end) and returns its release.
func (e *Engine) slot(ctx context.Context) (func(), error) {
	e.slotsOnce.Do(func() {
		n := e.MaxRuns
		if n <= 0 {
			n = DefaultMaxRuns
		}
		e.slots = make(chan struct{}, n)
	})
	select {
	case e.slots <- struct{}{}:
		return func() { <-e.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// limited runs a computation in a run slot.
func (e *Engine) limited(run compute) compute {
	return func(ctx context.Context, reads *olap.Reads) (any, error) {
		release, err := e.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		return run(ctx, reads)
	}
}

// now is the engine's clock.
func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Run plans def for p with the kind it names (validation errors are 422s
// naming the field) and runs it, or answers from the cache.
func (e *Engine) Run(ctx context.Context, p domain.Principal, def *reports.Definition) (*reports.Result, error) {
	plan, err := kinds.PlanReport(def, p, e.now())
	if err != nil {
		return nil, err
	}
	if def.Compare != "" {
		return e.runCompared(ctx, p, def)
	}
	a, err := e.cached(ctx, cacheKey("run", p, def), func(ctx context.Context, reads *olap.Reads) (any, error) {
		return plan.Run(ctx, e.CH.Recording(reads))
	})
	if err != nil {
		return nil, err
	}
	return cloneResult(a.val.(*reports.Result), a), nil
}

// Funnel runs a funnel for p: validation errors are 422 naming the
// request field; every query ANDs p's access condition in.
func (e *Engine) Funnel(ctx context.Context, p domain.Principal, req reports.FunnelRequest) (*reports.Funnel, error) {
	plan, err := kinds.PlanFunnel(req, p, e.now(), "")
	if err != nil {
		return nil, err
	}
	if req.Compare != "" {
		return e.funnelCompared(ctx, p, req)
	}
	a, err := e.cached(ctx, cacheKey("funnel", p, req), func(ctx context.Context, reads *olap.Reads) (any, error) {
		return plan.Funnel(ctx, e.CH.Recording(reads))
	})
	if err != nil {
		return nil, err
	}
	return cloneFunnel(a.val.(*reports.Funnel), a)
}

// cached answers key from the cache or by run (in a run slot, once
// across concurrent callers), over the copy as far as it reaches — and,
// when ctx carries the asker's own last write (After), once the stream
// has brought that write, so that nobody is shown the numbers from
// before their own change.
func (e *Engine) cached(ctx context.Context, key string, run compute) (answer, error) {
	need := afterLSN(ctx)
	return e.Cache.get(ctx, key, e.reachAfter(ctx, need), need, bypass(ctx), e.limited(run))
}

// reachOf is how far the copy reaches (read at most every maxAge, or
// reachFor when none is given). A failed read (ClickHouse loaded, the
// request ending) answers the last reach read, which still holds — the
// copy only moves on — so answers then say they are as old as that
// rather than as of now. Before any read
// succeeded the reach is unknown: answers then hold only for the
// staleness bound.
func (e *Engine) reachOf(ctx context.Context, maxAge ...time.Duration) olap.Watermarks {
	age := reachFor
	if len(maxAge) > 0 {
		age = maxAge[0]
	}
	e.reachMu.Lock()
	defer e.reachMu.Unlock()
	if time.Since(e.reachAt) < age {
		return e.reach
	}
	w, err := e.CH.Watermarks(ctx)
	if err != nil && ctx.Err() != nil {
		return e.reach // this request ended: the next one reads
	}
	if err != nil {
		w = e.reach // read again after reachFor, as after a success
	}
	e.reach, e.reachAt = w, time.Now()
	return w
}

// ownWritePoll is how often a question waiting for the asker's own
// write reads the copy's reach.
const ownWritePoll = 20 * time.Millisecond

// reachAfter is the copy's reach once it holds WAL position need (the
// asker's own last write; 0: none), waiting for the stream to bring it
// for at most the cache's staleness bound: past it (ingest stopped or far
// behind) the answer is given as far as the copy reaches, and its
// data_as_of says how old it is.
func (e *Engine) reachAfter(ctx context.Context, need uint64) olap.Watermarks {
	w := e.reachOf(ctx)
	if need == 0 || !w.Known() || w.LSN >= need {
		return w
	}
	deadline := time.Now().Add(e.Cache.maxStaleness())
	tick := time.NewTicker(ownWritePoll)
	defer tick.Stop()
	for w.Known() && w.LSN < need && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return w
		case <-tick.C:
		}
		w = e.reachOf(ctx, ownWritePoll/2)
	}
	return w
}

// Validate checks def with the kind it names at the engine's clock,
// without running it.
func (e *Engine) Validate(def *reports.Definition) error { return kinds.Validate(def, e.now()) }
