package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/ingest/internal/logrepl/logrepltest"
)

// msg builds pgoutput messages by hand.
type msg = logrepltest.Msg

// feed runs hand-built pgoutput messages through the decoding half of a
// stream (no connection) and returns its batch.
func feed(t *testing.T, msgs ...msg) *batch {
	t.Helper()
	st := &streamer{relations: map[uint32]*table{}, cur: newBatch()}
	for _, m := range msgs {
		if err := st.handleLogical(m); err != nil {
			t.Fatalf("message %q: %v", m[0], err)
		}
	}
	return st.cur
}

// companies (id key, name, address) and deal_observers (two-column key),
// as their Relation messages say.
var (
	relCompanies = msg{'R'}.U32(1).Str("public").Str("companies").U8('d').U16(3).
			U8(1).Str("id").U32(oidInt8).U32(0xFFFFFFFF).
			U8(0).Str("name").U32(oidText).U32(0xFFFFFFFF).
			U8(0).Str("address").U32(oidText).U32(0xFFFFFFFF)
	relStageChanges = msg{'R'}.U32(2).Str("public").Str("stage_changes").U8('d').U16(3).
			U8(1).Str("id").U32(oidInt8).U32(0xFFFFFFFF).
			U8(0).Str("deal_id").U32(oidInt8).U32(0xFFFFFFFF).
			U8(0).Str("changed_at").U32(oidTimestamptz).U32(0xFFFFFFFF)
)

func begin() msg              { return msg{'B'}.U64(0).U64(0).U32(1) }
func commit(end uint64) msg   { return msg{'C'}.U8(0).U64(end - 8).U64(end).U64(0) }
func ins(vals ...string) msg  { return tuple(msg{'I'}.U32(1).U8('N'), vals) }
func upd(vals ...string) msg  { return tuple(msg{'U'}.U32(1).U8('N'), vals) }
func del(id string) msg       { return msg{'D'}.U32(1).U8('K').U16(3).Text(id).U8('n').U8('n') }
func truncate(rel uint32) msg { return msg{'T'}.U32(1).U8(0).U32(rel) }
func updKey(old, id string) msg {
	return tuple(msg{'U'}.U32(1).U8('K').U16(3).Text(old).U8('n').U8('n').U8('N'), []string{id, "n", "a"})
}

// tuple appends values: "∅" is NULL, "~" unchanged TOAST, else text.
func tuple(m msg, vals []string) msg {
	m = m.U16(uint16(len(vals)))
	for _, v := range vals {
		switch v {
		case "∅":
			m = m.U8('n')
		case "~":
			m = m.U8('u')
		default:
			m = m.Text(v)
		}
	}
	return m
}

// rowsOf renders the surviving rows: "id name address @version" or "-id @version".
func rowsOf(b *batch) string {
	var out []string
	for _, r := range b.live() {
		if r.deleted {
			out = append(out, fmt.Sprintf("-%v @%d", r.values[0], r.version))
			continue
		}
		out = append(out, fmt.Sprintf("%v %v %v @%d missing%v", r.values[0], r.values[1], r.values[2], r.version, r.missing))
	}
	return strings.Join(out, "; ")
}

func TestBatchCollapsesChangesOfOneRow(t *testing.T) {
	cases := []struct {
		name string
		msgs []msg
		want string
	}{
		{"insert, updates, delete in one transaction: the delete wins",
			[]msg{relCompanies, begin(), ins("1", "a", "x"), upd("1", "b", "x"), upd("1", "c", "x"), del("1"), commit(100)},
			"-1 @100"},
		{"last update wins, across transactions, with the last version",
			[]msg{relCompanies, begin(), ins("1", "a", "x"), commit(100), begin(), upd("1", "b", "y"), commit(200)},
			"1 b y @200 missing[]"},
		{"delete then insert again: the insert wins",
			[]msg{relCompanies, begin(), del("1"), ins("1", "new", "∅"), commit(100)},
			"1 new <nil> @100 missing[]"},
		{"unchanged TOAST inherits the value from earlier in the batch",
			[]msg{relCompanies, begin(), ins("1", "a", "long"), commit(100), begin(), upd("1", "b", "~"), commit(200)},
			"1 b long @200 missing[]"},
		{"unchanged TOAST of a row not in the batch stays missing (looked up later)",
			[]msg{relCompanies, begin(), upd("1", "b", "~"), commit(100)},
			"1 b <nil> @100 missing[2]"},
		{"key change deletes the old key",
			[]msg{relCompanies, begin(), updKey("1", "2"), commit(100)},
			"-1 @100; 2 n a @100 missing[]"},
		{"other rows are kept apart, in arrival order",
			[]msg{relCompanies, begin(), ins("2", "b", "∅"), ins("1", "a", "∅"), commit(100)},
			"2 b <nil> @100 missing[]; 1 a <nil> @100 missing[]"},
	}
	for _, c := range cases {
		b := feed(t, c.msgs...)
		if got := rowsOf(b); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestBatchTruncate(t *testing.T) {
	b := feed(t, relCompanies, begin(), ins("1", "a", "∅"), commit(100),
		begin(), truncate(1), ins("2", "b", "∅"), commit(200))
	if got := rowsOf(b); got != "2 b <nil> @200 missing[]" {
		t.Fatalf("rows after truncate: %s", got)
	}
	if len(b.truncates) != 1 || b.truncates[0] != (truncation{Table: "companies", Version: 199}) {
		t.Fatalf("truncations: %+v, want companies below the transaction's own rows (199)", b.truncates)
	}
	if b.endLSN != 200 || len(b.commits) != 2 || b.changes != 3 {
		t.Fatalf("batch end %d commits %d changes %d", b.endLSN, len(b.commits), b.changes)
	}
}

func TestEventTableDeleteNeedsSortingKey(t *testing.T) {
	b := feed(t, relStageChanges, begin(),
		msg{'D'}.U32(2).U8('K').U16(3).Text("7").U8('n').U8('n'), commit(100))
	r := b.live()[0]
	if !r.deleted || fmt.Sprint(r.missing) != "[1 2]" {
		t.Fatalf("delete of an event row: deleted %v missing %v, want deal_id and changed_at missing", r.deleted, r.missing)
	}
}

func TestChangeOutsideTransactionFails(t *testing.T) {
	st := &streamer{relations: map[uint32]*table{}, cur: newBatch()}
	if err := st.handleLogical(relCompanies); err != nil {
		t.Fatal(err)
	}
	if err := st.handleLogical(ins("1", "a", "b")); err == nil {
		t.Fatal("insert outside Begin/Commit accepted")
	}
	if err := st.handleLogical(msg{'I'}.U32(99).U8('N').U16(0)); err == nil {
		t.Fatal("insert into an unknown relation accepted")
	}
}
