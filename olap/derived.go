package olap

import (
	"context"
	"fmt"
	"strings"
)

// DealPathsTable is the per-deal stage path derived from stage_changes
// (migrations/00002_deal_paths.sql): (deal_id, times, ids, stages) with the
// deal's changes in time order, one row per deal in FINAL.
const DealPathsTable = "deal_paths"

// Derived is a table computed from a mirror table. Whoever writes or
// empties the mirror table refreshes it: ingest after each batch (for the
// Key values the batch's rows carry) and after its initial load; testenv's
// Mirror after a copy.
type Derived struct {
	Table string
	// Key is the source column whose values select what to refresh.
	Key     string
	refresh func(db *DB, ctx context.Context, keys []int64) error
}

var derived = map[string][]Derived{
	"stage_changes": {{Table: DealPathsTable, Key: "deal_id", refresh: (*DB).RefreshDealPaths}},
}

// DerivedFrom lists the tables derived from a mirror table.
func DerivedFrom(table string) []Derived { return append([]Derived(nil), derived[table]...) }

// RefreshDerived recomputes, in every table derived from table, what
// depends on the given key values (everything when keys is empty).
func (db *DB) RefreshDerived(ctx context.Context, table string, keys []int64) error {
	for _, d := range derived[table] {
		if err := d.refresh(db, ctx, keys); err != nil {
			return err
		}
	}
	return nil
}

// maxRefreshIDs bounds the ids of one refresh statement; larger sets are
// refreshed in several statements.
const maxRefreshIDs = 5000

// RefreshDealPaths recomputes the paths of the given deals from
// stage_changes (FINAL: de-duplicated, deleted changes left out; a deal
// whose changes are all deleted gets empty arrays). With no ids it
// recomputes every deal, which is what a rebuild after a truncate or an
// initial load needs. It is idempotent: the row's version is the highest
// _version among the deal's changes, so replaying it changes nothing and
// an older path never replaces a newer one.
func (db *DB) RefreshDealPaths(ctx context.Context, dealIDs []int64) error {
	if len(dealIDs) == 0 {
		return db.refreshDealPaths(ctx, SQL(""))
	}
	for start := 0; start < len(dealIDs); start += maxRefreshIDs {
		chunk := dealIDs[start:min(start+maxRefreshIDs, len(dealIDs))]
		// One placeholder per id: `deal_id IN (?, ?, …)` uses the primary
		// key; a bound slice would become an array literal, which IN does
		// not take on 18.16.
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		where := SQL("AND deal_id IN (?"+strings.Repeat(", ?", len(chunk)-1)+")", args...)
		if err := db.refreshDealPaths(ctx, where); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) refreshDealPaths(ctx context.Context, where Query) error {
	q, err := Build(`INSERT INTO `+db.Table(DealPathsTable)+` (deal_id, times, ids, stages, _version)
SELECT deal_id, arrayMap(x -> x.1, h), arrayMap(x -> x.2, h), arrayMap(x -> x.3, h), v
FROM (SELECT deal_id, arraySort(groupArrayIf((changed_at, id, to_stage_id), _deleted = 0)) AS h, max(_version) AS v
      FROM `+db.Table("stage_changes")+` FINAL
      WHERE 1 = 1 {where}
      GROUP BY deal_id)`, Slots{"where": where})
	if err != nil {
		return err
	}
	if err := db.Exec(ctx, q); err != nil {
		return fmt.Errorf("refresh clickhouse %s: %w", DealPathsTable, err)
	}
	return nil
}

// RebuildDerived empties the tables derived from table and computes them
// again from it (after table was emptied or loaded in bulk).
func (db *DB) RebuildDerived(ctx context.Context, table string) error {
	for _, d := range derived[table] {
		if err := db.Exec(ctx, SQL("TRUNCATE TABLE "+db.Table(d.Table))); err != nil {
			return fmt.Errorf("empty clickhouse %s: %w", d.Table, err)
		}
	}
	return db.RefreshDerived(ctx, table, nil)
}
