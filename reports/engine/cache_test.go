package engine

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// TestCacheKeepsAnswersWhileTheirTablesHold: a cached funnel is served
// again while the tables it read keep their versions — to everyone who
// sees all rows, but never to a manager, who gets their own answer; once
// ingest records a change to one of them (here a deal D9 copied and the
// watermarks advanced, as ingest does after a batch), the next answer
// includes it; a caller changing its copy does not change the cache.
// Expected counts by hand from kxFixture: January's cohort is D1–D7 (7
// deals; D8 was created in December), M1's part of it D1, D2, D3, D7.
func TestCacheKeepsAnswersWhileTheirTablesHold(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
	ctx := context.Background()
	covered := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	if err := s.ch.DB.WriteWatermarks(ctx, []string{"deals", "stage_changes", "deal_paths", "stages", "pipelines"}, 1, covered); err != nil {
		t.Fatal(err)
	}
	s.eng.Cache = &Cache{TTL: time.Hour, MaxStaleness: time.Millisecond}
	jan := kxJanuary
	req := reports.FunnelRequest{Pipeline: "fx", Period: &jan}
	first := func(p domain.Principal) (int64, reports.Meta) {
		f := kxFunnel(t, s, p, req)
		return f.Steps[0].Count, f.Meta
	}
	if n, m := first(kxDirector); n != 7 || m.Cached || !m.DataAsOf.Equal(covered) {
		t.Fatalf("director's first step = %d (meta %+v), want 7, computed, data as of the watermark %s", n, m, covered)
	}
	analyst := domain.Principal{UserID: 103, Role: domain.RoleAnalyst}
	if n, m := first(analyst); n != 7 || !m.Cached {
		t.Errorf("analyst's first step = %d (cached %v), want the director's cached 7: unchanged tables", n, m.Cached)
	}
	if n, m := first(kxM1); n != 4 || m.Cached {
		t.Errorf("manager 101's first step = %d (cached %v), want 4 computed: own deals, not the director's answer", n, m.Cached)
	}
	mine := kxFunnel(t, s, kxDirector, req)
	mine.Steps[0].Count = -1
	if n, _ := first(kxDirector); n != 7 {
		t.Errorf("after a caller changed its copy the cache answers %d, want 7", n)
	}
	// D9 (M2's, created 01-21) reaches ClickHouse; ingest records it.
	if _, err := s.pg.Pool.Exec(ctx, `
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
OVERRIDING SYSTEM VALUE VALUES (9, 'D9', 900, 901, 900, 'RUB', 102, '2025-01-21 00:00Z', '2025-01-21 00:00Z');
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at) VALUES (9, 900, 901, '2025-01-21 00:00Z')`); err != nil {
		t.Fatal(err)
	}
	testenv.Mirror(t, s.pg, s.ch, testenv.Copy{Tables: []string{"deals", "stage_changes"},
		Where: map[string]string{"deals": "x.id = 9", "stage_changes": "x.deal_id = 9"}, Version: 2})
	later := covered.Add(time.Second)
	changed := []string{"deals", "stage_changes"} // and the tables derived from them, as ingest records a batch
	for _, d := range append(olap.DerivedFrom("deals"), olap.DerivedFrom("stage_changes")...) {
		changed = append(changed, d.Table)
	}
	if err := s.ch.DB.WriteWatermarks(ctx, changed, 2, later); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * reachFor) // the engine rereads the watermarks
	if n, m := first(kxDirector); n != 8 || m.Cached || !m.DataAsOf.Equal(later) {
		t.Errorf("after the change the director's first step = %d (meta %+v), want 8 computed as of %s", n, m, later)
	}
	if st := s.eng.Cache.Stats(); st.Misses != 3 || st.Hits != 3 {
		t.Errorf("stats %+v, want 3 misses (director, manager, director after D9) and 3 hits (analyst, director twice)", st)
	}
}

// reachOf is a copy's reach with tables at versions.
func reachOf(versions map[string]uint64) olap.Watermarks {
	return olap.Watermarks{Covered: time.Now().UTC(), Tables: versions}
}

// counting is a computation that reads the table "t" and answers how many
// times it has run.
func counting(runs *atomic.Int64, delay time.Duration) compute {
	return func(ctx context.Context, reads *olap.Reads) (any, error) {
		time.Sleep(delay)
		reads.Add("t")
		return runs.Add(1), nil
	}
}

// TestCacheStalenessBound: concurrent misses of one key compute once; an
// answer whose table changed after a quiet spell is computed again at
// once; while the table keeps changing, the answer is served while younger
// than the staleness bound (one run replaces it in the background once it
// is older than half the bound) and computed before answering once older;
// with unknown versions the bound alone decides; past the TTL over
// unchanged data it is served while one run refreshes it; bypass always
// computes.
func TestCacheStalenessBound(t *testing.T) {
	ctx := context.Background()
	c := &Cache{MaxStaleness: time.Second, TTL: time.Hour}
	var runs atomic.Int64
	run := counting(&runs, 50*time.Millisecond)
	get := func(key string, reach olap.Watermarks) answer {
		t.Helper()
		a, err := c.get(ctx, key, reach, 0, false, run)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	v1 := reachOf(map[string]uint64{"t": 1})
	var wg sync.WaitGroup
	got := make([]any, 10)
	for i := range got {
		wg.Go(func() { got[i] = get("k", v1).val })
	}
	wg.Wait()
	for i, v := range got {
		if v != int64(1) {
			t.Fatalf("caller %d got %v, want the one run's answer 1", i, v)
		}
	}
	if a := get("k", reachOf(map[string]uint64{"t": 1, "other": 9})); a.val != int64(1) || !a.cached {
		t.Fatalf("with its table unchanged: %+v, want the cached 1", a)
	}
	if a := get("k", reachOf(map[string]uint64{"t": 2})); a.val != int64(2) || a.cached {
		t.Fatalf("the first change after a quiet spell: %+v, want a new answer 2 at once", a)
	}
	if a := get("k", reachOf(map[string]uint64{"t": 3})); a.val != int64(2) || !a.cached || runs.Load() != 2 {
		t.Fatalf("changing again while young: %+v after %d runs, want the cached 2 and no run yet", a, runs.Load())
	}
	time.Sleep(600 * time.Millisecond) // older than half the bound
	if a := get("k", reachOf(map[string]uint64{"t": 4})); a.val != int64(2) || !a.cached {
		t.Fatalf("changing, within the bound: %+v, want the cached 2 while a run refreshes it", a)
	}
	waitRuns(t, &runs, 3)
	if a := get("k", reachOf(map[string]uint64{"t": 4})); a.val != int64(3) || !a.cached {
		t.Errorf("after the refresh: %+v, want its answer 3 (its versions are the current ones)", a)
	}
	// That hit saw its tables unchanged: quiet again, so a change is
	// computed at once, and one more while young is served.
	if a := get("k", reachOf(map[string]uint64{"t": 5})); a.val != int64(4) || a.cached {
		t.Errorf("a change after the quiet hit: %+v, want a new answer 4", a)
	}
	if a := get("k", reachOf(map[string]uint64{"t": 6})); a.val != int64(4) || !a.cached {
		t.Errorf("changing again while young: %+v, want the cached 4", a)
	}
	time.Sleep(1100 * time.Millisecond) // past the bound
	if a := get("k", reachOf(map[string]uint64{"t": 7})); a.val != int64(5) || a.cached {
		t.Errorf("changing, past the bound: %+v, want a new answer 5 before answering", a)
	}
	if a, _ := c.get(ctx, "k", reachOf(map[string]uint64{"t": 7}), 0, true, run); a.val != int64(6) || a.cached {
		t.Errorf("bypass: %+v, want a new answer 6", a)
	}
	unknown := olap.Watermarks{}
	if a := get("u", unknown); a.val != int64(7) || !a.asOf.IsZero() {
		t.Fatalf("unknown reach: %+v, want 7 with no data instant", a)
	}
	if a := get("u", unknown); a.val != int64(7) || !a.cached {
		t.Errorf("unknown reach, young: %+v, want the cached 7", a)
	}
	time.Sleep(1100 * time.Millisecond)
	if a := get("u", unknown); a.val != int64(8) || a.cached {
		t.Errorf("unknown reach past the bound: %+v, want 8", a)
	}
	c = &Cache{MaxStaleness: time.Hour, TTL: 100 * time.Millisecond}
	get("k", v1)
	time.Sleep(150 * time.Millisecond)
	before := runs.Load()
	if a := get("k", v1); !a.cached {
		t.Errorf("past the TTL within the bound: %+v, want the cached answer served", a)
	}
	waitRuns(t, &runs, before+1) // and refreshed: the clock moved
}

func waitRuns(t *testing.T, runs *atomic.Int64, n int64) {
	t.Helper()
	waitUntil(t, func() bool { return runs.Load() >= n }, func() string {
		return fmt.Sprintf("runs = %d, want %d (the background refresh never ran)", runs.Load(), n)
	})
}

// askAtVersion asks c for key "k" with table t at version v, failing the
// test on an error.
func askAtVersion(t *testing.T, c *Cache, run compute) func(v uint64) answer {
	return func(v uint64) answer {
		t.Helper()
		a, err := c.get(context.Background(), "k", reachOf(map[string]uint64{"t": v}), 0, false, run)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
}

// waitUntil polls cond for up to 5 s and fails the test with what() if
// it never holds.
func waitUntil(t *testing.T, cond func() bool, what func() string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal(what())
		}
	}
}

// TestEngineQueuesRunsBeyondMaxRuns: with every run slot taken a report
// waits (here until its context ends) instead of reaching ClickHouse;
// once a slot is free it runs. Twenty funnels at once through two slots
// all answer, each the same January count worked out by hand (7 deals).
func TestEngineQueuesRunsBeyondMaxRuns(t *testing.T) {
	s := kxReadOnly(t, kxFixture, kxNow)
	s.eng.MaxRuns = 1
	jan := kxJanuary
	req := reports.FunnelRequest{Pipeline: "fx", Period: &jan}
	release, err := s.eng.slot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := s.eng.Funnel(ctx, kxDirector, req); err != context.DeadlineExceeded {
		t.Fatalf("with the only slot taken the funnel returned %v, want it to wait until its context ended", err)
	}
	release()
	s.eng = &Engine{CH: s.ch.DB, Now: s.eng.Now, MaxRuns: 2}
	var wg sync.WaitGroup
	counts := make([]int64, 20)
	for i := range counts {
		wg.Go(func() {
			if f, err := s.eng.Funnel(context.Background(), kxDirector, req); err == nil {
				counts[i] = f.Steps[0].Count
			}
		})
	}
	wg.Wait()
	for i, n := range counts {
		if n != 7 {
			t.Errorf("funnel %d: first step %d, want 7", i, n)
		}
	}
}

// TestCacheServesTheOldAnswerWhileALongRunReplacesIt: with the data
// changing, an answer past the staleness bound is computed again before
// answering — but while that run is under way (a run longer than the
// bound), other callers get the answer it replaces with its own data
// instant instead of queueing behind it; the run's caller gets the new
// answer.
func TestCacheServesTheOldAnswerWhileALongRunReplacesIt(t *testing.T) {
	ctx := context.Background()
	c := &Cache{MaxStaleness: 200 * time.Millisecond, TTL: time.Hour}
	var runs atomic.Int64
	gate := make(chan struct{})
	run := func(ctx context.Context, reads *olap.Reads) (any, error) {
		n := runs.Add(1)
		if n == 3 {
			<-gate
		}
		reads.Add("t")
		return n, nil
	}
	get := askAtVersion(t, c, run)
	get(1)
	second := get(2) // the first change: computed at once, now "changing"
	if second.val != int64(2) || second.cached {
		t.Fatalf("the first change: %+v, want a new answer 2", second)
	}
	time.Sleep(250 * time.Millisecond) // past the bound
	long := make(chan answer)
	go func() {
		a, _ := c.get(ctx, "k", reachOf(map[string]uint64{"t": 3}), 0, false, run)
		long <- a
	}()
	waitUntil(t, func() bool { return c.isRunning("k") }, func() string { return "the run past the bound did not start" })
	meanwhile := make(chan answer, 1)
	go func() {
		a, _ := c.get(ctx, "k", reachOf(map[string]uint64{"t": 4}), 0, false, run)
		meanwhile <- a
	}()
	select {
	case a := <-meanwhile:
		if a.val != int64(2) || !a.cached || !a.asOf.Equal(second.asOf) || runs.Load() != 3 {
			t.Errorf("while the long run is under way: %+v after %d runs, want the cached 2 as of %v and no other run", a, runs.Load(), second.asOf)
		}
	case <-time.After(2 * time.Second):
		t.Error("while the long run is under way, a caller queued behind it")
	}
	close(gate)
	if a := <-long; a.val != int64(3) || a.cached {
		t.Errorf("the long run's caller: %+v, want its new answer 3", a)
	}
}

// Past the bound with nothing under way, an answer whose computation took
// longer than the bound is served at once (it says how old it is) while
// one run replaces it in the background; an answer computed quickly is
// waited for instead (TestCacheStalenessBound), because that wait brings
// newer data.
func TestCacheServesASlowAnswerPastTheBoundWhileItsReplacementRuns(t *testing.T) {
	c := &Cache{MaxStaleness: 100 * time.Millisecond, TTL: time.Hour}
	var runs atomic.Int64
	gate := make(chan struct{})
	run := func(ctx context.Context, reads *olap.Reads) (any, error) {
		n := runs.Add(1)
		switch n {
		case 2:
			time.Sleep(150 * time.Millisecond) // longer than the bound
		case 3:
			<-gate
		}
		reads.Add("t")
		return n, nil
	}
	get := askAtVersion(t, c, run)
	get(1)
	slow := get(2) // the first change, computed at once: slowly
	if slow.val != int64(2) || slow.cached {
		t.Fatalf("the first change: %+v, want a new answer 2", slow)
	}
	time.Sleep(150 * time.Millisecond) // past the bound; nothing under way
	done := make(chan answer, 1)
	go func() { done <- get(3) }()
	select {
	case a := <-done:
		if a.val != int64(2) || !a.cached || !a.asOf.Equal(slow.asOf) {
			t.Errorf("past the bound after a slow run: %+v, want the cached 2 as of %v", a, slow.asOf)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("past the bound after a slow run, the caller waited for a new run")
	}
	waitUntil(t, func() bool { return runs.Load() == 3 && c.isRunning("k") }, func() string {
		return fmt.Sprintf("no run replaces the slow answer (%d runs)", runs.Load())
	})
	close(gate)
	waitUntil(t, func() bool { return !c.isRunning("k") }, func() string { return "the replacing run did not end" })
	if a := get(3); a.val != int64(3) {
		t.Errorf("after the replacing run: %+v, want its answer 3", a)
	}
}

// TestCacheIncludesTheAskersOwnWrite: under changing data an answer
// young enough is served to everyone (within the staleness bound) — but
// not to the one whose own write the copy now holds and the answer
// predates: they get an answer computed after it, which is kept for the
// others. A write that changed none of the answer's tables leaves it
// served from the cache; a run begun before the write arrived is not
// joined by the writer; a write the copy does not hold yet changes
// nothing here (Engine.reachAfter waits for it before asking).
func TestCacheIncludesTheAskersOwnWrite(t *testing.T) {
	c := &Cache{MaxStaleness: time.Hour, TTL: time.Hour}
	var runs atomic.Int64
	gate := make(chan struct{}, 10)
	run := func(ctx context.Context, reads *olap.Reads) (any, error) {
		n := runs.Add(1)
		if n == 4 || n == 6 {
			<-gate
		}
		reads.Add("t")
		return n, nil
	}
	at := func(lsn, v uint64) olap.Watermarks {
		return olap.Watermarks{Covered: time.Now().UTC(), LSN: lsn, Tables: map[string]uint64{"t": v, "other": lsn}}
	}
	get := func(reach olap.Watermarks, need uint64) answer {
		t.Helper()
		a, err := c.get(context.Background(), "k", reach, need, false, run)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	get(at(10, 10), 0)                              // 1: computed at LSN 10
	if a := get(at(11, 11), 0); a.val != int64(2) { // the first change after quiet data
		t.Fatalf("the first change: %+v, want 2", a)
	}
	if a := get(at(12, 12), 0); a.val != int64(2) || !a.cached { // changing: within the bound
		t.Fatalf("a second change within the bound: %+v, want the cached 2", a)
	}
	// A write the copy does not hold yet (reach 12 < 13): served as to
	// anyone (nothing to include yet).
	if a := get(at(12, 12), 13); a.val != int64(2) || !a.cached {
		t.Errorf("a write the copy does not hold yet: %+v, want the cached 2", a)
	}
	if a := get(at(12, 12), 12); a.val != int64(3) || a.cached {
		t.Errorf("the writer of LSN 12: %+v, want a new answer 3 that holds their write", a)
	}
	if a := get(at(12, 12), 0); a.val != int64(3) || !a.cached {
		t.Errorf("someone else after the writer: %+v, want the writer's 3 from the cache", a)
	}
	// A write at LSN 13 to a table the answer did not read.
	if a := get(olap.Watermarks{Covered: time.Now().UTC(), LSN: 13, Tables: map[string]uint64{"t": 12, "other": 13}}, 13); a.val != int64(3) || !a.cached {
		t.Errorf("a write to another table: %+v, want the cached 3", a)
	}
	// A run begun before the write at 20 arrived (the 4th, held at the
	// gate) is not what the writer gets.
	started := make(chan answer)
	go func() {
		a, _ := c.get(context.Background(), "k", at(19, 19), 0, true, run)
		started <- a
	}()
	waitUntil(t, func() bool { return c.isRunning("k") }, func() string { return "the run before the write did not start" })
	mine := make(chan answer)
	go func() { mine <- get(at(20, 20), 20) }()
	select {
	case a := <-mine:
		if a.val != int64(5) {
			t.Errorf("the writer of LSN 20 while a run from before it is under way: %+v, want its own run 5", a)
		}
	case <-time.After(2 * time.Second):
		t.Error("the writer waited for the run begun before their write")
	}
	gate <- struct{}{}
	if a := <-started; a.val != int64(4) {
		t.Errorf("the run from before the write: %+v, want 4", a)
	}
	if a := get(at(20, 20), 0); a.val != int64(5) || !a.cached {
		t.Errorf("after both runs: %+v, want the cached 5 (the run begun later), not 4 stored last", a)
	}
	// A run begun after the write at 21 arrived (the 6th, someone's, held
	// at the gate) is joined by the writer rather than run twice.
	go func() {
		a, _ := c.get(context.Background(), "k", at(21, 21), 0, true, run)
		started <- a
	}()
	waitUntil(t, func() bool { return c.isRunning("k") }, func() string { return "the run after the write did not start" })
	go func() { mine <- get(at(21, 21), 21) }()
	time.Sleep(50 * time.Millisecond)
	gate <- struct{}{}
	if a, b := <-mine, <-started; a.val != int64(6) || b.val != int64(6) || runs.Load() != 6 {
		t.Errorf("the writer of LSN 21 beside a run begun at 21: %+v and %+v after %d runs, want both 6 from one run", a, b, runs.Load())
	}
}

// TestReachWaitsForTheAskersOwnWrite: a question carrying the asker's
// own write (After) waits until the copy's recorded reach holds it — here
// the watermarks ingest would write, 300 ms later — and no longer; with
// a stream that never brings it, it waits the staleness bound and then
// answers as far as the copy reaches. A failed read of the reach (here a
// cancelled request) answers the last reach read, not an unknown one, so
// answers never claim data newer than they hold.
func TestReachWaitsForTheAskersOwnWrite(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
	ctx := context.Background()
	covered := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.ch.DB.WriteWatermarks(ctx, []string{"deals"}, 5, covered); err != nil {
		t.Fatal(err)
	}
	s.eng.Cache = &Cache{MaxStaleness: 800 * time.Millisecond}
	if w := s.eng.reachAfter(ctx, 0); w.LSN != 5 || !w.Covered.Equal(covered) {
		t.Fatalf("the reach: LSN %d covered %s, want 5 and %s", w.LSN, w.Covered, covered)
	}
	go func() {
		time.Sleep(300 * time.Millisecond)
		s.ch.DB.WriteWatermarks(ctx, []string{"deals"}, 8, covered.Add(time.Second))
	}()
	start := time.Now()
	w := s.eng.reachAfter(ctx, 7)
	if took := time.Since(start); w.LSN != 8 || took < 250*time.Millisecond || took > 750*time.Millisecond {
		t.Errorf("waiting for LSN 7: reach %d after %s, want 8 after about 300 ms", w.LSN, took)
	}
	start = time.Now()
	if w := s.eng.reachAfter(ctx, 9); w.LSN != 8 || time.Since(start) < 750*time.Millisecond {
		t.Errorf("waiting for LSN 9 that never comes: reach %d after %s, want 8 after the bound (800 ms)", w.LSN, time.Since(start))
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if w := s.eng.reachOf(gone, 0); w.LSN != 8 || !w.Known() {
		t.Errorf("a failed read of the reach: %+v, want the last reach read (LSN 8)", w)
	}
}

// TestCacheRecomputesOnlyTheStatementsOverChangedTables: manager
// activity over January, computed again after a change, runs again only
// the statements over the tables that changed and reads the others from
// the statement memo — and each answer is the hand-counted one
// (TestManagerActivityByHand: M1 2 calls, M2 created 3 deals), so a memo
// that kept a statement past its table's change would show the old
// figure. A deal D9 of M2 created on 01-21 changes deals, not
// activities: M2's created becomes 4 and M1's calls stay 2, read from the
// memo; then a call of M1 on 01-10 changes activities: M1's calls become
// 3.
func TestCacheRecomputesOnlyTheStatementsOverChangedTables(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
	ctx := context.Background()
	covered := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	if err := s.ch.DB.WriteWatermarks(ctx, []string{"deals", "stage_changes", "activities", "users", "stages", "pipelines"}, 1, covered); err != nil {
		t.Fatal(err)
	}
	s.eng.Cache = &Cache{TTL: time.Hour, MaxStaleness: time.Millisecond}
	jan := kxJanuary
	figures := func() (calls, created map[string]any) {
		res := kxRun(t, s.eng, kxDirector, reports.KindManagerActivity, &jan, "")
		calls, created = map[string]any{}, map[string]any{}
		for _, r := range res.Rows {
			who := fmt.Sprint(r[0])
			calls[who], created[who] = r[2], r[7]
		}
		return calls, created
	}
	want := func(step string, calls, created map[string]any, m1Calls, m2Created int64) {
		t.Helper()
		if fmt.Sprint(calls["101"]) != fmt.Sprint(m1Calls) || fmt.Sprint(created["102"]) != fmt.Sprint(m2Created) {
			t.Errorf("%s: M1 calls %v, M2 created %v; want %d, %d", step, calls["101"], created["102"], m1Calls, m2Created)
		}
	}
	calls, created := figures()
	want("first", calls, created, 2, 3)
	first := s.eng.Cache.Stats()
	if first.StatementHits != 0 || first.StatementRuns < 3 {
		t.Fatalf("first run: %+v, want every statement run (at least activities, deals, moves)", first)
	}
	version := uint64(1)
	change := func(sql string, tables ...string) {
		t.Helper()
		if _, err := s.pg.Pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
		version++
		testenv.Mirror(t, s.pg, s.ch, testenv.Copy{Tables: tables, Version: version})
		changed := append([]string{}, tables...)
		for _, tb := range tables {
			for _, d := range olap.DerivedFrom(tb) {
				changed = append(changed, d.Table)
			}
		}
		covered = covered.Add(time.Second)
		if err := s.ch.DB.WriteWatermarks(ctx, changed, version, covered); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * reachFor) // the engine rereads the watermarks
	}
	change(`
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
OVERRIDING SYSTEM VALUE VALUES (9, 'D9', 900, 901, 900, 'RUB', 102, '2025-01-21 00:00Z', '2025-01-21 00:00Z');
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at) VALUES (9, 900, 901, '2025-01-21 00:00Z')`, "deals", "stage_changes")
	calls, created = figures()
	want("after a deal", calls, created, 2, 4)
	second := s.eng.Cache.Stats()
	hits, runs := second.StatementHits-first.StatementHits, second.StatementRuns-first.StatementRuns
	if hits < 1 || runs < 2 || hits+runs != first.StatementRuns {
		t.Errorf("after a deal: %d statements from the memo, %d run; want the activities' (and other unchanged tables') from the memo, the deal statements run, %d in all", hits, runs, first.StatementRuns)
	}
	figures() // asked again over unchanged data: quiet, so the next change is computed at once
	second = s.eng.Cache.Stats()
	change(`INSERT INTO activities (type, subject, owner_id, done_at, created_at) VALUES ('call', 'Звонок', 101, '2025-01-10 10:00Z', '2025-01-10 10:00Z')`, "activities")
	calls, created = figures()
	want("after a call", calls, created, 3, 4)
	third := s.eng.Cache.Stats()
	if hits, runs := third.StatementHits-second.StatementHits, third.StatementRuns-second.StatementRuns; hits < 1 || runs < 1 {
		t.Errorf("after a call: %d statements from the memo, %d run; want the deal statements from the memo, the activities' run", hits, runs)
	}
}
