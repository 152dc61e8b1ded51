package kinds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
)

// fetch runs q and converts every row, and the totals row when the
// query has one (nil otherwise), to result cells per cols.
func fetch(ctx context.Context, db *olap.DB, q *olap.Query, cols []compile.OutCol, loc *time.Location) ([][]any, []any, error) {
	out := [][]any{}
	totals, err := scan(ctx, db, q, cols, loc, func(row []any) error {
		out = append(out, row)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, totals, nil
}

// errStop ends a scan early without an error (an export's row limit).
var errStop = errors.New("stop scanning")

// scan runs q and hands each converted row to each as it arrives from
// ClickHouse (block by block: nothing is held but the current block),
// then returns the totals row when the query has one. each may return
// errStop to end early (the totals are then nil).
func scan(ctx context.Context, db *olap.DB, q *olap.Query, cols []compile.OutCol, loc *time.Location, each func([]any) error) ([]any, error) {
	rows, err := db.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report query: %w", err)
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	if len(types) != len(cols) {
		return nil, fmt.Errorf("report query: %d columns, want %d", len(types), len(cols))
	}
	dest := make([]any, len(types))
	for i, t := range types {
		dest[i] = reflect.New(t.ScanType()).Interface()
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("report query: %w", err)
		}
		if err := each(convertRow(dest, cols, loc)); errors.Is(err, errStop) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report query: %w", err)
	}
	err = rows.Totals(dest...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("report totals: %w", err)
	}
	return convertRow(dest, cols, loc), nil
}

func convertRow(dest []any, cols []compile.OutCol, loc *time.Location) []any {
	row := make([]any, len(dest))
	for i, d := range dest {
		row[i] = cell(reflect.ValueOf(d).Elem(), cols[i], loc)
	}
	return row
}

// cell converts one scanned value: money to two decimals, dates to
// 2025-01-31, times to RFC 3339 in the report's zone, integers to int64,
// NULL and NaN to nil.
func cell(v reflect.Value, c compile.OutCol, loc *time.Location) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case decimal.Decimal:
		return domain.Money{Decimal: x.Round(2)}
	case float64:
		return floatCell(x, c)
	case float32:
		return floatCell(float64(x), c)
	case time.Time:
		if c.Type == reports.TypeDate {
			return x.Format(time.DateOnly)
		}
		return x.In(loc).Format(time.RFC3339)
	case string:
		return x
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(v.Uint())
	}
	return fmt.Sprint(v.Interface())
}

func floatCell(x float64, c compile.OutCol) any {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return nil
	case c.Type == reports.TypeMoney:
		return domain.Money{Decimal: decimal.NewFromFloat(x).Shift(c.Shift).Round(2)}
	}
	return x
}
