package engine

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// Cache keeps report answers for a while, so that twenty people opening
// the same dashboard cost one computation, not twenty. An answer is keyed
// by what was asked (the definition or funnel request, as JSON) and by
// whose rows it may hold (everyone who sees all rows shares one entry; a
// manager has their own), never by less: a cached answer can reach only
// someone the same rows are visible to.
//
// An answer is fresh for TTL. A stale one (younger than 2·TTL) is still
// served while one background run replaces it, so an expiring entry never
// makes a reader wait; older ones are computed again. Concurrent misses
// of one key share a single run. Answers say when they were computed
// (Meta.DataAsOf), so a page shows its figures' age.
type Cache struct {
	TTL        time.Duration
	MaxEntries int // 0: 1,000

	mu      sync.Mutex
	entries map[string]*cacheEntry
	flight  singleflight.Group

	hits, misses, stale atomic.Int64
}

type cacheEntry struct {
	val any
	at  time.Time
}

// CacheStats counts lookups since the cache was made.
type CacheStats struct{ Hits, Misses, Stale int64 }

// Stats returns the counters.
func (c *Cache) Stats() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Stale: c.stale.Load()}
}

// scopeKey names the rows p may see, as far as reports go.
func scopeKey(p domain.Principal) string {
	if p.SeesAll() {
		return "all"
	}
	return "user:" + strconv.FormatInt(p.UserID, 10)
}

// cacheKey is what, for whom; "" (do not cache) when what cannot be
// encoded.
func cacheKey(what string, p domain.Principal, req any) string {
	b, err := json.Marshal(req)
	if err != nil {
		return ""
	}
	return what + "\x00" + scopeKey(p) + "\x00" + string(b)
}

// get returns the cached answer for key, running compute (once across
// concurrent callers) when there is none fresh enough; cached says the
// answer came from the cache. compute's answer is cached only when it
// succeeded.
func (c *Cache) get(ctx context.Context, key string, compute func(context.Context) (any, error)) (v any, cached bool, err error) {
	if c == nil || c.TTL <= 0 || key == "" {
		v, err = compute(ctx)
		return v, false, err
	}
	now := time.Now()
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	switch {
	case e != nil && now.Sub(e.at) < c.TTL:
		c.hits.Add(1)
		return e.val, true, nil
	case e != nil && now.Sub(e.at) < 2*c.TTL:
		c.stale.Add(1)
		bg := context.WithoutCancel(ctx)
		go c.flight.Do(key, func() (any, error) { return c.run(bg, key, compute) })
		return e.val, true, nil
	}
	c.misses.Add(1)
	v, err, _ = c.flight.Do(key, func() (any, error) { return c.run(ctx, key, compute) })
	return v, false, err
}

// run computes and stores one answer.
func (c *Cache) run(ctx context.Context, key string, compute func(context.Context) (any, error)) (any, error) {
	v, err := compute(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cacheEntry{}
	}
	max := c.MaxEntries
	if max <= 0 {
		max = 1000
	}
	if len(c.entries) >= max {
		c.evictOldest()
	}
	c.entries[key] = &cacheEntry{val: v, at: time.Now()}
	return v, nil
}

// evictOldest drops the oldest entry (a linear scan: entries are few and
// each costs a report run).
func (c *Cache) evictOldest() {
	var oldest string
	var at time.Time
	for k, e := range c.entries {
		if oldest == "" || e.at.Before(at) {
			oldest, at = k, e.at
		}
	}
	delete(c.entries, oldest)
}

// cloneResult copies what a caller could change: the slices (cells are
// immutable values). Meta.Cached says whether it came from the cache.
func cloneResult(r *reports.Result, cached bool) *reports.Result {
	out := *r
	out.Meta.Cached = cached
	out.Columns = append([]reports.Column(nil), r.Columns...)
	out.Totals = append([]any(nil), r.Totals...)
	out.Rows = make([][]any, len(r.Rows))
	for i, row := range r.Rows {
		out.Rows[i] = append([]any(nil), row...)
	}
	return &out
}

// cloneFunnel copies a funnel through JSON (small: steps × groups).
func cloneFunnel(f *reports.Funnel, cached bool) (*reports.Funnel, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	var out reports.Funnel
	err = json.Unmarshal(b, &out)
	out.Meta.Cached = cached
	return &out, err
}
