package ingest

import (
	"fmt"
	"strings"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// table is what ingest knows about one published relation: its pgoutput
// Relation (column names and types in tuple order) and its ClickHouse
// mirror. A new Relation message for the same table (its schema changed)
// makes a new *table, so rows always carry the column list they were
// decoded with.
type table struct {
	rel    *logrepl.Relation
	mirror olap.Mirror
	keys   []int // replica identity columns (the primary key)
	// fill lists mirror sorting-key columns outside the primary key (event
	// tables): a delete only carries the key, so these are looked up.
	fill []int
}

func newTable(rel *logrepl.Relation) (*table, error) {
	m, ok := olap.MirrorOf(rel.Name)
	if !ok || rel.Namespace != "public" {
		return nil, fmt.Errorf("relation %s.%s is not a mirrored table", rel.Namespace, rel.Name)
	}
	t := &table{rel: rel, mirror: m}
	for i, c := range rel.Columns {
		if c.Key {
			t.keys = append(t.keys, i)
		}
	}
	for _, name := range m.OrderBy {
		i := t.column(name)
		if i < 0 {
			return nil, fmt.Errorf("%s: sorting key column %s is not published", rel.Name, name)
		}
		if !rel.Columns[i].Key {
			t.fill = append(t.fill, i)
		}
	}
	if len(t.keys) == 0 {
		return nil, fmt.Errorf("%s has no replica identity key", rel.Name)
	}
	return t, nil
}

// newTableKeyed is newTable for a relation without key flags (a query
// result): the mirror's sorting key stands in for the primary key.
func newTableKeyed(rel *logrepl.Relation) (*table, error) {
	m, ok := olap.MirrorOf(rel.Name)
	if !ok {
		return nil, fmt.Errorf("%s is not a mirrored table", rel.Name)
	}
	for i := range rel.Columns {
		rel.Columns[i].Key = containsString(m.OrderBy, rel.Columns[i].Name)
	}
	return newTable(rel)
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (t *table) name() string { return t.rel.Name }

func (t *table) column(name string) int {
	for i, c := range t.rel.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// rowKey identifies a row within one table by its key columns' text.
func rowKey(relID uint32, tup logrepl.Tuple, keys []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", relID)
	for _, i := range keys {
		if i < len(tup) {
			b.WriteByte(0)
			b.WriteByte(tup[i].Kind)
			b.Write(tup[i].Data)
		}
	}
	return b.String()
}

// row is one row to write: an upsert, or a delete marker.
type row struct {
	t       *table
	key     string
	values  []any // by rel column; nil = NULL
	missing []int // columns whose values the server did not send
	deleted bool
	skip    bool // an update of a row PostgreSQL no longer has: not written
	version logrepl.LSN
}

// decodeRow converts a tuple's text values by type OID. Columns marked
// 'u' (unchanged TOAST) land in missing; on a delete every non-key column
// is absent and the sorting-key columns outside the key are missing.
func decodeRow(t *table, tup logrepl.Tuple, deleted bool) (*row, error) {
	if len(tup) != len(t.rel.Columns) {
		return nil, fmt.Errorf("%s: tuple has %d columns, relation %d", t.name(), len(tup), len(t.rel.Columns))
	}
	r := &row{t: t, key: rowKey(t.rel.ID, tup, t.keys), values: make([]any, len(tup)), deleted: deleted}
	for i, v := range tup {
		switch v.Kind {
		case 't':
			val, err := decodeText(t.rel.Columns[i].TypeOID, v.Data)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t.name(), t.rel.Columns[i].Name, err)
			}
			r.values[i] = val
		case 'u':
			r.missing = append(r.missing, i)
		case 'b':
			return nil, fmt.Errorf("%s.%s: binary value not requested", t.name(), t.rel.Columns[i].Name)
		}
	}
	if deleted { // only the key came, or the whole old row (REPLICA IDENTITY FULL)
		r.missing = r.missing[:0]
		for _, i := range t.fill {
			if tup[i].Kind != 't' {
				r.missing = append(r.missing, i)
			}
		}
	}
	return r, nil
}

// inherit fills r's missing columns from prev, an earlier change of the
// same row in the same batch that had them (matched by column name when a
// schema change came between).
func (r *row) inherit(prev *row) {
	kept := r.missing[:0]
	for _, i := range r.missing {
		j := i
		if prev.t.rel != r.t.rel {
			j = prev.t.column(r.t.rel.Columns[i].Name)
		}
		if j >= 0 && prev.has(j) {
			r.values[i] = prev.values[j]
		} else {
			kept = append(kept, i)
		}
	}
	r.missing = kept
}

// has reports whether the row carries a value for column i.
func (r *row) has(i int) bool {
	if containsInt(r.missing, i) {
		return false
	}
	return !r.deleted || containsInt(r.t.keys, i) || containsInt(r.t.fill, i)
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
