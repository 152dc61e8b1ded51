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
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// Cache keeps report answers while the data they read is unchanged, so
// that twenty people opening one dashboard cost one computation and a
// question asked again over unchanged data is answered at once — but no
// answer is older than the data because of the cache.
//
// An answer is keyed by what was asked (the definition or funnel request,
// as JSON) and by whose rows it may hold (everyone who sees all rows
// shares one entry; a manager has their own), never by less. It remembers
// the tables its statements read and their versions when it was computed
// (olap.Watermarks, which ingest advances after every batch). Asked again:
//
//   - if none of those tables changed since, it is the answer (and still
//     holds for every change committed up to now: its data_as_of moves
//     on), for TTL — answers also depend on the clock ("today", stays
//     counted up to now): past it, it is served for MaxStaleness more
//     while one run computes it again;
//   - if one changed after a quiet spell, the answer is computed again
//     before answering: a change shows as soon as ClickHouse has it;
//   - if they keep changing (every batch, under steady writes), the
//     answer computed for the last change is served while younger than
//     MaxStaleness, and one run computes it again in the background once
//     it is older than half of that: a hot answer costs one run per key
//     per MaxStaleness/2 and is never more than about MaxStaleness behind;
//   - when one computation takes longer than MaxStaleness (ClickHouse
//     loaded), the answer it replaces is served while it runs, and past
//     the bound an answer that took that long is served while its
//     replacement runs: waiting would not make it fresher, only late —
//     its data_as_of, and the page header, say how far behind it is;
//   - when the copy's versions are unknown (no stream records them), an
//     answer is served for MaxStaleness at most.
//
// Concurrent misses of one key share a single run. Every answer says up to
// which instant it includes every committed change (Meta.DataAsOf).
type Cache struct {
	MaxStaleness time.Duration // 0: DefaultMaxStaleness
	TTL          time.Duration // 0: DefaultTTL
	MaxEntries   int           // 0: 1,000
	// NoStatements keeps no statement's rows (the statement memo): an
	// answer computed again runs every statement (to measure the memo).
	NoStatements bool

	// statements keeps the rows of the answers' statements while their
	// own tables are unchanged (olap.Memo, for TTL at most), so that an
	// answer computed again runs only the statements over tables that
	// changed: when deals change, a leaderboard's activity counts are not
	// read again.
	statements     *olap.Memo
	statementsOnce sync.Once

	mu      sync.Mutex
	entries map[string]*cacheEntry
	flights map[string]flightRun // runs under way, by flight (one each: singleflight)
	flight  singleflight.Group

	hits, misses, stale atomic.Int64
}

// The bounds of a cached answer's life by default.
const (
	DefaultMaxStaleness = 2 * time.Second
	DefaultTTL          = time.Minute
)

type cacheEntry struct {
	val      any
	at       time.Time         // when its computation started
	asOf     time.Time         // every change committed before it is included (zero: unknown)
	lsn      uint64            // the copy's reach as a WAL position when it started (olap.Watermarks.LSN)
	tables   []string          // the tables its statements read
	versions map[string]uint64 // their versions when it started; nil: unknown
	took     time.Duration     // how long its computation ran
	changing atomic.Bool       // computed because its data changed, and no quiet seen since
}

// CacheStats counts lookups since the cache was made: answers that still
// held (Hits), answers served while a newer one was computed (Stale), and
// computations (Misses); and, within computations, statements answered
// from the statement memo (StatementHits) and run (StatementRuns).
type CacheStats struct{ Hits, Misses, Stale, StatementHits, StatementRuns int64 }

// memo is the cache's statement memo.
func (c *Cache) memo() *olap.Memo {
	c.statementsOnce.Do(func() { c.statements = &olap.Memo{TTL: c.ttl(), MaxEntries: 2 * c.maxEntries()} })
	return c.statements
}

// Stats returns the counters.
func (c *Cache) Stats() CacheStats {
	m := c.memo().Stats()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Stale: c.stale.Load(), StatementHits: m.Hits, StatementRuns: m.Misses}
}

func (c *Cache) maxEntries() int {
	if c.MaxEntries > 0 {
		return c.MaxEntries
	}
	return 1000
}

func (c *Cache) maxStaleness() time.Duration {
	if c != nil && c.MaxStaleness > 0 {
		return c.MaxStaleness
	}
	return DefaultMaxStaleness
}

func (c *Cache) ttl() time.Duration {
	if c.TTL > 0 {
		return c.TTL
	}
	return DefaultTTL
}

// ScopeKey names the rows p may see, as far as reports go: those whose
// keys are equal are shown the same answer.
func ScopeKey(p domain.Principal) string {
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
	return what + "\x00" + ScopeKey(p) + "\x00" + string(b)
}

// compute runs one answer, recording the tables its statements read.
type compute func(ctx context.Context, reads *olap.Reads) (any, error)

// answer is what the cache hands back: the value, whether it came from
// the cache, and the instant up to which it includes every committed
// change (zero: unknown — the kind's own data_as_of stands).
type answer struct {
	val    any
	cached bool
	asOf   time.Time
}

// get returns the answer for key over the copy as reach describes it,
// running run (once across concurrent callers) when there is none that
// may be served; bypass computes anew whatever is cached. need is the
// WAL position of the asker's own last write (0: none): once the copy
// holds it, an answer computed before it arrived is served only if none
// of its tables changed since (the write did not touch them); otherwise
// the answer is computed anew, by a run begun after the write arrived.
// Only a run that succeeded is kept.
func (c *Cache) get(ctx context.Context, key string, reach olap.Watermarks, need uint64, bypass bool, run compute) (answer, error) {
	if c == nil || key == "" {
		return c.runOnce(ctx, "", "", reach, false, run)
	}
	flight := key // runs joined by concurrent callers
	ownWrite := need > 0 && reach.Known() && reach.LSN >= need
	if ownWrite {
		// A run begun after the write arrived, not one begun before: one
		// under way (someone's refresh, another writer's), else its own.
		var ok bool
		if flight, ok = c.joinable(key, need); !ok {
			flight = key + "\x00after:" + strconv.FormatUint(need, 10)
		}
	}
	now := time.Now()
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	if e == nil || bypass {
		return c.runOnce(ctx, flight, key, reach, false, run)
	}
	if ownWrite && e.lsn < need && !e.holds(reach) {
		return c.runOnce(ctx, flight, key, reach, true, run)
	}
	age, holds := now.Sub(e.at), e.holds(reach)
	switch {
	case holds && age < c.ttl():
		e.changing.Store(false) // the data went quiet
		c.hits.Add(1)
		return answer{val: e.val, cached: true, asOf: covered(reach, e.asOf)}, nil
	case holds: // over unchanged data, past its TTL: the clock moved
		if age < c.ttl()+c.maxStaleness() {
			return c.serveStale(ctx, e, key, reach, true, covered(reach, e.asOf), run), nil
		}
	case reach.Known() && e.versions != nil && !e.changing.Load():
		// The first change after quiet data: the next answer has it.
	case age < c.maxStaleness():
		// Data changing every batch (or versions unknown): one run per
		// key per half the bound.
		return c.serveStale(ctx, e, key, reach, age >= c.maxStaleness()/2, e.asOf, run), nil
	case c.isRunning(key):
		// Past the bound while a run that will replace it is under way
		// (one that takes longer than the bound): the answer it replaces,
		// saying how old it is, rather than a queue behind that run.
		return c.serveStale(ctx, e, key, reach, false, e.asOf, run), nil
	case e.took >= c.maxStaleness():
		// Past the bound with nothing under way, but computing it took
		// longer than the bound (ClickHouse loaded): an answer waited for
		// would be as old as this one by the time it arrived. This one,
		// saying how old it is, and the run that replaces it.
		return c.serveStale(ctx, e, key, reach, true, e.asOf, run), nil
	}
	return c.runOnce(ctx, flight, key, reach, !holds, run)
}

// serveStale answers with e, starting one run in the background to
// replace it when refresh is set.
func (c *Cache) serveStale(ctx context.Context, e *cacheEntry, key string, reach olap.Watermarks, refresh bool, asOf time.Time, run compute) answer {
	c.stale.Add(1)
	if refresh {
		bg := context.WithoutCancel(ctx)
		go c.flight.Do(key, func() (any, error) { return c.store(bg, key, key, reach, !e.holds(reach), run) })
	}
	return answer{val: e.val, cached: true, asOf: asOf}
}

// runOnce computes key's answer, sharing the run with concurrent callers
// of the same flight (none when key is "": not cached); changing says it
// runs because the data changed.
func (c *Cache) runOnce(ctx context.Context, flight, key string, reach olap.Watermarks, changing bool, run compute) (answer, error) {
	if c != nil {
		c.misses.Add(1)
	}
	if key == "" {
		v, err := run(ctx, &olap.Reads{})
		return answer{val: v, asOf: covered(reach, time.Time{})}, err
	}
	v, err, _ := c.flight.Do(flight, func() (any, error) { return c.store(ctx, flight, key, reach, changing, run) })
	if err != nil {
		return answer{}, err
	}
	e := v.(*cacheEntry)
	return answer{val: e.val, asOf: e.asOf}, nil
}

// store computes one answer and keeps it with what it read; changing
// marks it computed because its data changed (a second change while it is
// young is then served from it, within the bound).
func (c *Cache) store(ctx context.Context, flight, key string, reach olap.Watermarks, changing bool, run compute) (any, error) {
	c.started(flight, key, reach.LSN, 1)
	defer c.started(flight, key, reach.LSN, -1)
	e := &cacheEntry{at: time.Now(), asOf: covered(reach, time.Time{}), lsn: reach.LSN}
	e.changing.Store(changing)
	reads := &olap.Reads{}
	if !bypass(ctx) && !c.NoStatements {
		reads.Keeping(c.memo(), reach)
	}
	v, err := run(ctx, reads)
	if err != nil {
		return nil, err
	}
	e.val, e.tables, e.took = v, reads.Tables(), time.Since(e.at)
	if reach.Known() {
		e.versions = map[string]uint64{}
		for _, t := range e.tables {
			e.versions[t] = reach.Tables[t]
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*cacheEntry{}
	}
	if old := c.entries[key]; old != nil && old.at.After(e.at) {
		return e, nil // a run begun after this one stored first: keep it
	}
	if len(c.entries) >= c.maxEntries() {
		c.evictOldest()
	}
	c.entries[key] = e
	return e, nil
}

// started counts a run of key begun (+1) or ended (-1) in flight, over
// the copy at WAL position lsn.
func (c *Cache) started(flight, key string, lsn uint64, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flights == nil {
		c.flights = map[string]flightRun{}
	}
	if n > 0 {
		c.flights[flight] = flightRun{key: key, lsn: lsn}
	} else {
		delete(c.flights, flight)
	}
}

// flightRun is a run under way: its key and the copy's WAL position
// when it began.
type flightRun struct {
	key string
	lsn uint64
}

// joinable is a flight of key under way that began with the copy at WAL
// position need or later: its answer holds a write at need.
func (c *Cache) joinable(key string, need uint64) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for f, r := range c.flights {
		if r.key == key && r.lsn >= need {
			return f, true
		}
	}
	return "", false
}

// isRunning reports whether a run of key is under way.
func (c *Cache) isRunning(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.flights {
		if r.key == key {
			return true
		}
	}
	return false
}

// holds reports whether no table the answer read has changed since it was
// computed (false when either side's versions are unknown).
func (e *cacheEntry) holds(reach olap.Watermarks) bool {
	if e.versions == nil || !reach.Known() {
		return false
	}
	for _, t := range e.tables {
		if reach.Tables[t] != e.versions[t] {
			return false
		}
	}
	return true
}

// covered is the instant up to which the copy holds every committed change
// (never after now: the two servers' clocks differ a little), or fallback
// when the copy's reach is unknown.
func covered(reach olap.Watermarks, fallback time.Time) time.Time {
	if !reach.Known() {
		return fallback
	}
	return minTime(reach.Covered, time.Now().UTC())
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
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
// immutable values). Meta.Cached says whether it came from the cache,
// Meta.DataAsOf up to when it holds every change (when known).
func cloneResult(r *reports.Result, a answer) *reports.Result {
	out := *r
	out.Meta.Cached = a.cached
	if !a.asOf.IsZero() {
		out.Meta.DataAsOf = a.asOf
	}
	out.Columns = append([]reports.Column(nil), r.Columns...)
	out.Totals = append([]any(nil), r.Totals...)
	out.Rows = make([][]any, len(r.Rows))
	for i, row := range r.Rows {
		out.Rows[i] = append([]any(nil), row...)
	}
	return &out
}

// cloneFunnel copies a funnel through JSON (small: steps × groups).
func cloneFunnel(f *reports.Funnel, a answer) (*reports.Funnel, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	var out reports.Funnel
	err = json.Unmarshal(b, &out)
	out.Meta.Cached = a.cached
	if !a.asOf.IsZero() {
		out.Meta.DataAsOf = a.asOf
	}
	return &out, err
}

// WithoutCache marks ctx's report runs to be computed anew, whatever is
// cached (an HTTP request with Cache-Control: no-cache); the new answer
// is kept.
func WithoutCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, noCacheKey{}, true)
}

type noCacheKey struct{}

func bypass(ctx context.Context) bool { v, _ := ctx.Value(noCacheKey{}).(bool); return v }

// After marks ctx's questions as asked by someone whose own last write
// ended before WAL position lsn (crmcore.Store.WALPosition read after
// it): their answers include it — each waits, up to the staleness bound,
// for the change stream to bring it, and no answer computed before it
// arrived is served if the write changed a table it read. Everyone
// else's answers follow the data within the bound as before.
func After(ctx context.Context, lsn uint64) context.Context {
	if lsn == 0 {
		return ctx
	}
	return context.WithValue(ctx, afterKey{}, lsn)
}

type afterKey struct{}

func afterLSN(ctx context.Context) uint64 { v, _ := ctx.Value(afterKey{}).(uint64); return v }
