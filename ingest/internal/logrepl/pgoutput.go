package logrepl

import (
	"fmt"
	"time"
)

// The pgoutput logical replication messages, protocol version 1
// (PostgreSQL manual, "Logical Replication Message Formats"). Parse is
// pure: it decodes one message from bytes and never talks to a server.
// Byte slices in the results alias the input.

// Message is one decoded pgoutput message.
type Message interface{ pgoutput() }

// Begin opens a transaction. FinalLSN is the LSN of its commit record.
type Begin struct {
	FinalLSN   LSN
	CommitTime time.Time
	XID        uint32
}

// Commit closes a transaction. EndLSN is the position just past the
// commit record: the position to confirm once the transaction is stored.
type Commit struct {
	Flags      uint8
	CommitLSN  LSN
	EndLSN     LSN
	CommitTime time.Time
}

// Relation describes a table before its first change in a session and
// again after its schema changes. Columns are the published ones, in
// tuple order.
type Relation struct {
	ID              uint32
	Namespace, Name string
	ReplicaIdentity byte // 'd' default, 'n' nothing, 'f' full, 'i' index
	Columns         []RelationColumn
}

// RelationColumn is one column of a Relation. Key marks the replica
// identity (the primary key, for REPLICA IDENTITY DEFAULT).
type RelationColumn struct {
	Key     bool
	Name    string
	TypeOID uint32
	TypeMod int32
}

// Insert is a new row.
type Insert struct {
	RelationID uint32
	New        Tuple
}

// Update is a changed row. OldKind is 'K' when Old holds the old key
// (the key changed), 'O' when Old is the whole old row (REPLICA IDENTITY
// FULL), 0 when there is no old tuple.
type Update struct {
	RelationID uint32
	OldKind    byte
	Old, New   Tuple
}

// Delete is a removed row; Old holds its key ('K') or whole row ('O').
type Delete struct {
	RelationID uint32
	OldKind    byte
	Old        Tuple
}

// Truncate empties RelationIDs. Options: 1 CASCADE, 2 RESTART IDENTITY.
type Truncate struct {
	Options     uint8
	RelationIDs []uint32
}

// Origin names the replication origin of the transaction (tolerated).
type Origin struct {
	CommitLSN LSN
	Name      string
}

// Type describes a non-builtin data type (tolerated).
type Type struct {
	ID              uint32
	Namespace, Name string
}

// LogicalMessage is pg_logical_emit_message output (tolerated).
type LogicalMessage struct {
	Transactional bool
	LSN           LSN
	Prefix        string
	Content       []byte
}

func (*Begin) pgoutput()          {}
func (*Commit) pgoutput()         {}
func (*Relation) pgoutput()       {}
func (*Insert) pgoutput()         {}
func (*Update) pgoutput()         {}
func (*Delete) pgoutput()         {}
func (*Truncate) pgoutput()       {}
func (*Origin) pgoutput()         {}
func (*Type) pgoutput()           {}
func (*LogicalMessage) pgoutput() {}

// Parse decodes one pgoutput message.
func Parse(b []byte) (Message, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("pgoutput: empty message")
	}
	r := &reader{b: b, pos: 1}
	var m Message
	switch b[0] {
	case 'B':
		m = &Begin{FinalLSN: LSN(r.u64()), CommitTime: pgTime(int64(r.u64())), XID: r.u32()}
	case 'C':
		m = &Commit{Flags: r.u8(), CommitLSN: LSN(r.u64()), EndLSN: LSN(r.u64()), CommitTime: pgTime(int64(r.u64()))}
	case 'R':
		m = r.relation()
	case 'I':
		m = r.insert()
	case 'U':
		m = r.update()
	case 'D':
		m = r.delete()
	case 'T':
		m = r.truncate()
	case 'O':
		m = &Origin{CommitLSN: LSN(r.u64()), Name: r.str()}
	case 'Y':
		m = &Type{ID: r.u32(), Namespace: r.str(), Name: r.str()}
	case 'M':
		m = r.message()
	default:
		return nil, fmt.Errorf("pgoutput: unknown message type %q", b[0])
	}
	if r.err != nil {
		return nil, fmt.Errorf("pgoutput %q message: %w", b[0], r.err)
	}
	return m, nil
}
