package olap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

const allTypesDDL = `CREATE TABLE %s.all_types (
    i64  Int64, i32 Int32, i16 Int16, u8 UInt8, u64 UInt64,
    s    String, d Decimal(18, 2), r Decimal(20, 8),
    ts   DateTime('UTC'), day Date, u UUID,
    ni64 Nullable(Int64), ns Nullable(String), nd Nullable(Decimal(18, 2)),
    nts  Nullable(DateTime('UTC')), nday Nullable(Date), nu Nullable(UUID)
) ENGINE = MergeTree ORDER BY i64`

var allTypesCols = strings.Fields("i64 i32 i16 u8 u64 s d r ts day u ni64 ns nd nts nday nu")

// allTypes is one row read back with a Go type per column.
type allTypes struct {
	I64  int64
	I32  int32
	I16  int16
	U8   uint8
	U64  uint64
	S    string
	D    decimal.Decimal
	R    decimal.Decimal
	TS   time.Time
	Day  time.Time
	U    string
	NI64 *int64
	NS   *string
	ND   *decimal.Decimal
	NTS  *time.Time
	NDay *time.Time
	NU   *string
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

func TestInsertRoundTripsEveryType(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	if err := ch.DB.Exec(ctx, olap.SQL(strings.Replace(allTypesDDL, "%s", ch.Database, 1))); err != nil {
		t.Fatal(err)
	}
	msk := time.FixedZone("MSK", 3*3600)
	want := []allTypes{
		{1, -2147483648, 32767, 1, 18446744073709551615, "Сделка «Ромашка» — 1 000 ₽", dec("1234567.89"), dec("98.12345678"),
			time.Date(2024, 3, 31, 21, 30, 5, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "6f1c8a8e-3b5e-4f6b-9a51-8f3c2d1e0b7a",
			ptr(int64(-9223372036854775808)), ptr("Ёлка"), ptr(dec("0.01")),
			ptr(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)), ptr(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)), ptr("00000000-0000-0000-0000-000000000001")},
		{2, 0, -32768, 0, 0, "", dec("0.00"), dec("0.00000001"),
			time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff",
			nil, nil, nil, nil, nil, nil},
	}
	rows := [][]any{
		// Go values as ingest produces them; the time in Moscow is the
		// same instant as row 1's UTC time and must come back in UTC.
		{int64(1), int32(-2147483648), int16(32767), uint8(1), uint64(18446744073709551615), "Сделка «Ромашка» — 1 000 ₽",
			dec("1234567.89"), dec("98.12345678"), time.Date(2024, 4, 1, 0, 30, 5, 0, msk), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
			"6f1c8a8e-3b5e-4f6b-9a51-8f3c2d1e0b7a", int64(-9223372036854775808), "Ёлка", dec("0.01"),
			time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "00000000-0000-0000-0000-000000000001"},
		{int64(2), int32(0), int16(-32768), uint8(0), uint64(0), "", dec("0"), dec("0.00000001"),
			time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff",
			nil, nil, nil, (*time.Time)(nil), nil, nil},
	}
	if err := ch.DB.Insert(ctx, "all_types", allTypesCols, rows); err != nil {
		t.Fatalf("insert: %v", err)
	}
	got := readAllTypes(t, ch)
	if len(got) != len(want) {
		t.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		compareAllTypes(t, got[i], want[i])
	}
}

func readAllTypes(t *testing.T, ch *testenv.CH) []allTypes {
	t.Helper()
	q := "SELECT " + strings.Join(allTypesCols, ", ") + " FROM " + ch.Database + ".all_types ORDER BY i64"
	rows, err := ch.DB.Query(context.Background(), olap.SQL(q))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []allTypes
	for rows.Next() {
		var r allTypes
		if err := rows.Scan(&r.I64, &r.I32, &r.I16, &r.U8, &r.U64, &r.S, &r.D, &r.R, &r.TS, &r.Day, &r.U,
			&r.NI64, &r.NS, &r.ND, &r.NTS, &r.NDay, &r.NU); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// compareAllTypes compares every field by value: decimals numerically,
// times as instants that must come back in UTC.
func compareAllTypes(t *testing.T, got, want allTypes) {
	t.Helper()
	if got.TS.Location() != time.UTC || (got.NTS != nil && got.NTS.Location() != time.UTC) {
		t.Errorf("row %d: DateTime read back in %v, want UTC", want.I64, got.TS.Location())
	}
	if g, w := render(got), render(want); g != w {
		t.Errorf("row %d:\n got %s\nwant %s", want.I64, g, w)
	}
}

// render prints a row with pointers followed, decimals normalised and
// times as UTC instants.
func render(r allTypes) string {
	tm := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	opt := func(p any) string {
		switch v := p.(type) {
		case *int64:
			if v != nil {
				return fmt.Sprint(*v)
			}
		case *string:
			if v != nil {
				return fmt.Sprintf("%q", *v)
			}
		case *decimal.Decimal:
			if v != nil {
				return v.String()
			}
		case *time.Time:
			if v != nil {
				return tm(*v)
			}
		}
		return "NULL"
	}
	return fmt.Sprintf("%d %d %d %d %d %q %s %s %s %s %s | %s %s %s %s %s %s",
		r.I64, r.I32, r.I16, r.U8, r.U64, r.S, r.D, r.R, tm(r.TS), tm(r.Day), r.U,
		opt(r.NI64), opt(r.NS), opt(r.ND), opt(r.NTS), opt(r.NDay), opt(r.NU))
}
