package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// handleCopyData processes one message of the replication stream.
func (st *streamer) handleCopyData(data []byte) error {
	msg, err := logrepl.ParseCopyData(data)
	if err != nil {
		return err
	}
	switch m := msg.(type) {
	case *logrepl.XLogData:
		return st.handleLogical(m.Data)
	case *logrepl.Keepalive:
		// With nothing pending, every transaction before the walsender's
		// position is either stored or not ours: confirming it lets the
		// server recycle WAL the slot would otherwise hold for nothing.
		// Which commits that covers in time is the mark's (reach.go).
		if !st.pending() && m.ServerEnd >= st.idle {
			st.idle = m.ServerEnd
			if at, ok := st.idleAt(m.ServerEnd); ok {
				st.reachedIdle(reach{lsn: m.ServerEnd, at: at})
			}
		}
		if m.ReplyRequested {
			return st.confirm(context.Background(), time.Now(), true)
		}
	}
	return nil
}

// handleLogical decodes one pgoutput message into the open transaction.
// Tuple values are converted at once: data is only valid until the next
// receive.
func (st *streamer) handleLogical(data []byte) error {
	msg, err := logrepl.Parse(data)
	if err != nil {
		return err
	}
	switch m := msg.(type) {
	case *logrepl.Begin:
		st.txn.begin(st.cur)
	case *logrepl.Commit:
		if !st.txn.open {
			return fmt.Errorf("commit %s without begin", m.EndLSN)
		}
		st.txn.commit(m, time.Now())
	case *logrepl.Relation:
		t, err := newTable(m)
		if err != nil {
			return err
		}
		st.relations[m.ID] = t
	case *logrepl.Insert:
		return st.change(m.RelationID, m.New, nil, false)
	case *logrepl.Update:
		return st.update(m)
	case *logrepl.Delete:
		return st.change(m.RelationID, m.Old, nil, true)
	case *logrepl.Truncate:
		for _, id := range m.RelationIDs {
			t, ok := st.relations[id]
			if !ok {
				return fmt.Errorf("truncate of unknown relation %d", id)
			}
			st.txn.truncate(t)
		}
	}
	return nil // Origin, Type, LogicalMessage: nothing to mirror
}

// update writes the new row; when the key changed it first deletes the
// row under its old key. With REPLICA IDENTITY FULL the old row also
// supplies unchanged TOAST values.
func (st *streamer) update(m *logrepl.Update) error {
	t, ok := st.relations[m.RelationID]
	if !ok {
		return fmt.Errorf("change of unknown relation %d", m.RelationID)
	}
	if m.OldKind != 0 && rowKey(t.rel.ID, m.Old, t.keys) != rowKey(t.rel.ID, m.New, t.keys) {
		if err := st.change(m.RelationID, m.Old, nil, true); err != nil {
			return err
		}
	}
	var old logrepl.Tuple
	if m.OldKind == 'O' {
		old = m.Old
	}
	return st.change(m.RelationID, m.New, old, false)
}

func (st *streamer) change(relID uint32, tup, old logrepl.Tuple, deleted bool) error {
	t, ok := st.relations[relID]
	if !ok {
		return fmt.Errorf("change of unknown relation %d", relID)
	}
	r, err := decodeRow(t, tup, deleted)
	if err != nil {
		return err
	}
	if old != nil && len(r.missing) > 0 {
		if prev, err := decodeRow(t, old, false); err == nil {
			r.inherit(prev)
		}
	}
	return st.txn.add(r)
}
