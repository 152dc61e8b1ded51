//go:build chdb

package chdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// newDB is a fresh, migrated database on the chDB engine.
func newDB(t *testing.T) *olap.DB { return NewTestDB(t).DB }

// Rows written through olap.Insert (the driver's column encoders) read
// back equal through the driver's decoder, NULLs and all.
func TestInsertAndScanRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	at := time.Date(2025, 3, 31, 21, 5, 7, 0, time.UTC)
	cols := []string{"id", "title", "amount", "currency", "pipeline_id", "stage_id", "responsible_id",
		"company_id", "created_at", "updated_at", "closed_at", "_version", "_deleted"}
	rows := [][]any{
		{int64(1), "O'Brien \\ «Ромашка»", decimal.RequireFromString("1234.50"), "RUB", int64(1), int64(2), int64(3),
			nil, at, at, nil, uint64(7), uint8(0)},
		{int64(2), "", decimal.RequireFromString("-0.01"), "USD", int64(1), int64(2), int64(3),
			int64(9), at, at, at.Add(time.Hour), uint64(8), uint8(0)},
	}
	if err := db.Insert(ctx, "deals", cols, rows); err != nil {
		t.Fatalf("insert: %v", err)
	}
	rs, err := db.Query(ctx, olap.SQL("SELECT id, title, amount, company_id, closed_at FROM "+db.Database+".deals FINAL WHERE _deleted = ? ORDER BY id", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var got []string
	for rs.Next() {
		var (
			id      int64
			name    string
			amount  decimal.Decimal
			company *int64
			closed  *time.Time
		)
		if err := rs.Scan(&id, &name, &amount, &company, &closed); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d|%s|%s|%v|%v", id, name, amount.StringFixed(2), deref(company), deref(closed)))
	}
	want := []string{
		"1|O'Brien \\ «Ромашка»|1234.50|<nil>|<nil>",
		"2||-0.01|9|2025-03-31 22:05:07 +0000 UTC",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// WITH TOTALS: the totals row comes back through Totals; a query
// without them answers sql.ErrNoRows, as the driver does.
func TestTotals(t *testing.T) {
	ctx := context.Background()
	c, err := NewConn()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.Query(ctx, "SELECT number % 3 AS k, sum(number) AS s, toDecimal64(number, 2) AS d FROM numbers(?) GROUP BY k, d WITH TOTALS ORDER BY k, d", 5)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rs.Next() {
		n++
	}
	var k uint8
	var s uint64
	var d decimal.Decimal
	if err := rs.Totals(&k, &s, &d); err != nil {
		t.Fatalf("totals: %v", err)
	}
	// 0+1+2+3+4 = 10; the totals row holds defaults in the key columns.
	if n != 5 || k != 0 || s != 10 || !d.IsZero() {
		t.Errorf("rows %d, totals %d %d %s; want 5 rows, totals 0 10 0", n, k, s, d)
	}
	rs, err = c.Query(ctx, "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.Totals(&s); !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("totals without WITH TOTALS: %v, want sql.ErrNoRows", err)
	}
}

// An empty result still describes its columns, with the driver's types.
func TestEmptyResultHasColumns(t *testing.T) {
	c, err := NewConn()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.Query(context.Background(), "SELECT toDecimal64(number, 2) AS d, toString(number) AS s FROM numbers(3) WHERE number > ?", 5)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ct := range rs.ColumnTypes() {
		got = append(got, ct.Name()+" "+ct.DatabaseTypeName()+" "+ct.ScanType().String())
	}
	want := []string{"d Decimal(18, 2) decimal.Decimal", "s String string"}
	if fmt.Sprint(got) != fmt.Sprint(want) || rs.Next() {
		t.Errorf("columns %q, want %q, and no rows", got, want)
	}
}

// A result of many blocks is read whole: 100,000 rows in blocks of 1,000
// sum to 100000·99999/2.
func TestManyBlocks(t *testing.T) {
	c, err := NewConn()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.Query(context.Background(), "SELECT number FROM numbers(100000) SETTINGS max_block_size = 1000")
	if err != nil {
		t.Fatal(err)
	}
	var n, sum uint64
	for rs.Next() {
		var x uint64
		if err := rs.Scan(&x); err != nil {
			t.Fatal(err)
		}
		n, sum = n+1, sum+x
	}
	if n != 100000 || sum != 100000*99999/2 {
		t.Errorf("%d rows summing to %d, want 100000 and %d", n, sum, 100000*99999/2)
	}
}
