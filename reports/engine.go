package reports

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
)

// Engine runs reports: CH is the analytics copy every report reads, PG
// the CRM database (saved reports, and metadata a kind may need), Now the
// clock that resolves period presets (time.Now when nil), Cache (nil: none)
// keeps answers for a while (see Cache), MaxRuns bounds the report runs
// in ClickHouse at once (0: DefaultMaxRuns); the others queue.
type Engine struct {
	CH      *olap.DB
	PG      *pgxpool.Pool
	Now     func() time.Time
	Cache   *Cache
	MaxRuns int

	slotsOnce sync.Once
	slots     chan struct{}
}

// Clone is a copy to change (a clock, a pool) with no cache: the cache's
// keys do not hold the clock, so an engine answering as of another
// instant must not share it. Its run slots are its own.
func (e *Engine) Clone() *Engine {
	return &Engine{CH: e.CH, PG: e.PG, Now: e.Now, MaxRuns: e.MaxRuns}
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

// limited runs compute in a run slot.
func (e *Engine) limited(compute func(context.Context) (any, error)) func(context.Context) (any, error) {
	return func(ctx context.Context) (any, error) {
		release, err := e.slot(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		return compute(ctx)
	}
}

// now is the engine's clock.
func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Access is p's row filter on the engine's ClickHouse copy.
func (e *Engine) Access(p domain.Principal) Access { return NewAccess(e.CH, p) }

// Run validates def and runs it for p with the kind it names.
func (e *Engine) Run(ctx context.Context, p domain.Principal, def *Definition) (*Result, error) {
	k, err := def.kind()
	if err != nil {
		return nil, err
	}
	if err := k.Validate(def); err != nil {
		return nil, err
	}
	d := *def
	v, cached, err := e.Cache.get(ctx, cacheKey("run", p, def), e.limited(func(ctx context.Context) (any, error) { return k.Run(ctx, e, p, &d) }))
	if err != nil {
		return nil, err
	}
	return cloneResult(v.(*Result), cached), nil
}

// Validate checks def with the kind it names (without running it).
func (e *Engine) Validate(def *Definition) error { return def.Validate() }

// Validate checks def with the kind it names: field-named 422 errors.
func (d *Definition) Validate() error {
	k, err := d.kind()
	if err != nil {
		return err
	}
	return k.Validate(d)
}

// kind is the registered kind def names ("grouped" when empty).
func (d *Definition) kind() (Kind, error) {
	name := d.Kind
	if name == "" {
		name = KindGrouped
	}
	k, ok := lookupKind(name)
	if !ok {
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_kind", Field: "kind",
			Message: "unknown report kind " + name, Details: map[string]any{"allowed": KindNames()}}
	}
	return k, nil
}
