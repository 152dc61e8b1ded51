package olap

import (
	"context"
	"fmt"
	"strings"
)

// Insert writes rows into table as one native batch
// `INSERT INTO <database>.<table> (cols…)`: ClickHouse 18.16 sends no
// column header without the explicit list. Each row holds one Go value per
// column, in cols order: int64/int32/int16, uint8, uint64, string,
// decimal.Decimal (shopspring), time.Time, or nil for NULL (pointers to
// those work too). Columns left out get their ClickHouse defaults. The
// batch is all-or-nothing from the caller's side; retrying is the
// caller's business. Errors name the table (and the row at fault).
func (db *DB) Insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	q, err := db.insertSQL(table, cols)
	if err != nil {
		return err
	}
	batch, err := db.conn.PrepareBatch(ctx, q)
	if err != nil {
		return fmt.Errorf("insert into clickhouse %s: %w", table, err)
	}
	defer batch.Abort() // releases the connection when Send was not reached
	for i, row := range rows {
		if len(row) != len(cols) {
			return fmt.Errorf("insert into clickhouse %s: row %d has %d values for %d columns", table, i, len(row), len(cols))
		}
		if err := batch.Append(row...); err != nil {
			return fmt.Errorf("insert into clickhouse %s: row %d: %w", table, i, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert into clickhouse %s: %w", table, err)
	}
	return nil
}

// insertSQL is the INSERT text with validated, distinct identifiers.
func (db *DB) insertSQL(table string, cols []string) (string, error) {
	qualified, err := db.Checked(table)
	if err != nil {
		return "", err
	}
	if len(cols) == 0 {
		return "", fmt.Errorf("insert into clickhouse %s: no columns", table)
	}
	seen := make(map[string]bool, len(cols))
	for _, c := range cols {
		if !validIdent(c) || seen[c] {
			return "", fmt.Errorf("insert into clickhouse %s: bad or repeated column %q", table, c)
		}
		seen[c] = true
	}
	return "INSERT INTO " + qualified + " (" + strings.Join(cols, ", ") + ")", nil
}
