package ingest

import (
	"context"
	"fmt"
	"sort"

	"github.com/voronka/voronka/olap"
)

// refreshDerived brings the tables olap derives from the batch's tables
// up to date once the batch's rows are in: rebuilt whole after a
// truncate of a source, otherwise recomputed once per derived table for
// the keys the rows of all its sources carry (a stage change and a deal
// update of one deal refresh its facts once), or whole when a source
// reaches every row (a currency rate). It is as idempotent as the rows.
func (w *writer) refreshDerived(ctx context.Context, truncs []truncation, groups map[*table][]*row, order []*table) error {
	var truncated []string
	for _, tr := range truncs {
		truncated = append(truncated, tr.Table)
	}
	if err := w.ch.RebuildDerivedOf(ctx, truncated); err != nil {
		return err
	}
	rebuilt := map[string]bool{}
	for _, t := range truncated {
		for _, d := range olap.DerivedFrom(t) {
			rebuilt[d.Table] = true
		}
	}
	type todo struct {
		d    olap.Derived
		all  bool
		keys map[int64]bool
	}
	var pending []*todo
	byTable := map[string]*todo{}
	for _, t := range order {
		for _, d := range olap.DerivedFrom(t.name()) {
			if rebuilt[d.Table] {
				continue
			}
			td := byTable[d.Table]
			if td == nil {
				td = &todo{d: d, keys: map[int64]bool{}}
				byTable[d.Table] = td
				pending = append(pending, td)
			}
			if d.Key == "" {
				td.all = td.all || len(groups[t]) > 0
				continue
			}
			if err := derivedKeys(t, groups[t], d.Key, td.keys); err != nil {
				return err
			}
		}
	}
	for _, td := range pending {
		var keys []int64
		if !td.all {
			if len(td.keys) == 0 {
				continue
			}
			keys = sortedIDs(td.keys)
		}
		if err := td.d.Refresh(ctx, w.ch, keys); err != nil {
			return err
		}
	}
	return nil
}

// derivedKeys adds the distinct values of column key among the rows
// written (skipped rows and deletes whose key is unknown were not) to
// seen.
func derivedKeys(t *table, rows []*row, key string, seen map[int64]bool) error {
	col := t.column(key)
	if col < 0 {
		return fmt.Errorf("%s: no column %s for its derived tables", t.name(), key)
	}
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
			return fmt.Errorf("%s.%s: %T is not an integer key", t.name(), key, v)
		}
	}
	return nil
}

func sortedIDs(seen map[int64]bool) []int64 {
	keys := make([]int64, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
