package bench

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/voronka/voronka/olap"
)

// visibility watches ClickHouse for the load generator's stage_changes
// rows and notes when each was first seen: the end time of the first poll
// that returned it, an upper bound on when it became visible (polls run
// back to back with a 10 ms pause, so the bound is a poll's duration plus
// 10 ms above the truth; lags are, if anything, overstated).
type visibility struct {
	db      *olap.DB
	minDeal int64 // only deals above this id (the generator's)

	mu      sync.Mutex
	seen    map[int64]map[int64]time.Time // deal → stage_changes id → first seen
	version uint64                        // highest _version seen
	polls   int
	busy    time.Duration
}

func newVisibility(db *olap.DB, minDeal int64) *visibility {
	return &visibility{db: db, minDeal: minDeal, seen: map[int64]map[int64]time.Time{}}
}

// run polls until ctx ends.
func (v *visibility) run(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := v.poll(ctx); err != nil && ctx.Err() == nil {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// poll reads rows at or above the highest version seen (ClickHouse gets
// batches in commit order, one insert per table, so nothing older can
// appear later; the boundary batch is read again and deduplicated).
func (v *visibility) poll(ctx context.Context) error {
	t0 := time.Now()
	q := fmt.Sprintf("SELECT deal_id, id, _version FROM %s.stage_changes WHERE deal_id > %d AND _version >= %d",
		v.db.Database, v.minDeal, v.version)
	rows, err := v.db.Query(ctx, olap.SQL(q))
	if err != nil {
		return err
	}
	type hit struct{ deal, id int64 }
	var hits []hit
	var top uint64
	for rows.Next() {
		var h hit
		var ver uint64
		if err := rows.Scan(&h.deal, &h.id, &ver); err != nil {
			rows.Close()
			return err
		}
		hits = append(hits, h)
		top = max(top, ver)
	}
	rows.Close()
	now := time.Now()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.polls++
	v.busy += now.Sub(t0)
	v.version = max(v.version, top)
	for _, h := range hits {
		m := v.seen[h.deal]
		if m == nil {
			m = map[int64]time.Time{}
			v.seen[h.deal] = m
		}
		if _, ok := m[h.id]; !ok {
			m[h.id] = now
		}
	}
	return rows.Err()
}

// count is the number of rows seen so far.
func (v *visibility) count() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, m := range v.seen {
		n += len(m)
	}
	return n
}

// lags pairs each committed call with the row it wrote — a deal's k-th
// call wrote its k-th stage_changes row (ids grow with the calls, which
// one worker makes in turn) — and returns the sorted lags, seen − commit.
func (v *visibility) lags(res loadResult) ([]time.Duration, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []time.Duration
	for deal, commits := range res.commits {
		ids := make([]int64, 0, len(v.seen[deal]))
		for id := range v.seen[deal] {
			ids = append(ids, id)
		}
		if len(ids) != len(commits) {
			return nil, fmt.Errorf("deal %d: %d calls committed, %d stage_changes rows seen", deal, len(commits), len(ids))
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for k, id := range ids {
			out = append(out, v.seen[deal][id].Sub(commits[k]))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// meanPoll is the average duration of one poll.
func (v *visibility) meanPoll() time.Duration {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.polls == 0 {
		return 0
	}
	return v.busy / time.Duration(v.polls)
}
