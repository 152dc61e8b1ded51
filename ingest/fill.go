package ingest

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/voronka/voronka/olap"
)

// fillChunk bounds the keys of one look-up query.
const fillChunk = 500

// fill looks up the values rows did not carry — unchanged TOAST columns
// of an update, the sorting-key columns of an event-table delete — as the
// latest version ClickHouse holds for the row's key. Earlier changes of
// the row are all in ClickHouse already (batches are written in order;
// changes within this batch were inherited by the batcher). An update
// whose row ClickHouse lacks falls back to PostgreSQL's current values.
func (w *writer) fill(ctx context.Context, t *table, rows []*row) error {
	var need []*row
	cols := map[int]bool{}
	for _, r := range rows {
		if len(r.missing) > 0 {
			need = append(need, r)
			for _, i := range r.missing {
				cols[i] = true
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	w.log.Debug("ingest: filling missing values", "table", t.name(), "rows", len(need))
	idx := sortedKeys(cols)
	for start := 0; start < len(need); start += fillChunk {
		chunk := need[start:min(start+fillChunk, len(need))]
		found, err := w.latest(ctx, t, idx, chunk)
		if err != nil {
			return err
		}
		for _, r := range chunk {
			if vals, ok := found[keyString(t, r.values)]; ok {
				r.fillFrom(idx, vals)
			}
		}
	}
	return w.catalog.fillFromPG(ctx, t, need)
}

// latest queries the newest live version of each row's key in ClickHouse
// (ORDER BY _version DESC LIMIT 1 BY key: argMax would skip NULLs).
func (w *writer) latest(ctx context.Context, t *table, idx []int, rows []*row) (map[string][]any, error) {
	keys := make([]string, len(t.keys))
	for i, k := range t.keys {
		keys[i] = t.rel.Columns[k].Name
	}
	sel := append([]string{}, keys...)
	for _, i := range idx {
		sel = append(sel, t.rel.Columns[i].Name)
	}
	table, err := w.ch.Checked(t.name())
	if err != nil {
		return nil, err
	}
	tuples, err := keyTuples(t, rows)
	if err != nil {
		return nil, err
	}
	keyList := strings.Join(keys, ", ")
	q, err := olap.Build("SELECT "+strings.Join(sel, ", ")+", "+olap.DeletedColumn+" FROM "+table+
		" WHERE ("+keyList+") IN ({keys}) ORDER BY "+olap.VersionColumn+" DESC LIMIT 1 BY "+keyList,
		olap.Slots{"keys": tuples})
	if err != nil {
		return nil, err
	}
	res, err := w.ch.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("look up %s rows in clickhouse: %w", t.name(), err)
	}
	defer res.Close()
	out := map[string][]any{}
	types := res.ColumnTypes()
	for res.Next() {
		dest := make([]any, len(types))
		for i, ct := range types {
			dest[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := res.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan %s look-up: %w", t.name(), err)
		}
		vals := make([]any, len(dest))
		for i, d := range dest {
			vals[i] = deref(d)
		}
		if vals[len(vals)-1] == uint8(0) {
			out[keyString(t, spread(t, vals[:len(keys)]))] = vals[len(keys) : len(vals)-1]
		}
	}
	return out, res.Err()
}

// keyTuples is "(?, ?), (?, ?), …": each row's key values in key order,
// one tuple a row, each built with its own values.
func keyTuples(t *table, rows []*row) (olap.Query, error) {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.keys)), ", ") + ")"
	parts := make([]olap.Fragment, len(rows))
	for i, r := range rows {
		vals := make([]any, len(t.keys))
		for j, k := range t.keys {
			vals[j] = r.values[k]
		}
		parts[i] = olap.SQL(tuple, vals...)
	}
	return olap.Join(", ", parts...)
}

// fillFrom copies looked-up values (in idx order) into the missing columns.
func (r *row) fillFrom(idx []int, vals []any) {
	kept := r.missing[:0]
	for _, m := range r.missing {
		if j := sort.SearchInts(idx, m); j < len(idx) && idx[j] == m {
			r.values[m] = vals[j]
		} else {
			kept = append(kept, m)
		}
	}
	r.missing = kept
}

// keyString renders a row's key values comparably for both sides.
func keyString(t *table, values []any) string {
	var b strings.Builder
	for _, k := range t.keys {
		v := values[k]
		if tm, ok := v.(time.Time); ok {
			v = tm.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "%v\x00", v)
	}
	return b.String()
}

// spread places key values (in key order) at their column positions.
func spread(t *table, keyVals []any) []any {
	out := make([]any, len(t.rel.Columns))
	for i, k := range t.keys {
		out[k] = keyVals[i]
	}
	return out
}

// deref turns a scanned *T into T, and a nil **T (NULL) into nil.
func deref(p any) any {
	v := reflect.ValueOf(p).Elem()
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	return v.Interface()
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
