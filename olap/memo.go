package olap

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Memo keeps the rows of statements run through Each while the tables
// they name are unchanged, so that an answer computed again because one
// of its tables changed runs again only the statements that read it: when
// deals change, the manager leaderboard's deal figures are read again but
// its activity counts — a scan of every activity — are not.
//
// A statement's rows are exactly what ClickHouse would answer again as
// long as the data it reads is the same: its key is its text and bound
// values (the access condition of whoever asks is part of both), and it
// holds while every table its text names (database.table, as Reads
// records them) has the version it had when the statement began, by the
// copy's watermarks. Like the answer cache, which keeps an answer over
// unchanged data for its TTL although "overdue now" moves with the clock,
// the memo treats the run's clock (AtClock: a bound value equal to it, or
// to one second after it, as a period ending now binds) as the same
// value in every run, and keeps rows for TTL at most; a statement whose
// text reads the clock itself (now(), today()) or names no table is never
// kept.
type Memo struct {
	TTL        time.Duration // 0: a minute
	MaxEntries int           // 0: 2,000
	MaxRows    int           // 0: 10,000 rows a statement at most

	mu      sync.Mutex
	entries map[string]*memoEntry

	hits, misses atomic.Int64
}

type memoEntry struct {
	at       time.Time
	versions map[string]uint64 // the named tables' versions when it began
	rows     [][]any           // what each row scanned into its destinations
}

// MemoStats counts statements answered from the memo (Hits) and those
// run because no rows were kept for them that still held (Misses); a
// statement that is never kept (it reads the clock) is neither.
type MemoStats struct{ Hits, Misses int64 }

// Stats returns the counters.
func (m *Memo) Stats() MemoStats { return MemoStats{Hits: m.hits.Load(), Misses: m.misses.Load()} }

func (m *Memo) ttl() time.Duration {
	if m.TTL > 0 {
		return m.TTL
	}
	return time.Minute
}

func (m *Memo) maxRows() int {
	if m.MaxRows > 0 {
		return m.MaxRows
	}
	return 10000
}

// readsClock matches a statement whose answer moves with the clock.
var readsClock = regexp.MustCompile(`(?i)\b(now|today|yesterday)\s*\(`)

// memoKey is a statement's key: its text and its bound values with their
// types, the run's clock (unix seconds, 0: none) standing as a name ("" when
// it may not be kept).
func memoKey(text string, args []any, clock int64) string {
	if readsClock.MatchString(text) {
		return ""
	}
	var sb strings.Builder
	sb.WriteString(text)
	for _, a := range args {
		switch {
		case clock != 0 && a == any(clock):
			sb.WriteString("\x00clock")
		case clock != 0 && a == any(clock+1):
			sb.WriteString("\x00clock+1s")
		default:
			fmt.Fprintf(&sb, "\x00%T:%v", a, a)
		}
	}
	return sb.String()
}

// AtClock is db for a run whose clock is now (to the second): its
// statements' bound values equal to it are the clock, for the memo.
func (db *DB) AtClock(now time.Time) *DB {
	c := *db
	c.clock = now.Unix()
	return &c
}

// lookup is the rows kept for key, if they still hold over reach.
func (m *Memo) lookup(key string, tables []string, reach Watermarks) ([][]any, bool) {
	m.mu.Lock()
	e := m.entries[key]
	m.mu.Unlock()
	if e == nil || time.Since(e.at) >= m.ttl() {
		return nil, false
	}
	for _, t := range tables {
		if reach.Tables[t] != e.versions[t] {
			return nil, false
		}
	}
	return e.rows, true
}

// keep stores rows for key, read over reach from start.
func (m *Memo) keep(key string, tables []string, reach Watermarks, start time.Time, rows [][]any) {
	e := &memoEntry{at: start, versions: map[string]uint64{}, rows: rows}
	for _, t := range tables {
		e.versions[t] = reach.Tables[t]
	}
	max := m.MaxEntries
	if max <= 0 {
		max = 2000
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[string]*memoEntry{}
	}
	if old := m.entries[key]; old != nil && old.at.After(start) {
		return // a run begun later kept its rows first
	}
	if _, ok := m.entries[key]; !ok && len(m.entries) >= max {
		var oldest string
		for k, e := range m.entries {
			if oldest == "" || e.at.Before(m.entries[oldest].at) {
				oldest = k
			}
		}
		delete(m.entries, oldest)
	}
	m.entries[key] = e
}

// Keeping is r with the statements of the work it records answered from
// m while they hold over reach, the copy's watermarks read before the
// work began (so that what a statement returns is at least as new as the
// versions it is kept with): a DB Recording(r) runs Each through m.
// Without known watermarks, or without m, nothing is kept.
func (r *Reads) Keeping(m *Memo, reach Watermarks) *Reads {
	if m != nil && reach.Known() {
		r.memo, r.reach = m, reach
	}
	return r
}

// memoEach is Each through the memo: the rows kept for the statement,
// handed to each as if scanned, or the statement run and its rows kept.
// ok is false when the statement is not one to keep (run it plainly).
func (db *DB) memoEach(what, text string, args []any, each func(scan func(dest ...any) error) error, run func(each func(scan func(dest ...any) error) error) error) (ok bool, err error) {
	key := memoKey(text, args, db.clock)
	tables := db.tablesOf(text)
	if key == "" || len(tables) == 0 {
		return false, nil
	}
	if rows, hit := db.memo.lookup(key, tables, db.reach); hit {
		db.memo.hits.Add(1)
		db.record(text)
		for _, row := range rows {
			if err := each(replay(row)); err != nil {
				return true, fmt.Errorf("%s: %w", what, err)
			}
		}
		return true, nil
	}
	db.memo.misses.Add(1)
	start := time.Now()
	var rows [][]any
	keepable := true
	err = run(func(scan func(dest ...any) error) error {
		scanned := 0
		err := each(func(dest ...any) error {
			if err := scan(dest...); err != nil {
				return err
			}
			scanned++
			if keepable && scanned == 1 && len(rows) < db.memo.maxRows() {
				rows = append(rows, capture(dest))
			} else {
				keepable = false // scanned twice, or too many rows
			}
			return nil
		})
		if scanned == 0 {
			keepable = false // a row the caller did not read
		}
		return err
	})
	if err == nil && keepable {
		db.memo.keep(key, tables, db.reach, start, rows)
	}
	return true, err
}

// capture copies what one row scanned into its destinations.
func capture(dest []any) []any {
	row := make([]any, len(dest))
	for i, d := range dest {
		row[i] = deepCopy(reflect.ValueOf(d).Elem()).Interface()
	}
	return row
}

// replay is a scan that fills the destinations with a kept row (fresh
// copies: the caller may keep or change what it scanned).
func replay(row []any) func(dest ...any) error {
	return func(dest ...any) error {
		if len(dest) != len(row) {
			return fmt.Errorf("memo: %d destinations for a row of %d", len(dest), len(row))
		}
		for i, d := range dest {
			v := reflect.ValueOf(d).Elem()
			src := deepCopy(reflect.ValueOf(row[i]))
			if !src.Type().AssignableTo(v.Type()) {
				return fmt.Errorf("memo: a %s kept for a %s", src.Type(), v.Type())
			}
			v.Set(src)
		}
		return nil
	}
}

// deepCopy copies slices, maps and pointers, so that no two answers
// share what they scanned.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(deepCopy(v.Elem()))
		return out
	}
	out := reflect.New(v.Type()).Elem()
	out.Set(v)
	return out
}
