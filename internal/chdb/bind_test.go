//go:build chdb

package chdb

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/testenv"
)

// bindSamples are the argument types Voronka binds (reports, ingest,
// olap), with the awkward values of each.
func bindSamples() []any {
	moscow, _ := time.LoadLocation("Europe/Moscow")
	s := "ptr"
	var nilStr *string
	return []any{
		"plain", "O'Brien", `back\slash`, "nul\x00byte", "ёлка «Ромашка» ?", "", "-- not a comment",
		int64(-42), int32(7), int16(-3), uint8(1), uint64(math.MaxUint64), int(5),
		1.0, 0.1, -2.5e-9, math.NaN(), math.Inf(1), float32(0.25),
		true, false,
		time.Date(2025, 1, 31, 21, 0, 0, 0, time.UTC),
		time.Date(2025, 1, 31, 21, 0, 0, 0, moscow),
		decimal.RequireFromString("1234.50"), decimal.RequireFromString("-0.01"),
		[]string{"a", "b'c"}, []int64{1, -2, 3}, []any{"x", nil}, [][]int64{{1}, {2, 3}}, []int64{},
		nil, &s, nilStr,
	}
}

// Bind renders exactly the query text clickhouse-go sends: the 18.16
// server shows each running query's text in system.processes, and the
// query reads its own entry.
func TestBindMatchesDriver(t *testing.T) {
	ctx := context.Background()
	raw := rawConn(t)
	v, err := raw.ServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	for i, arg := range bindSamples() {
		id := fmt.Sprintf("bind-%d-%08x", i, rand.Uint32())
		q := "SELECT query FROM system.processes WHERE query_id = '" + id + "' AND NOT ignore(?) /* ? */ AND '?' != ''"
		var sent string
		qctx := clickhouse.Context(ctx, clickhouse.WithQueryID(id))
		if err := raw.QueryRow(qctx, q, arg).Scan(&sent); err != nil {
			t.Errorf("%T %v on 18.16: %v", arg, arg, err)
			continue
		}
		got, err := Bind(v.Timezone, q, arg)
		if err != nil {
			t.Errorf("Bind %T %v: %v", arg, arg, err)
			continue
		}
		if got != sent {
			t.Errorf("%T %v:\n Bind   %q\n driver %q", arg, arg, got, sent)
		}
	}
}

// Every sample literal is accepted by chDB and means the same value as on
// 18.16 (compared as the text toString gives, arrays element-wise).
func TestLiteralsSameValueOnBothEngines(t *testing.T) {
	ctx := context.Background()
	raw := rawConn(t)
	c, err := NewConn()
	if err != nil {
		t.Fatal(err)
	}
	const q = "SELECT toString(x) FROM (SELECT arrayJoin([?]) AS x)"
	for _, arg := range bindSamples() {
		old, err1 := texts(ctx, raw.Query, q, arg)
		cur, err2 := texts(ctx, c.Query, q, arg)
		if (err1 == nil) != (err2 == nil) {
			t.Errorf("%T %v: 18.16 err %v, chdb err %v", arg, arg, err1, err2)
			continue
		}
		if fmt.Sprint(old) != fmt.Sprint(cur) {
			t.Errorf("%T %v: 18.16 %q, chdb %q", arg, arg, old, cur)
		}
	}
}

type queryFunc func(context.Context, string, ...any) (driver.Rows, error)

// texts is the first column of every row, as text (<nil> for NULL).
// rawConn is a plain clickhouse-go connection to the dev server (18.16):
// these tests compare what the driver itself sends and binds.
func rawConn(t *testing.T) driver.Conn {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{testenv.Dev(t).CHAddr()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func texts(ctx context.Context, query queryFunc, q string, args ...any) ([]string, error) {
	rs, err := query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s *string
		if err := rs.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(deref(s)))
	}
	return out, rs.Err()
}
