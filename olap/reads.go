package olap

import (
	"regexp"
	"sort"
	"sync"
)

// Reads records the tables the statements of one piece of work named
// (Recording): the answer cache keeps an answer exactly as long as none of
// them changed. Safe for concurrent use (a pivot runs three statements at
// once).
type Reads struct {
	mu     sync.Mutex
	tables map[string]bool

	memo  *Memo      // Keeping: statements answered from it
	reach Watermarks // over this reach
}

// Tables lists the tables read, sorted.
func (r *Reads) Tables() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.tables))
	for t := range r.tables {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Add records tables read without a statement of db's (a test's).
func (r *Reads) Add(tables ...string) { r.add(tables) }

func (r *Reads) add(tables []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tables == nil {
		r.tables = map[string]bool{}
	}
	for _, t := range tables {
		r.tables[t] = true
	}
}

// Recording is db with every statement's tables added to r: statements
// name their tables through Names.Table (database.table), so the text
// says which ones they read.
func (db *DB) Recording(r *Reads) *DB {
	c := *db
	c.reads, c.memo, c.reach = r, r.memo, r.reach
	c.tableRE = regexp.MustCompile(`\b` + regexp.QuoteMeta(db.Database) + `\.([A-Za-z_][A-Za-z0-9_]*)\b`)
	return &c
}

// record notes the tables of a statement's text, when recording.
func (db *DB) record(text string) {
	if db.reads == nil {
		return
	}
	db.reads.add(db.tablesOf(text))
}

// tablesOf is the tables a statement's text names (none unless recording).
func (db *DB) tablesOf(text string) []string {
	if db.tableRE == nil {
		return nil
	}
	var names []string
	for _, m := range db.tableRE.FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	return names
}
