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
	a, err := e.Cache.get(ctx, cacheKey("run", p, def), e.reachOf(ctx), bypass(ctx), e.limited(func(ctx context.Context, reads *olap.Reads) (any, error) {
		return plan.Run(ctx, e.CH.Recording(reads))
	}))
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
	a, err := e.Cache.get(ctx, cacheKey("funnel", p, req), e.reachOf(ctx), bypass(ctx), e.limited(func(ctx context.Context, reads *olap.Reads) (any, error) {
		return plan.Funnel(ctx, e.CH.Recording(reads))
	}))
	if err != nil {
		return nil, err
	}
	return cloneFunnel(a.val.(*reports.Funnel), a)
}

// reachOf is how far the copy reaches (read at most every reachFor; a
// failed read is an unknown reach: answers then hold only for the
// staleness bound).
func (e *Engine) reachOf(ctx context.Context) olap.Watermarks {
	e.reachMu.Lock()
	defer e.reachMu.Unlock()
	if time.Since(e.reachAt) < reachFor {
		return e.reach
	}
	w, err := e.CH.Watermarks(ctx)
	if err != nil {
		w = olap.Watermarks{}
	}
	e.reach, e.reachAt = w, time.Now()
	return w
}

// Validate checks def with the kind it names at the engine's clock,
// without running it.
func (e *Engine) Validate(def *reports.Definition) error { return kinds.Validate(def, e.now()) }
