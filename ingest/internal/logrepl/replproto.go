package logrepl

import (
	"encoding/binary"
	"fmt"
	"time"
)

// The streaming replication sub-protocol carried inside CopyData messages
// once START_REPLICATION has switched the connection to copy-both mode
// (PostgreSQL manual, "Streaming Replication Protocol"). Every timestamp
// in it counts microseconds since 2000-01-01 00:00:00 UTC.

// pgEpoch is the origin of PostgreSQL's wire timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func pgTime(micros int64) time.Time { return pgEpoch.Add(time.Duration(micros) * time.Microsecond) }

func pgMicros(t time.Time) int64 { return t.Sub(pgEpoch).Microseconds() }

// XLogData ('w') carries a chunk of decoded WAL: for pgoutput, exactly one
// logical replication message in Data.
type XLogData struct {
	WALStart   LSN
	ServerEnd  LSN
	ServerTime time.Time
	Data       []byte // aliases the input
}

// Keepalive ('k') tells the current end of WAL on the server; when
// ReplyRequested is set the client must answer with a status update at
// once or be disconnected after wal_sender_timeout.
type Keepalive struct {
	ServerEnd      LSN
	ServerTime     time.Time
	ReplyRequested bool
}

// ParseCopyData decodes the payload of one CopyData message from the
// server: *XLogData or *Keepalive.
func ParseCopyData(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("empty replication message")
	}
	switch b[0] {
	case 'w':
		if len(b) < 25 {
			return nil, fmt.Errorf("short XLogData: %d bytes", len(b))
		}
		return &XLogData{
			WALStart:   LSN(binary.BigEndian.Uint64(b[1:])),
			ServerEnd:  LSN(binary.BigEndian.Uint64(b[9:])),
			ServerTime: pgTime(int64(binary.BigEndian.Uint64(b[17:]))),
			Data:       b[25:],
		}, nil
	case 'k':
		if len(b) < 18 {
			return nil, fmt.Errorf("short keepalive: %d bytes", len(b))
		}
		return &Keepalive{
			ServerEnd:      LSN(binary.BigEndian.Uint64(b[1:])),
			ServerTime:     pgTime(int64(binary.BigEndian.Uint64(b[9:]))),
			ReplyRequested: b[17] == 1,
		}, nil
	}
	return nil, fmt.Errorf("unknown replication message %q", b[0])
}

// StandbyStatus encodes a Standby Status Update ('r'). For a logical slot
// the flush position is what the server records as the slot's
// confirmed_flush_lsn: transactions committed before it are never sent
// again and the WAL before it may be recycled. We report the same
// position as written, flushed and applied.
func StandbyStatus(pos LSN, now time.Time, replyRequested bool) []byte {
	b := make([]byte, 34)
	b[0] = 'r'
	binary.BigEndian.PutUint64(b[1:], uint64(pos))
	binary.BigEndian.PutUint64(b[9:], uint64(pos))
	binary.BigEndian.PutUint64(b[17:], uint64(pos))
	binary.BigEndian.PutUint64(b[25:], uint64(pgMicros(now)))
	if replyRequested {
		b[33] = 1
	}
	return b
}
