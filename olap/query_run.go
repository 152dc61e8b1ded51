package olap

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Query runs a statement and returns its rows (close them).
func (db *DB) Query(ctx context.Context, q Fragment) (driver.Rows, error) {
	text, args, err := q.ToSql()
	if err != nil {
		return nil, err
	}
	db.record(text)
	return db.conn.Query(ctx, text, args...)
}

// QueryRow runs a statement for its first row; errors come from Scan.
func (db *DB) QueryRow(ctx context.Context, q Fragment) driver.Row {
	text, args, err := q.ToSql()
	if err != nil {
		return errRow{err}
	}
	db.record(text)
	return db.conn.QueryRow(ctx, text, args...)
}

// Exec runs a statement that returns no rows (DDL, INSERT … SELECT).
func (db *DB) Exec(ctx context.Context, q Fragment) error {
	text, args, err := q.ToSql()
	if err != nil {
		return err
	}
	return db.conn.Exec(ctx, text, args...)
}

// Each runs a statement and calls each with the row scanner for every
// row; what names the statement in errors ("reached funnel").
func (db *DB) Each(ctx context.Context, what string, q Fragment, each func(scan func(dest ...any) error) error) error {
	if db.memo != nil {
		text, args, err := q.ToSql()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		ok, err := db.memoEach(what, text, args, each, func(each func(scan func(dest ...any) error) error) error {
			return db.each(ctx, what, q, each)
		})
		if ok {
			return err
		}
	}
	return db.each(ctx, what, q, each)
}

func (db *DB) each(ctx context.Context, what string, q Fragment, each func(scan func(dest ...any) error) error) error {
	rows, err := db.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("%s: clickhouse: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: clickhouse: %w", what, err)
	}
	return nil
}

// errRow is a row whose statement could not be built.
type errRow struct{ err error }

func (r errRow) Err() error           { return r.err }
func (r errRow) Scan(...any) error    { return r.err }
func (r errRow) ScanStruct(any) error { return r.err }
