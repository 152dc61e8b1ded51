package crmcore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/crmcore"
)

// TestConcurrentMovesOnASmallPool moves many deals at once through a store
// whose pipeline cache is cold and whose pool is smaller than the number
// of requests. Loading the pipelines through the pool from inside a move's
// transaction would need a second connection per request: with every
// connection held by a waiting transaction, that deadlocks.
func TestConcurrentMovesOnASmallPool(t *testing.T) {
	f := newDealFx(t)
	const n = 24
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = f.newDeal(f.director, "Параллельная сделка").ID
	}
	cfg, err := pgxpool.ParseConfig(f.pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(f.ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	cold := crmcore.NewStore(pool)
	ctx, cancel := context.WithTimeout(f.ctx, 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, id := range ids {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			_, err := cold.MoveDeal(ctx, f.director, id, crmcore.DealMove{Stage: "first_contact"})
			errs <- err
		}(id)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent move: %v", err)
		}
	}
	if moved := f.count(`SELECT count(*) FROM stage_changes WHERE from_stage_id IS NOT NULL`); moved != n {
		t.Fatalf("%d moves recorded, want %d", moved, n)
	}
}
