package olap_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// The statement memo answers a statement again from the rows it kept
// while the tables its text names keep their versions, and reads
// ClickHouse again when one of them changed, when the bound values
// differ, when the rows are older than the TTL and for a statement that
// reads the clock. Each answer is checked against the rows as inserted
// (a memo that kept too long would return the first set of sources after
// the second insert).
func TestMemoKeepsAStatementWhileItsTablesHold(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	insert := func(version uint64, rows ...[]any) {
		t.Helper()
		withVersion := make([][]any, len(rows))
		for i, r := range rows {
			withVersion[i] = append(append([]any{}, r...), version, uint8(0))
		}
		if err := ch.DB.Insert(ctx, "sources", []string{"code", "name", "_version", "_deleted"}, withVersion); err != nil {
			t.Fatal(err)
		}
	}
	insert(1, []any{"web", "Сайт"}, []any{"call", "Звонок"})
	reach := olap.Watermarks{Covered: time.Now(), LSN: 10, Tables: map[string]uint64{"sources": 10, "users": 10}}
	memo := &olap.Memo{TTL: time.Hour}

	type source struct{ code, name string }
	read := func(reach olap.Watermarks, q olap.Query) []source {
		t.Helper()
		db := ch.DB.Recording((&olap.Reads{}).Keeping(memo, reach))
		var out []source
		err := db.Each(ctx, "sources", q, func(scan func(...any) error) error {
			var s source
			if err := scan(&s.code, &s.name); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	all := olap.SQL("SELECT code, name FROM "+ch.DB.Table("sources")+" FINAL WHERE _deleted = 0 AND code != ? ORDER BY code", "")
	first := []source{{"call", "Звонок"}, {"web", "Сайт"}}
	check := func(step string, got, want []source, hits, misses int64) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", step, got, want)
		}
		if s := memo.Stats(); s.Hits != hits || s.Misses != misses {
			t.Errorf("%s: memo %+v, want %d hits, %d runs", step, s, hits, misses)
		}
	}
	check("first read", read(reach, all), first, 0, 1)

	// ClickHouse changes, the watermarks do not say so yet: the kept rows.
	insert(2, []any{"mail", "Письмо"})
	check("same versions", read(reach, all), first, 1, 1)

	// Another table moved on: still the kept rows.
	other := reach
	other.Tables = map[string]uint64{"sources": 10, "users": 11}
	check("another table changed", read(other, all), first, 2, 1)

	// Its own table moved on: read again, and kept anew.
	moved := reach
	moved.Tables = map[string]uint64{"sources": 12, "users": 11}
	second := []source{{"call", "Звонок"}, {"mail", "Письмо"}, {"web", "Сайт"}}
	check("its table changed", read(moved, all), second, 2, 2)
	check("again", read(moved, all), second, 3, 2)

	// Other bound values are another statement.
	notWeb := olap.SQL("SELECT code, name FROM "+ch.DB.Table("sources")+" FINAL WHERE _deleted = 0 AND code != ? ORDER BY code", "web")
	check("other values", read(moved, notWeb), second[:2], 3, 3)

	// A statement reading the clock is never kept.
	clock := olap.SQL("SELECT code, name FROM " + ch.DB.Table("sources") + " FINAL WHERE _deleted = 0 AND now() > toDateTime(0) ORDER BY code")
	read(moved, clock)
	check("reads the clock", read(moved, clock), second, 3, 3) // not counted: never kept

	// Unknown watermarks: nothing kept, nothing counted.
	check("unknown reach", read(olap.Watermarks{}, all), second, 3, 3)

	// The run's clock bound as a value is the same in every run (as the
	// answer cache keeps answers over unchanged data for its TTL): a
	// statement of a run a few seconds later is kept; without a clock the
	// value is just another value.
	t0 := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	atClock := func(now time.Time, clock bool) []source {
		t.Helper()
		db := ch.DB.Recording((&olap.Reads{}).Keeping(memo, moved))
		if clock {
			db = db.AtClock(now)
		}
		q := olap.SQL("SELECT code, name FROM "+ch.DB.Table("sources")+" FINAL WHERE _deleted = 0 AND toDateTime(?) < toDateTime(?) ORDER BY code", now.Unix(), now.Unix()+1)
		var out []source
		if err := db.Each(ctx, "sources", q, func(scan func(...any) error) error {
			var s source
			out = append(out, s)
			return scan(&out[len(out)-1].code, &out[len(out)-1].name)
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	check("a run's clock", atClock(t0, true), second, 3, 4)
	check("a later run's clock", atClock(t0.Add(5*time.Second), true), second, 4, 4)
	check("no clock", atClock(t0.Add(5*time.Second), false), second, 4, 5)

	// Past the TTL: read again.
	memo.TTL = time.Nanosecond
	check("past the TTL", read(moved, all), second, 4, 6)
}

// What a kept row hands out is a copy: an answer that changes what it
// scanned (an array) does not change the next answer's.
func TestMemoHandsOutCopies(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	if err := ch.DB.Insert(ctx, "sources", []string{"code", "name", "_version", "_deleted"}, [][]any{{"web", "Сайт", uint64(1), uint8(0)}}); err != nil {
		t.Fatal(err)
	}
	reach := olap.Watermarks{Covered: time.Now(), Tables: map[string]uint64{"sources": 1}}
	memo := &olap.Memo{}
	q := olap.SQL("SELECT [toInt64(1), toInt64(2), toInt64(3)] AS xs, code FROM " + ch.DB.Table("sources"))
	read := func() []int64 {
		t.Helper()
		var xs []int64
		var code string
		err := ch.DB.Recording((&olap.Reads{}).Keeping(memo, reach)).Each(ctx, "arrays", q, func(scan func(...any) error) error {
			return scan(&xs, &code)
		})
		if err != nil {
			t.Fatal(err)
		}
		return xs
	}
	xs := read()
	xs[0] = 99
	if again := read(); !reflect.DeepEqual(again, []int64{1, 2, 3}) {
		t.Errorf("second answer %v, want [1 2 3] (the first answer's change leaked)", again)
	}
	if s := memo.Stats(); s.Hits != 1 {
		t.Errorf("memo %+v, want the second read kept", s)
	}
}
