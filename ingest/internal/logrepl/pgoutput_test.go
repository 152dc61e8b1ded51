package logrepl_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/ingest/internal/logrepl/logrepltest"
)

// msg builds a pgoutput message by hand, big-endian like the server.
type msg = logrepltest.Msg

// 2024-01-02 03:04:05 UTC in PostgreSQL wire microseconds (since
// 2000-01-01 UTC).
var (
	fixtureTime   = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	fixtureMicros = uint64(fixtureTime.Sub(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).Microseconds())
)

func TestParseHandBuilt(t *testing.T) {
	cases := []struct {
		name string
		in   msg
		want logrepl.Message
	}{
		{"begin", msg{'B'}.U64(0x16B3748).U64(fixtureMicros).U32(755),
			&logrepl.Begin{FinalLSN: 0x16B3748, CommitTime: fixtureTime, XID: 755}},
		{"commit", msg{'C'}.U8(0).U64(0x16B3748).U64(0x16B3778).U64(fixtureMicros),
			&logrepl.Commit{CommitLSN: 0x16B3748, EndLSN: 0x16B3778, CommitTime: fixtureTime}},
		{"relation", msg{'R'}.U32(16390).Str("public").Str("deals").U8('d').U16(2).
			U8(1).Str("id").U32(20).U32(0xFFFFFFFF).U8(0).Str("amount").U32(1700).U32(1179654),
			&logrepl.Relation{ID: 16390, Namespace: "public", Name: "deals", ReplicaIdentity: 'd', Columns: []logrepl.RelationColumn{
				{Key: true, Name: "id", TypeOID: 20, TypeMod: -1}, {Name: "amount", TypeOID: 1700, TypeMod: 1179654}}}},
		{"insert with null", msg{'I'}.U32(16390).U8('N').U16(2).Text("42").U8('n'),
			&logrepl.Insert{RelationID: 16390, New: logrepl.Tuple{{Kind: 't', Data: []byte("42")}, {Kind: 'n'}}}},
		{"update, unchanged toast", msg{'U'}.U32(7).U8('N').U16(2).Text("1").U8('u'),
			&logrepl.Update{RelationID: 7, New: logrepl.Tuple{{Kind: 't', Data: []byte("1")}, {Kind: 'u'}}}},
		{"update, key changed", msg{'U'}.U32(7).U8('K').U16(1).Text("1").U8('N').U16(1).Text("2"),
			&logrepl.Update{RelationID: 7, OldKind: 'K', Old: logrepl.Tuple{{Kind: 't', Data: []byte("1")}}, New: logrepl.Tuple{{Kind: 't', Data: []byte("2")}}}},
		{"update, full old row", msg{'U'}.U32(7).U8('O').U16(1).Text("").U8('N').U16(1).Text("x"),
			&logrepl.Update{RelationID: 7, OldKind: 'O', Old: logrepl.Tuple{{Kind: 't', Data: []byte{}}}, New: logrepl.Tuple{{Kind: 't', Data: []byte("x")}}}},
		{"delete", msg{'D'}.U32(7).U8('K').U16(2).Text("9").U8('n'),
			&logrepl.Delete{RelationID: 7, OldKind: 'K', Old: logrepl.Tuple{{Kind: 't', Data: []byte("9")}, {Kind: 'n'}}}},
		{"truncate cascade", msg{'T'}.U32(2).U8(1).U32(7).U32(8),
			&logrepl.Truncate{Options: 1, RelationIDs: []uint32{7, 8}}},
		{"origin", msg{'O'}.U64(5).Str("node1"), &logrepl.Origin{CommitLSN: 5, Name: "node1"}},
		{"type", msg{'Y'}.U32(99).Str("public").Str("mood"), &logrepl.Type{ID: 99, Namespace: "public", Name: "mood"}},
		{"message", msg{'M'}.U8(1).U64(5).Str("voronka").U32(2).U8('h').U8('i'),
			&logrepl.LogicalMessage{Transactional: true, LSN: 5, Prefix: "voronka", Content: []byte("hi")}},
	}
	for _, c := range cases {
		got, err := logrepl.Parse(c.in)
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
		{"short begin", "truncated", msg{'B'}.U64(1)},
		{"unterminated name", "unterminated", msg{'R'}.U32(1).U8('p')},
		{"bad tuple kind", "unknown tuple value kind", msg{'I'}.U32(1).U8('N').U16(1).U8('x')},
		{"value longer than message", "truncated", msg{'I'}.U32(1).U8('N').U16(1).U8('t').U32(10).U8('a')},
		{"insert without N", "want 'N'", msg{'I'}.U32(1).U8('K').U16(0)},
		{"delete without old tuple", "old tuple kind", msg{'D'}.U32(1).U8('N').U16(0)},
	}
	for _, c := range cases {
		_, err := logrepl.Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
}

func TestReplicationFrames(t *testing.T) {
	x, err := logrepl.ParseCopyData(msg{'w'}.U64(10).U64(20).U64(fixtureMicros).U8('B'))
	if err != nil {
		t.Fatal(err)
	}
	want := &logrepl.XLogData{WALStart: 10, ServerEnd: 20, ServerTime: fixtureTime, Data: []byte{'B'}}
	if !reflect.DeepEqual(x, want) {
		t.Fatalf("XLogData: got %#v want %#v", x, want)
	}
	k, err := logrepl.ParseCopyData(msg{'k'}.U64(30).U64(fixtureMicros).U8(1))
	if err != nil || !reflect.DeepEqual(k, &logrepl.Keepalive{ServerEnd: 30, ServerTime: fixtureTime, ReplyRequested: true}) {
		t.Fatalf("keepalive: %#v, %v", k, err)
	}
	if _, err := logrepl.ParseCopyData(msg{'k'}.U64(30)); err == nil {
		t.Fatal("short keepalive accepted")
	}
	got := logrepl.StandbyStatus(0x1_0000_00FF, fixtureTime, false)
	exp := msg{'r'}.U64(0x1_0000_00FF).U64(0x1_0000_00FF).U64(0x1_0000_00FF).U64(fixtureMicros).U8(0)
	if string(got) != string(exp) {
		t.Fatalf("standby status: got % x want % x", got, exp)
	}
}

func TestLSNText(t *testing.T) {
	l, err := logrepl.ParseLSN("16/B374D848")
	if err != nil || l != 0x16_B374D848 || l.String() != "16/B374D848" {
		t.Fatalf("ParseLSN: %v %v %s", l, err, l)
	}
	if _, err := logrepl.ParseLSN("nonsense"); err == nil {
		t.Fatal("bad LSN accepted")
	}
}
