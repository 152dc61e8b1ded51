package olap

import (
	"reflect"
	"strings"
	"testing"

	sq "github.com/Masterminds/squirrel"
)

// Build assembles text and arguments in the order the slots stand, a
// fragment's arguments in place, a slot used twice bound twice.
func TestBuildAssemblesInOrder(t *testing.T) {
	inner := SQL("SELECT id FROM t WHERE a = ? AND b = ?", 1, 2)
	cond := sq.Eq{"c": 3}
	q, err := Build("SELECT {x}, {y} FROM ({inner}) WHERE {cond} AND z IN {x}", Slots{
		"x": []int64{7, 8}, "y": "why", "inner": inner, "cond": cond})
	if err != nil {
		t.Fatal(err)
	}
	wantSQL := "SELECT ?, ? FROM (SELECT id FROM t WHERE a = ? AND b = ?) WHERE c = ? AND z IN ?"
	wantArgs := []any{[]int64{7, 8}, "why", 1, 2, 3, []int64{7, 8}}
	if q.SQL != wantSQL || !reflect.DeepEqual(q.Args, wantArgs) {
		t.Errorf("got %q %v\nwant %q %v", q.SQL, q.Args, wantSQL, wantArgs)
	}
	if got := strings.Count(q.SQL, "?"); got != len(q.Args) {
		t.Errorf("%d placeholders for %d args", got, len(q.Args))
	}
}

// Every mistake Build can see is an error, not a statement.
func TestBuildRefusesMistakes(t *testing.T) {
	for _, c := range []struct {
		name, text string
		slots      Slots
		want       string
	}{
		{"bare ? before a slot", "SELECT ? + {a}", Slots{"a": 1}, "bare ?"},
		{"bare ? at the end", "SELECT {a} + ?", Slots{"a": 1}, "bare ?"},
		{"missing slot", "SELECT {a}, {b}", Slots{"a": 1}, "no value for slot {b}"},
		{"unused slot", "SELECT {a}", Slots{"a": 1, "typo": 2}, "slot {typo} given but not in the text"},
		{"fragment error", "SELECT {f}", Slots{"f": sq.Select()}, "slot {f}"},
	} {
		_, err := Build(c.text, c.slots)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
}

// Join keeps each part's arguments in order.
func TestJoin(t *testing.T) {
	q, err := Join(" AND ", SQL("a = ?", 1), sq.Eq{"b": 2}, SQL("c"))
	if err != nil {
		t.Fatal(err)
	}
	if q.SQL != "a = ? AND b = ? AND c" || !reflect.DeepEqual(q.Args, []any{1, 2}) {
		t.Errorf("got %q %v", q.SQL, q.Args)
	}
}

// JoinLookups joins one lookup per SELECT, current state only, keeping
// the source's arguments.
func TestJoinLookups(t *testing.T) {
	n := Names{Database: "db"}
	src := sq.Select("id", "user_id").From(n.Table("deals")).Where(sq.Eq{"id": 5})
	got, args, err := n.JoinLookups(src, "l", []Lookup{
		{Table: "users", Select: "id AS user_id, name AS user_name", Using: "user_id"},
		{Table: "currency_rates", Select: "code AS currency, max(valid_from) AS d", Using: "currency", GroupBy: "code", Extra: "d + 1 AS e"},
	}).ToSql()
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT *, d + 1 AS e FROM (SELECT * FROM (SELECT id, user_id FROM db.deals WHERE id = ?) AS l0 " +
		"ANY LEFT JOIN (SELECT id AS user_id, name AS user_name FROM db.users FINAL WHERE _deleted = 0) AS lr0 USING (user_id)) AS l1 " +
		"ANY LEFT JOIN (SELECT code AS currency, max(valid_from) AS d FROM db.currency_rates FINAL WHERE _deleted = 0 GROUP BY code) AS lr1 USING (currency)"
	if got != want || !reflect.DeepEqual(args, []any{5}) {
		t.Errorf("got  %s %v\nwant %s", got, args, want)
	}
}

// Table refuses what is not an identifier; Checked says so as an error.
func TestNamesRefuseNonIdentifiers(t *testing.T) {
	n := Names{Database: "db"}
	if _, err := n.Checked("deals; DROP TABLE x"); err == nil {
		t.Error("Checked accepted an injection")
	}
	defer func() {
		if recover() == nil {
			t.Error("Table did not panic on a non-identifier")
		}
	}()
	n.Table("deals --")
}
