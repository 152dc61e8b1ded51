package olap_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// A scratch table with one column of every kind the checksum treats
// differently, including negatives, integer parts above 2^31, NULLs and
// padded char(n).
const kindsPG = `CREATE TABLE kinds (
    id bigint NOT NULL, n integer NOT NULL, s smallint NOT NULL,
    amount numeric(18,2) NOT NULL, rate numeric(20,8) NOT NULL, q numeric NOT NULL,
    flag boolean NOT NULL, code char(5) NOT NULL, title text NOT NULL,
    at timestamptz NOT NULL, day date NOT NULL, u uuid NOT NULL,
    namount numeric(18,2), ntitle text, nat timestamptz);
INSERT INTO kinds VALUES
 (1, -5, 7, -12.34, 123456789012.12345678, 1.123456789, true, 'AB', 'Сделка «Ромашка»',
  '2024-01-15 09:30:00.999+03', '2024-02-29', '6f1c8a8e-3b5e-4f6b-9a51-8f3c2d1e0b7a', 0.01, 'Ёж', '2030-01-01 00:00:00+00'),
 (2, 2147483647, -32768, 9999999999999999.99, 0.00000001, 0, false, 'RUBLE', '',
  '1970-01-02 00:00:00+00', '1970-01-01', '00000000-0000-0000-0000-000000000001', NULL, NULL, NULL),
 (3000000000, 0, 0, 0, 98, 42, true, 'X', 'x', '2024-05-01 10:00:00+00', '2024-05-01',
  'ffffffff-ffff-ffff-ffff-ffffffffffff', 1500.50, 'текст', NULL)`

// kindsRows are the same rows as ingest would write them (char(5) padded,
// times in UTC).
var kindsRows = [][]any{
	{int64(1), int32(-5), int16(7), dec("-12.34"), dec("123456789012.12345678"), dec("1.123456789"), uint8(1), "AB   ", "Сделка «Ромашка»",
		time.Date(2024, 1, 15, 6, 30, 0, 999e6, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), "6f1c8a8e-3b5e-4f6b-9a51-8f3c2d1e0b7a",
		dec("0.01"), "Ёж", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)},
	{int64(2), int32(2147483647), int16(-32768), dec("9999999999999999.99"), dec("0.00000001"), dec("0"), uint8(0), "RUBLE", "",
		time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "00000000-0000-0000-0000-000000000001",
		nil, nil, nil},
	{int64(3000000000), int32(0), int16(0), dec("0"), dec("98"), dec("42"), uint8(1), "X    ", "x",
		time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff",
		dec("1500.50"), "текст", nil},
}

// kindsOf says how the reference below images each column.
var kindsOf = strings.Fields("int int int dec2 dec8 dec8 int bytes chars time date present dec2 chars time")

// kindsReference computes the documented checksum in Go.
func kindsReference(rows [][]any) int64 {
	const p = 2147483647
	var sum int64
	for _, row := range rows {
		var h, w int64 = 0, 1
		for i, v := range row {
			for _, x := range kindTerms(v, kindsOf[i]) {
				w = w * 1000003 % p
				h += (x % p) * w % p
			}
		}
		h %= p
		sum += (h*h + h) % p
	}
	return sum
}

func kindTerms(v any, kind string) []int64 {
	switch {
	case kind == "present":
		return []int64{1}
	case v == nil && strings.HasPrefix(kind, "dec"):
		return []int64{-1, -1}
	case v == nil:
		return []int64{-1}
	}
	switch kind {
	case "dec2", "dec8":
		d, shift := v.(decimal.Decimal), int32(kind[3]-'0')
		return []int64{d.Truncate(0).IntPart(), d.Sub(d.Truncate(0)).Shift(shift).IntPart()}
	case "time":
		return []int64{v.(time.Time).Unix()}
	case "date":
		return []int64{v.(time.Time).Unix() / 86400}
	case "chars":
		return []int64{int64(utf8.RuneCountInString(v.(string)))}
	case "bytes":
		return []int64{int64(len(v.(string)))}
	}
	switch n := v.(type) {
	case int64:
		return []int64{n}
	case int32:
		return []int64{int64(n)}
	case int16:
		return []int64{int64(n)}
	}
	return []int64{int64(v.(uint8))}
}

// Both engines compute the documented checksum, each on its own copy.
func TestChecksumQueriesAgreeAcrossEngines(t *testing.T) {
	checksumAgrees(t, testenv.NewCH(t))
}

// checksumAgrees loads the kinds rows into ch and checks that its
// checksum and PostgreSQL's equal the Go reference.
func checksumAgrees(t *testing.T, ch *testenv.CH) {
	t.Helper()
	ctx := context.Background()
	pg := testenv.NewPG(t)
	if _, err := pg.Pool.Exec(ctx, kindsPG); err != nil {
		t.Fatal(err)
	}
	cols := kindsColumns(t, pg)
	var ddl, names []string
	for _, c := range cols {
		typ, err := olap.CHType(c.Type, c.Nullable)
		if err != nil {
			t.Fatal(err)
		}
		ddl = append(ddl, c.Name+" "+typ)
		names = append(names, c.Name)
	}
	ddl = append(ddl, "_version UInt64", "_deleted UInt8")
	create := "CREATE TABLE " + ch.Database + ".kinds (" + strings.Join(ddl, ", ") + ") ENGINE = ReplacingMergeTree(_version) ORDER BY id"
	if err := ch.DB.Exec(ctx, olap.SQL(create)); err != nil {
		t.Fatal(err)
	}
	if err := ch.DB.Insert(ctx, "kinds", names, kindsRows); err != nil {
		t.Fatal(err)
	}
	pgQ, chQ, err := ch.DB.ChecksumQueries("kinds", cols)
	if err != nil {
		t.Fatal(err)
	}
	var pgN, pgSum, chSum int64
	var chN uint64
	if err := pg.Pool.QueryRow(ctx, pgQ).Scan(&pgN, &pgSum); err != nil {
		t.Fatalf("postgresql: %v\n%s", err, pgQ)
	}
	if err := ch.DB.QueryRow(ctx, olap.SQL(chQ)).Scan(&chN, &chSum); err != nil {
		t.Fatalf("clickhouse: %v\n%s", err, chQ)
	}
	want := kindsReference(kindsRows)
	if pgN != 3 || chN != 3 || pgSum != want || chSum != want {
		t.Fatalf("rows pg %d ch %d, checksum pg %d ch %d, want 3 rows and %d", pgN, chN, pgSum, chSum, want)
	}
}

func kindsColumns(t *testing.T, pg *testenv.PG) []olap.PGColumn {
	t.Helper()
	const q = `SELECT attname, format_type(atttypid, atttypmod), NOT attnotnull
FROM pg_attribute WHERE attrelid = 'kinds'::regclass AND attnum > 0 ORDER BY attnum`
	rows, err := pg.Pool.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []olap.PGColumn
	for rows.Next() {
		var c olap.PGColumn
		if err := rows.Scan(&c.Name, &c.Type, &c.Nullable); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}
