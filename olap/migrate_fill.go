package olap

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// backfill fills a derived table from data already there (on a new
// database it finds none). Idempotent, like the statements: a failed run
// is completed by the next one.
type backfill struct {
	table string
	fill  func(db *DB, ctx context.Context) error
}

// backfills are the migrations that create a derived table or change its
// columns, each with the fill of that table. The fill runs with this
// version's code, which writes the table's latest columns, so among the
// migrations of one run only the last that fills a table does (a
// database from before 00004 gets deal_facts filled once, after 00007
// gave it expected_close_at).
var backfills = map[uint32]backfill{
	2: {DealPathsTable, func(db *DB, ctx context.Context) error { return db.RefreshDealPaths(ctx, nil) }}, // 00002_deal_paths
	4: {DealFactsTable, func(db *DB, ctx context.Context) error { return db.RefreshDealFacts(ctx, nil) }}, // 00004_deal_facts
	7: {DealFactsTable, func(db *DB, ctx context.Context) error { return db.RefreshDealFacts(ctx, nil) }}, // 00007_expected_close
	9: {DealFactsTable, func(db *DB, ctx context.Context) error { return db.RefreshDealFacts(ctx, nil) }}, // 00009_forecast_history
}

// backfillAt is the fill to run after todo[k], or nil: its own, unless a
// later migration of todo fills the same table.
func backfillAt(todo []migration, k int) func(db *DB, ctx context.Context) error {
	b, ok := backfills[todo[k].version]
	if !ok {
		return nil
	}
	for _, later := range todo[k+1:] {
		if backfills[later.version].table == b.table {
			return nil
		}
	}
	return b.fill
}

// execOnce runs a migration statement on one server, skipping an ALTER
// TABLE … ADD/DROP/MODIFY COLUMN already done there (18.16 has no IF
// [NOT] EXISTS for columns), as DDL does on a cluster: a run interrupted
// half-way, or a column a stream added first, is completed by the next.
func execOnce(ctx context.Context, conn driver.Conn, database, stmt string) error {
	if m := alterRE.FindStringSubmatch(commentLineRE.ReplaceAllString(stmt, "")); m != nil {
		if cc := parseColumnChange(m[3]); cc != nil {
			if done, err := cc.done(ctx, conn, database, m[2]); done || err != nil {
				return err
			}
		}
	}
	return conn.Exec(ctx, stmt)
}
