package logrepltest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// CaptureSQL is the scripted workload of the captured fixture
// (testdata/pgoutput_capture.hex of logrepl, recorded by ingest's
// TestCaptureLiveMessages); CheckCapture knows, by hand, what the server
// must send for it.
var CaptureSQL = []string{
	`INSERT INTO currencies (code, name, symbol) VALUES ('KZT', 'Тенге', '₸')`,
	`UPDATE currencies SET symbol = 'T' WHERE code = 'KZT'`,
	`UPDATE currencies SET code = 'KZX' WHERE code = 'KZT'`,
	`DELETE FROM currencies WHERE code = 'KZX'`,
	`TRUNCATE deal_observers`,
	`INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
	 VALUES ('b@x.ru', 'Борис', 'admin', 'secret', '2024-01-02 03:04:05+00', '2024-01-02 03:04:05.5+03')`,
}

// CheckCapture compares the decoded workload of CaptureSQL with what the
// manual says the server sends for it, worked out by hand: one Relation
// before a table's first change, tuples in column order, the old key
// only when the key changed, users without password_hash.
func CheckCapture(t testing.TB, raw [][]byte) {
	t.Helper()
	var got []string
	var rel = map[uint32]string{}
	for _, b := range raw {
		m, err := logrepl.Parse(b)
		if err != nil {
			t.Fatalf("decode % x: %v", b, err)
		}
		got = append(got, describe(m, rel))
	}
	want := []string{
		"Begin",
		"Relation public.currencies d [*code:1042 name:25 symbol:25]",
		"Insert currencies N[KZT Тенге ₸]",
		"Commit",
		"Begin", "Update currencies N[KZT Тенге T]", "Commit",
		"Begin", "Update currencies K[KZT ∅ ∅] N[KZX Тенге T]", "Commit",
		"Begin", "Delete currencies K[KZX ∅ ∅]", "Commit",
		"Begin",
		"Relation public.deal_observers d [*deal_id:20 *user_id:20]",
		"Truncate 0 [deal_observers]",
		"Commit",
		"Begin",
		"Relation public.users d [*id:20 email:25 name:25 role:25 active:16 created_at:1184 updated_at:1184 extension:25]",
		"Insert users N[1 b@x.ru Борис admin t 2024-01-02 03:04:05+00 2024-01-02 00:04:05.5+00 ∅]",
		"Commit",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded capture:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func describe(m logrepl.Message, rel map[uint32]string) string {
	switch m := m.(type) {
	case *logrepl.Begin:
		return "Begin"
	case *logrepl.Commit:
		if m.EndLSN <= m.CommitLSN {
			return fmt.Sprintf("Commit end %s <= commit %s", m.EndLSN, m.CommitLSN)
		}
		return "Commit"
	case *logrepl.Relation:
		rel[m.ID] = m.Name
		var cols []string
		for _, c := range m.Columns {
			k := ""
			if c.Key {
				k = "*"
			}
			cols = append(cols, fmt.Sprintf("%s%s:%d", k, c.Name, c.TypeOID))
		}
		return fmt.Sprintf("Relation %s.%s %c %v", m.Namespace, m.Name, m.ReplicaIdentity, cols)
	case *logrepl.Insert:
		return fmt.Sprintf("Insert %s N%s", rel[m.RelationID], tupleText(m.New))
	case *logrepl.Update:
		old := ""
		if m.OldKind != 0 {
			old = fmt.Sprintf("%c%s ", m.OldKind, tupleText(m.Old))
		}
		return fmt.Sprintf("Update %s %sN%s", rel[m.RelationID], old, tupleText(m.New))
	case *logrepl.Delete:
		return fmt.Sprintf("Delete %s %c%s", rel[m.RelationID], m.OldKind, tupleText(m.Old))
	case *logrepl.Truncate:
		var names []string
		for _, id := range m.RelationIDs {
			names = append(names, rel[id])
		}
		return fmt.Sprintf("Truncate %d %v", m.Options, names)
	}
	return fmt.Sprintf("%T", m)
}

func tupleText(tup logrepl.Tuple) string {
	var vs []string
	for _, v := range tup {
		switch v.Kind {
		case 'n':
			vs = append(vs, "∅")
		case 'u':
			vs = append(vs, "unchanged")
		default:
			vs = append(vs, string(v.Data))
		}
	}
	return fmt.Sprintf("%v", vs)
}
