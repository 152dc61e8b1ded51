package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// TestCacheKeepsAnswersPerAccessScope: a cached funnel is served again
// (a deal added since does not show until it expires), to everyone who
// sees all rows, but never to a manager, who gets their own answer; and
// a caller changing its copy does not change the cache. Expected counts
// by hand from kxFixture: January's cohort is D1–D7 (7 deals; D8 was
// created in December), M1's part of it D1, D2, D3, D7.
func TestCacheKeepsAnswersPerAccessScope(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
	s.eng.Cache = &Cache{TTL: time.Hour}
	jan := kxJanuary
	req := reports.FunnelRequest{Pipeline: "fx", Period: &jan}
	first := func(p domain.Principal) int64 { return kxFunnel(t, s, p, req).Steps[0].Count }
	if n := first(kxDirector); n != 7 {
		t.Fatalf("director's first step = %d, want 7", n)
	}
	// D9 (M2's, created 01-21) reaches ClickHouse after the answer was cached.
	if _, err := s.pg.Pool.Exec(context.Background(), `
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
OVERRIDING SYSTEM VALUE VALUES (9, 'D9', 900, 901, 900, 'RUB', 102, '2025-01-21 00:00Z', '2025-01-21 00:00Z');
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at) VALUES (9, 900, 901, '2025-01-21 00:00Z')`); err != nil {
		t.Fatal(err)
	}
	testenv.Mirror(t, s.pg, s.ch, testenv.Copy{Tables: []string{"deals", "stage_changes"},
		Where: map[string]string{"deals": "x.id = 9", "stage_changes": "x.deal_id = 9"}, Version: 2})
	analyst := domain.Principal{UserID: 103, Role: domain.RoleAnalyst}
	for _, p := range []domain.Principal{kxDirector, analyst} {
		if n := first(p); n != 7 {
			t.Errorf("%s's cached first step = %d, want 7 (the answer before D9)", p.Role, n)
		}
	}
	if n := first(kxM1); n != 4 {
		t.Errorf("manager 101's first step = %d, want 4 (own deals, not the director's cached answer)", n)
	}
	fresh := &Engine{CH: s.ch.DB, Now: s.eng.Now}
	if f, err := fresh.Funnel(context.Background(), kxDirector, req); err != nil || f.Steps[0].Count != 8 || f.Meta.Cached {
		t.Fatalf("uncached first step = %+v (%v), want 8 with D9", f, err)
	}
	mine := kxFunnel(t, s, kxDirector, req)
	if !mine.Meta.Cached {
		t.Error("a cached answer's meta does not say cached")
	}
	mine.Steps[0].Count = -1
	if n := first(kxDirector); n != 7 {
		t.Errorf("after a caller changed its copy the cache answers %d, want 7", n)
	}
	if st := s.eng.Cache.Stats(); st.Misses != 2 || st.Hits != 4 {
		t.Errorf("stats %+v, want 2 misses (director, manager) and 4 hits", st)
	}
}

// TestCacheRunsOnceAndServesStaleWhileRefreshing: concurrent misses of
// one key compute once; an expired answer younger than 2·TTL is served
// at once while one background run replaces it.
func TestCacheRunsOnceAndServesStaleWhileRefreshing(t *testing.T) {
	c := &Cache{TTL: 200 * time.Millisecond}
	var runs atomic.Int64
	compute := func(context.Context) (any, error) {
		time.Sleep(50 * time.Millisecond)
		return runs.Add(1), nil
	}
	var wg sync.WaitGroup
	got := make([]any, 10)
	for i := range got {
		wg.Go(func() { got[i], _, _ = c.get(context.Background(), "k", compute) })
	}
	wg.Wait()
	for i, v := range got {
		if v != int64(1) {
			t.Fatalf("caller %d got %v, want the one run's answer 1", i, v)
		}
	}
	time.Sleep(250 * time.Millisecond) // stale, not expired
	// Served without waiting: had the read waited for the refresh, it
	// would have the refresh's answer, 2.
	if v, cached, _ := c.get(context.Background(), "k", compute); v != int64(1) || !cached {
		t.Fatalf("stale read = %v, want the stale answer 1", v)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if v, _, _ := c.get(context.Background(), "k", compute); v == int64(2) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background refresh never replaced the stale answer")
		}
	}
	if n := runs.Load(); n != 2 {
		t.Errorf("compute ran %d times, want 2", n)
	}
}

// TestEngineQueuesRunsBeyondMaxRuns: with every run slot taken a report
// waits (here until its context ends) instead of reaching ClickHouse;
// once a slot is free it runs. Twenty funnels at once through two slots
// all answer, each the same January count worked out by hand (7 deals).
func TestEngineQueuesRunsBeyondMaxRuns(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
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
