package ingest

import (
	"context"
	"fmt"
	"sort"

	"github.com/voronka/voronka/olap"
)

// refreshDerived brings the tables olap derives from the batch's tables
// up to date once the batch's rows are in: rebuilt whole after a
// truncate, otherwise recomputed for the keys the rows carry (a stage
// change refreshes its deal's path). It is as idempotent as the rows.
func (w *writer) refreshDerived(ctx context.Context, truncs []truncation, groups map[*table][]*row, order []*table) error {
	rebuilt := map[string]bool{}
	for _, tr := range truncs {
		if len(olap.DerivedFrom(tr.Table)) > 0 && !rebuilt[tr.Table] {
			rebuilt[tr.Table] = true
			if err := w.ch.RebuildDerived(ctx, tr.Table); err != nil {
				return err
			}
		}
	}
	for _, t := range order {
		if rebuilt[t.name()] {
			continue
		}
		for _, d := range olap.DerivedFrom(t.name()) {
			keys, err := derivedKeys(t, groups[t], d.Key)
			if err != nil {
				return err
			}
			if len(keys) > 0 {
				if err := w.ch.RefreshDerived(ctx, t.name(), keys); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// derivedKeys are the distinct values of column key among the rows
// written (skipped rows and deletes whose key is unknown were not).
func derivedKeys(t *table, rows []*row, key string) ([]int64, error) {
	col := t.column(key)
	if col < 0 {
		return nil, fmt.Errorf("%s: no column %s for its derived tables", t.name(), key)
	}
	seen := map[int64]bool{}
	for _, r := range rows {
		if r.skip || (r.deleted && len(r.missing) > 0) {
			continue
		}
		switch v := r.values[col].(type) {
		case int64:
			seen[v] = true
		case int32:
			seen[int64(v)] = true
		case nil:
		default:
			return nil, fmt.Errorf("%s.%s: %T is not an integer key", t.name(), key, v)
		}
	}
	keys := make([]int64, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys, nil
}
