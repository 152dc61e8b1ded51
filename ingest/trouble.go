package ingest

import (
	"sort"
	"sync"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// A table in trouble is one whose changes cannot be applied as they come
// (a column type ClickHouse cannot convert in place, say). Its changes
// are parked instead of stalling the stream: the table is marked for a
// rebuild from a snapshot (in ClickHouse, before the stream confirms a
// position past a skipped change, so a restart rebuilds it too), its
// changes are skipped up to the rebuild's snapshot — which holds them —
// and applied after it, while every other table streams on.
const rebuildTable = "ingest_rebuilds"

// TableTrouble is a table whose changes wait for a rebuild.
type TableTrouble struct {
	Table  string    `json:"table"`
	Reason string    `json:"reason"`
	Since  time.Time `json:"since"`
	// Error is why the last rebuild attempt failed, if one did.
	Error string `json:"error,omitempty"`
}

// troubles is the set of tables in trouble; safe for concurrent use.
type troubles struct {
	mu sync.Mutex
	m  map[string]*trouble
	// wake tells the rebuilder there is work.
	wake chan struct{}
	gen  int
}

type trouble struct {
	TableTrouble
	// upTo: changes with a version at or below it are in the rebuild's
	// snapshot. Zero while no snapshot is taken: every change is skipped.
	upTo logrepl.LSN
	// again: the table got into trouble anew during its rebuild, which
	// must then be done once more.
	again bool
}

func newTroubles() *troubles {
	return &troubles{m: map[string]*trouble{}, wake: make(chan struct{}, 1)}
}

// add puts a table in trouble (again, if it is already).
func (ts *troubles) add(table, reason string, since time.Time) {
	ts.mu.Lock()
	if t, ok := ts.m[table]; ok {
		t.upTo, t.again, t.Reason = 0, true, reason
	} else {
		ts.m[table] = &trouble{TableTrouble: TableTrouble{Table: table, Reason: reason, Since: since.UTC()}}
	}
	ts.mu.Unlock()
	select {
	case ts.wake <- struct{}{}:
	default:
	}
}

// skip reports whether a change of table at version v waits for (or is
// already in) the table's rebuild.
func (ts *troubles) skip(table string, v logrepl.LSN) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.m[table]
	return ok && (t.upTo == 0 || v <= t.upTo)
}

func (ts *troubles) has(table string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	_, ok := ts.m[table]
	return ok
}

// snapshotTaken records the rebuild's snapshot: changes after it are
// applied from now on. It is false when the table got into trouble anew
// meanwhile (that rebuild's snapshot is then too old).
func (ts *troubles) snapshotTaken(table string, at logrepl.LSN) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.m[table]
	if !ok || t.again {
		return false
	}
	t.upTo = at
	ts.gen++
	return true
}

// begin starts a rebuild attempt of table: trouble that arrives from now
// on asks for another.
func (ts *troubles) begin(table string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if t, ok := ts.m[table]; ok {
		t.again, t.upTo = false, 0
	}
}

// finish ends the trouble after a rebuild — running clearMark, which
// clears its record, under the lock, so a new trouble's record always
// comes after — unless it must be done again.
func (ts *troubles) finish(table string, clearMark func() error) (bool, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.m[table]
	if !ok || t.again {
		return false, nil
	}
	if err := clearMark(); err != nil {
		return false, err
	}
	delete(ts.m, table)
	ts.gen++
	return true, nil
}

// generation changes whenever a rebuild changed a mirror's columns
// behind the stream writer's cached plans.
func (ts *troubles) generation() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.gen
}

func (ts *troubles) failed(table string, err error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if t, ok := ts.m[table]; ok {
		t.Error = err.Error()
	}
}

// clear forgets every trouble (a full reload replaced every table).
func (ts *troubles) clear() {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	clear(ts.m)
}

// list is the tables in trouble, by name.
func (ts *troubles) list() []TableTrouble {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := make([]TableTrouble, 0, len(ts.m))
	for _, t := range ts.m {
		out = append(out, t.TableTrouble)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out
}
