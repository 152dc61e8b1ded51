package olap

import (
	"context"
	"fmt"
	"time"
)

// WatermarksTable is where ingest records how far the copy reaches.
const WatermarksTable = "ingest_watermarks"

// Watermarks is how far the copy reaches: Covered is the instant up to
// which every committed transaction is in ClickHouse (zero while no
// stream has recorded one: unknown), LSN the PostgreSQL WAL position up
// to which every committed transaction is in ClickHouse (the same reach
// as a position), Tables the version (commit LSN) of the last change
// applied to each table. A table's version changes when and only when a
// change to it has been applied.
type Watermarks struct {
	Covered time.Time
	LSN     uint64
	Tables  map[string]uint64
}

// Known reports whether a stream has recorded its reach.
func (w Watermarks) Known() bool { return !w.Covered.IsZero() }

// Watermarks reads what ingest recorded (nothing yet: unknown).
func (db *DB) Watermarks(ctx context.Context) (Watermarks, error) {
	w := Watermarks{Tables: map[string]uint64{}}
	q := SQL(db.Current(WatermarksTable, "table_name, version, covered_ms"))
	err := db.Each(ctx, "watermarks", q, func(scan func(...any) error) error {
		var name string
		var version uint64
		var ms uint64
		if err := scan(&name, &version, &ms); err != nil {
			return err
		}
		at := time.UnixMilli(int64(ms))
		switch {
		case name == "" && at.Unix() > 0: // the epoch: a load is under way, reach unknown
			w.Covered, w.LSN = at.UTC(), version
		case name == "":
		default:
			w.Tables[name] = version
		}
		return nil
	})
	return w, err
}

// WriteWatermarks records that the changes up to version reached the
// given tables, and that every transaction committed before covered is
// in the copy (version is the rows' _version too: a replay rewrites the
// same rows, an older writer never overwrites a newer one).
func (db *DB) WriteWatermarks(ctx context.Context, tables []string, version uint64, covered time.Time) error {
	return db.insertWatermarks(ctx, append([]string{""}, tables...), version, covered)
}

// WriteTableWatermarks records that the given tables changed up to
// version (a table rebuilt from a snapshot), leaving the stream's
// covered instant alone.
func (db *DB) WriteTableWatermarks(ctx context.Context, tables []string, version uint64) error {
	return db.insertWatermarks(ctx, tables, version, time.Unix(0, 0))
}

// insertWatermarks writes a row per table ("": the stream as a whole)
// with version and covered.
func (db *DB) insertWatermarks(ctx context.Context, tables []string, version uint64, covered time.Time) error {
	cols := []string{"table_name", "version", "covered_at", "covered_ms", "_version", DeletedColumn}
	ms := uint64(max(covered.UnixMilli(), 0))
	rows := make([][]any, 0, len(tables))
	for _, t := range tables {
		rows = append(rows, []any{t, version, covered.UTC(), ms, version, uint8(0)})
	}
	if err := db.Insert(ctx, WatermarksTable, cols, rows); err != nil {
		return fmt.Errorf("record watermarks: %w", err)
	}
	return nil
}
