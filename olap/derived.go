package olap

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DealPathsTable is the per-deal stage path derived from stage_changes
// (migrations/00002_deal_paths.sql): (deal_id, times, ids, stages) with the
// deal's changes in time order, one row per deal in FINAL.
const DealPathsTable = "deal_paths"

// DealFactsTable is one row per deal with its columns, its amount in
// roubles and its stage path (migrations/00004_deal_facts.sql), derived
// from deals, currency_rates, stage_changes and deal_forecast_changes:
// what the deal-level
// report kinds read instead of joining those at query time.
const DealFactsTable = "deal_facts"

// RateZone is the zone of the dates rates are chosen by (a deal's
// creation date): the reports' default zone, reports.DefaultTZ.
const RateZone = "Europe/Moscow"

// Derived is a table computed from mirror tables. Whoever writes or
// empties a source table refreshes it: ingest after each batch (for the
// Key values the batch's rows carry) and after its initial load; testenv's
// Mirror after a copy.
type Derived struct {
	Table string
	// Key is the source column whose values select what to refresh; ""
	// means any change to the source refreshes everything (currency rates
	// reach every deal).
	Key     string
	refresh func(db *DB, ctx context.Context, keys []int64) error
}

// Refresh recomputes, in d's table, what depends on the given key values
// (everything when keys is empty).
func (d Derived) Refresh(ctx context.Context, db *DB, keys []int64) error {
	return d.refresh(db, ctx, keys)
}

// derivedTables are the derived tables, each with its source tables and
// the key column of each.
var derivedTables = []struct {
	table   string
	sources map[string]string
	refresh func(db *DB, ctx context.Context, keys []int64) error
}{
	{DealPathsTable, map[string]string{"stage_changes": "deal_id"}, (*DB).RefreshDealPaths},
	{DealFactsTable, map[string]string{"deals": "id", "stage_changes": "deal_id", "deal_forecast_changes": "deal_id", "currency_rates": ""},
		(*DB).RefreshDealFacts},
}

// DerivedTables lists the derived tables.
func DerivedTables() []string {
	out := make([]string, len(derivedTables))
	for i, d := range derivedTables {
		out[i] = d.table
	}
	return out
}

// DerivedFrom lists the tables derived from a mirror table, each with the
// key column of that table.
func DerivedFrom(table string) []Derived {
	var out []Derived
	for _, d := range derivedTables {
		if key, ok := d.sources[table]; ok {
			out = append(out, Derived{Table: d.table, Key: key, refresh: d.refresh})
		}
	}
	return out
}

// derivedOf is every table derived from any of tables, once each.
func derivedOf(tables []string) []Derived {
	var out []Derived
	seen := map[string]bool{}
	for _, t := range tables {
		for _, d := range DerivedFrom(t) {
			if !seen[d.Table] {
				seen[d.Table] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// RefreshDerivedOf recomputes every table derived from any of tables,
// whole, once each (after a bulk copy of them).
func (db *DB) RefreshDerivedOf(ctx context.Context, tables []string) error {
	for _, d := range derivedOf(tables) {
		if err := d.refresh(db, ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// maxRefreshIDs bounds the ids of one refresh statement; larger sets are
// refreshed in several statements.
const maxRefreshIDs = 5000

// eachIDChunk calls run with `AND col IN (?, ?, …)` for every chunk of
// ids, or with no condition at all when ids is empty (everything). One
// placeholder per id: the condition uses the primary key; a bound slice
// would become an array literal, which IN does not take on 18.16.
func eachIDChunk(ids []int64, run func(in func(col string) Query) error) error {
	if len(ids) == 0 {
		return run(func(string) Query { return SQL("") })
	}
	for start := 0; start < len(ids); start += maxRefreshIDs {
		chunk := ids[start:min(start+maxRefreshIDs, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		in := func(col string) Query {
			return SQL("AND "+col+" IN (?"+strings.Repeat(", ?", len(chunk)-1)+")", args...)
		}
		if err := run(in); err != nil {
			return err
		}
	}
	return nil
}

// RefreshDealPaths recomputes the paths of the given deals from
// stage_changes (FINAL: de-duplicated, deleted changes left out; a deal
// whose changes are all deleted gets empty arrays). With no ids it
// recomputes every deal, which is what a rebuild after a truncate or an
// initial load needs. It is idempotent: the row's version is the highest
// _version among the deal's changes, so replaying it changes nothing and
// an older path never replaces a newer one.
func (db *DB) RefreshDealPaths(ctx context.Context, dealIDs []int64) error {
	return eachIDChunk(dealIDs, func(in func(string) Query) error {
		q, err := Build(`INSERT INTO `+db.Table(DealPathsTable)+` (deal_id, times, ids, stages, _version)
SELECT deal_id, arrayMap(x -> x.1, h), arrayMap(x -> x.2, h), arrayMap(x -> x.3, h), v
FROM (SELECT deal_id, arraySort(groupArrayIf((changed_at, id, to_stage_id), _deleted = 0)) AS h, max(_version) AS v
      FROM `+db.Table("stage_changes")+` FINAL
      WHERE 1 = 1 {where}
      GROUP BY deal_id)`, Slots{"where": in("deal_id")})
		if err != nil {
			return err
		}
		if err := db.Exec(ctx, q); err != nil {
			return fmt.Errorf("refresh clickhouse %s: %w", DealPathsTable, err)
		}
		return nil
	})
}

// dealColumns are the deals columns deal_facts repeats.
const dealColumns = "id, title, pipeline_id, stage_id, amount, currency, responsible_id, company_id, contact_id, source, lead_id, " +
	"lost_reason, created_by, created_at, updated_at, closed_at, expected_close_at, forecast_category"

// RefreshDealFacts recomputes the facts of the given deals (every deal
// when dealIDs is empty) from deals, currency_rates, stage_changes and
// deal_forecast_changes as they are now: a deal's row, its amount in
// roubles (RubAmountSQL at the rate of its creation date in Moscow), its
// path of live changes and its forecast history (fc_*: the expected
// close date and category after each change, in time order; no date
// 0000-00-00 and no category the empty string, as the migration says why). A
// deal not (yet) in deals gets no row. Idempotent, and an older state
// never replaces a newer one (see the migration on _version).
func (db *DB) RefreshDealFacts(ctx context.Context, dealIDs []int64) error {
	rates, err := db.rateDaysAll(ctx)
	if err != nil {
		return err
	}
	return eachIDChunk(dealIDs, func(in func(string) Query) error {
		q, err := Build(`INSERT INTO `+db.Table(DealFactsTable)+` (`+dealColumns+`, rub, times, stages, froms,
       fc_times, fc_dates, fc_cats, _version, _deleted)
SELECT `+dealColumns+`, `+RubAmountSQL+` AS rub,
       arrayMap(x -> x.1, h), arrayMap(x -> x.3, h), arrayMap(x -> x.4, h),
       arrayMap(x -> x.1, f), arrayMap(x -> x.3, f), arrayMap(x -> x.4, f),
       greatest(greatest(greatest(dv, pv), fv), (SELECT max(_version) FROM `+db.Table("currency_rates")+`)), _deleted
FROM (
SELECT * FROM (
  SELECT * FROM (
    SELECT `+dealColumns+`, _version AS dv, _deleted,
           least(toDate(created_at, '`+RateZone+`'), toDate({last})) AS rate_date
    FROM `+db.Table("deals")+` FINAL
    WHERE 1 = 1 {deals}
  ) AS deal_rows
  ANY LEFT JOIN ({rates}) AS rate_rows USING currency, rate_date
) AS priced
ANY LEFT JOIN (
  SELECT deal_id AS id, h, pv
  FROM (SELECT deal_id, arraySort(groupArrayIf((changed_at, id, to_stage_id, ifNull(from_stage_id, 0)), _deleted = 0)) AS h,
               max(_version) AS pv
        FROM `+db.Table("stage_changes")+` FINAL
        WHERE 1 = 1 {changes}
        GROUP BY deal_id)
) AS path_rows USING id
) AS pathed
ANY LEFT JOIN (
  SELECT deal_id AS id, f, fv
  FROM (SELECT deal_id, arraySort(groupArrayIf((changed_at, id, ifNull(expected_close_at, toDate(0)), ifNull(forecast_category, '')), _deleted = 0)) AS f,
               max(_version) AS fv
        FROM `+db.Table("deal_forecast_changes")+` FINAL
        WHERE 1 = 1 {forecasts}
        GROUP BY deal_id)
) AS forecast_rows USING id`, Slots{"deals": in("id"), "changes": in("deal_id"), "forecasts": in("deal_id"),
			"rates": rates.days, "last": rates.last})
		if err != nil {
			return err
		}
		if err := db.Exec(ctx, q); err != nil {
			return fmt.Errorf("refresh clickhouse %s: %w", DealFactsTable, err)
		}
		return nil
	})
}

// allRates is the rate table of a refresh: the days from the first rate
// on, and the last day a rate starts (a later date takes the rate valid
// then, the table stops there).
type allRates struct {
	days Fragment
	last string
}

// rateDaysAll reads the span of the live rates and builds their day
// table; with no rates an empty one (every amount 0 roubles).
func (db *DB) rateDaysAll(ctx context.Context) (allRates, error) {
	var first, last time.Time
	var n uint64
	err := db.Each(ctx, "rate span", SQL(`SELECT min(valid_from), max(valid_from), count() FROM `+db.Table("currency_rates")+` FINAL WHERE _deleted = 0`),
		func(scan func(...any) error) error { return scan(&first, &last, &n) })
	if err != nil {
		return allRates{}, err
	}
	if n == 0 {
		first, last = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	}
	return allRates{days: RateDays(db.Names, first, last.AddDate(0, 0, 1)), last: last.Format("2006-01-02")}, nil
}

// RebuildDerivedOf computes every table derived from any of tables again,
// once each (after an initial load of them all). A derived table keyed by
// one of them is emptied first (rows whose source rows are gone must go
// too); one that only reads them whole (deal_facts of currency_rates) is
// refreshed in place, so that no answer meanwhile sees it empty.
func (db *DB) RebuildDerivedOf(ctx context.Context, tables []string) error {
	for _, d := range derivedOf(tables) {
		if keyedBy(d.Table, tables) {
			if err := db.DDL(ctx, SQL("TRUNCATE TABLE "+db.Table(d.Table))); err != nil {
				return fmt.Errorf("empty clickhouse %s: %w", d.Table, err)
			}
		}
		if err := d.refresh(db, ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

// keyedBy reports whether derived table derived has one of tables as a
// keyed source.
func keyedBy(derived string, tables []string) bool {
	for _, t := range tables {
		for _, d := range DerivedFrom(t) {
			if d.Table == derived && d.Key != "" {
				return true
			}
		}
	}
	return false
}
