package logrepl

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
	"time"
)

// msg builds a pgoutput message by hand, big-endian like the server.
type msg []byte

func (m msg) u8(v byte) msg     { return append(m, v) }
func (m msg) u16(v uint16) msg  { return binary.BigEndian.AppendUint16(m, v) }
func (m msg) u32(v uint32) msg  { return binary.BigEndian.AppendUint32(m, v) }
func (m msg) u64(v uint64) msg  { return binary.BigEndian.AppendUint64(m, v) }
func (m msg) str(s string) msg  { return append(append(m, s...), 0) }
func (m msg) text(s string) msg { return append(m.u8('t').u32(uint32(len(s))), s...) }

// 2024-01-02 03:04:05 UTC in PostgreSQL wire microseconds.
var (
	fixtureTime   = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	fixtureMicros = uint64(fixtureTime.Sub(pgEpoch).Microseconds())
)

func TestParseHandBuilt(t *testing.T) {
	cases := []struct {
		name string
		in   msg
		want Message
	}{
		{"begin", msg{'B'}.u64(0x16B3748).u64(fixtureMicros).u32(755),
			&Begin{FinalLSN: 0x16B3748, CommitTime: fixtureTime, XID: 755}},
		{"commit", msg{'C'}.u8(0).u64(0x16B3748).u64(0x16B3778).u64(fixtureMicros),
			&Commit{CommitLSN: 0x16B3748, EndLSN: 0x16B3778, CommitTime: fixtureTime}},
		{"relation", msg{'R'}.u32(16390).str("public").str("deals").u8('d').u16(2).
			u8(1).str("id").u32(20).u32(0xFFFFFFFF).u8(0).str("amount").u32(1700).u32(1179654),
			&Relation{ID: 16390, Namespace: "public", Name: "deals", ReplicaIdentity: 'd', Columns: []RelationColumn{
				{Key: true, Name: "id", TypeOID: 20, TypeMod: -1}, {Name: "amount", TypeOID: 1700, TypeMod: 1179654}}}},
		{"insert with null", msg{'I'}.u32(16390).u8('N').u16(2).text("42").u8('n'),
			&Insert{RelationID: 16390, New: Tuple{{Kind: 't', Data: []byte("42")}, {Kind: 'n'}}}},
		{"update, unchanged toast", msg{'U'}.u32(7).u8('N').u16(2).text("1").u8('u'),
			&Update{RelationID: 7, New: Tuple{{Kind: 't', Data: []byte("1")}, {Kind: 'u'}}}},
		{"update, key changed", msg{'U'}.u32(7).u8('K').u16(1).text("1").u8('N').u16(1).text("2"),
			&Update{RelationID: 7, OldKind: 'K', Old: Tuple{{Kind: 't', Data: []byte("1")}}, New: Tuple{{Kind: 't', Data: []byte("2")}}}},
		{"update, full old row", msg{'U'}.u32(7).u8('O').u16(1).text("").u8('N').u16(1).text("x"),
			&Update{RelationID: 7, OldKind: 'O', Old: Tuple{{Kind: 't', Data: []byte{}}}, New: Tuple{{Kind: 't', Data: []byte("x")}}}},
		{"delete", msg{'D'}.u32(7).u8('K').u16(2).text("9").u8('n'),
			&Delete{RelationID: 7, OldKind: 'K', Old: Tuple{{Kind: 't', Data: []byte("9")}, {Kind: 'n'}}}},
		{"truncate cascade", msg{'T'}.u32(2).u8(1).u32(7).u32(8),
			&Truncate{Options: 1, RelationIDs: []uint32{7, 8}}},
		{"origin", msg{'O'}.u64(5).str("node1"), &Origin{CommitLSN: 5, Name: "node1"}},
		{"type", msg{'Y'}.u32(99).str("public").str("mood"), &Type{ID: 99, Namespace: "public", Name: "mood"}},
		{"message", msg{'M'}.u8(1).u64(5).str("voronka").u32(2).u8('h').u8('i'),
			&LogicalMessage{Transactional: true, LSN: 5, Prefix: "voronka", Content: []byte("hi")}},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.name, got, c.want)
		}
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	cases := []struct {
		name, wantErr string
		in            msg
	}{
		{"empty", "empty", msg{}},
		{"unknown type", "unknown message type", msg{'Z'}},
		{"short begin", "truncated", msg{'B'}.u64(1)},
		{"unterminated name", "unterminated", msg{'R'}.u32(1).u8('p')},
		{"bad tuple kind", "unknown tuple value kind", msg{'I'}.u32(1).u8('N').u16(1).u8('x')},
		{"value longer than message", "truncated", msg{'I'}.u32(1).u8('N').u16(1).u8('t').u32(10).u8('a')},
		{"insert without N", "want 'N'", msg{'I'}.u32(1).u8('K').u16(0)},
		{"delete without old tuple", "old tuple kind", msg{'D'}.u32(1).u8('N').u16(0)},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
}

func TestReplicationFrames(t *testing.T) {
	x, err := ParseCopyData(msg{'w'}.u64(10).u64(20).u64(fixtureMicros).u8('B'))
	if err != nil {
		t.Fatal(err)
	}
	want := &XLogData{WALStart: 10, ServerEnd: 20, ServerTime: fixtureTime, Data: []byte{'B'}}
	if !reflect.DeepEqual(x, want) {
		t.Fatalf("XLogData: got %#v want %#v", x, want)
	}
	k, err := ParseCopyData(msg{'k'}.u64(30).u64(fixtureMicros).u8(1))
	if err != nil || !reflect.DeepEqual(k, &Keepalive{ServerEnd: 30, ServerTime: fixtureTime, ReplyRequested: true}) {
		t.Fatalf("keepalive: %#v, %v", k, err)
	}
	if _, err := ParseCopyData(msg{'k'}.u64(30)); err == nil {
		t.Fatal("short keepalive accepted")
	}
	got := StandbyStatus(0x1_0000_00FF, fixtureTime, false)
	exp := msg{'r'}.u64(0x1_0000_00FF).u64(0x1_0000_00FF).u64(0x1_0000_00FF).u64(fixtureMicros).u8(0)
	if string(got) != string(exp) {
		t.Fatalf("standby status: got % x want % x", got, exp)
	}
}

func TestLSNText(t *testing.T) {
	l, err := ParseLSN("16/B374D848")
	if err != nil || l != 0x16_B374D848 || l.String() != "16/B374D848" {
		t.Fatalf("ParseLSN: %v %v %s", l, err, l)
	}
	if _, err := ParseLSN("nonsense"); err == nil {
		t.Fatal("bad LSN accepted")
	}
}
