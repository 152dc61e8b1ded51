package ingest

import (
	"fmt"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// batch is a run of committed transactions handed to ClickHouse in one
// go. Changes to one row (same table and key) collapse to the last one,
// within a transaction and across the batch: the last change carries the
// full row (or the delete) and the highest version, so the result in
// ClickHouse is the same as writing every change, with fewer rows.
type batch struct {
	rows      []*row         // in arrival order; nil where a later change replaced it
	index     map[string]int // row key → position in rows
	truncates []truncation   // in order; rows of a truncated table before it are dropped
	commits   []time.Time    // commit time of each transaction (lag)
	changes   int            // changes received, before collapsing
	endLSN    logrepl.LSN    // end of the last commit: the position to confirm
	started   time.Time      // local time of the first commit (flush timer)
}

// truncation marks every row of a table with version below Version deleted.
type truncation struct {
	Table   string
	Version logrepl.LSN
}

func newBatch() *batch { return &batch{index: map[string]int{}} }

func (b *batch) empty() bool {
	return len(b.index) == 0 && len(b.truncates) == 0 && len(b.commits) == 0
}

// txnBuilder adds the changes of the open transaction to a batch; their
// version (the commit's end LSN) is only known at Commit.
type txnBuilder struct {
	b      *batch
	open   bool
	rows   []*row
	truncs []int // indexes into b.truncates
}

func (x *txnBuilder) begin(b *batch) {
	x.b, x.open, x.rows, x.truncs = b, true, x.rows[:0], x.truncs[:0]
}

// add puts one change into the batch, replacing an earlier change of the
// same row and inheriting the columns it did not send.
func (x *txnBuilder) add(r *row) error {
	if !x.open {
		return fmt.Errorf("%s change outside a transaction", r.t.name())
	}
	b := x.b
	b.changes++
	if i, ok := b.index[r.key]; ok {
		if len(r.missing) > 0 {
			r.inherit(b.rows[i])
		}
		b.rows[i] = nil
	}
	b.index[r.key] = len(b.rows)
	b.rows = append(b.rows, r)
	x.rows = append(x.rows, r)
	return nil
}

// truncate drops the batch's pending rows of t (the truncate supersedes
// them) and records the truncation.
func (x *txnBuilder) truncate(t *table) {
	b := x.b
	for i, r := range b.rows {
		if r != nil && r.t.name() == t.name() {
			delete(b.index, r.key)
			b.rows[i] = nil
		}
	}
	b.changes++
	x.truncs = append(x.truncs, len(b.truncates))
	b.truncates = append(b.truncates, truncation{Table: t.name()})
}

// commit stamps the transaction's rows with its end LSN. Truncation
// markers get end−1: above every earlier transaction's rows (whose end is
// at most this commit record's start) and below the rows this same
// transaction wrote after its TRUNCATE.
func (x *txnBuilder) commit(c *logrepl.Commit, now time.Time) {
	for _, r := range x.rows {
		r.version = c.EndLSN
	}
	for _, i := range x.truncs {
		x.b.truncates[i].Version = c.EndLSN - 1
	}
	b := x.b
	if len(b.commits) == 0 {
		b.started = now
	}
	b.commits = append(b.commits, c.CommitTime)
	b.endLSN = c.EndLSN
	x.open, x.rows, x.truncs = false, x.rows[:0], x.truncs[:0]
}

// live returns the rows that survive collapsing, in arrival order.
func (b *batch) live() []*row {
	out := make([]*row, 0, len(b.index))
	for _, r := range b.rows {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}
