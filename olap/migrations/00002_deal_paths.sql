-- Per-deal stage path: every deal's stage changes as parallel arrays in
-- time order (changed_at, then id), one row per deal. Derived from
-- stage_changes by olap.RefreshDealPaths: ingest calls it after each batch
-- that touches stage_changes and rebuilds the table after its initial
-- load; on a database that already holds stage_changes, this version's Go
-- backfill (olap/migrate.go) fills it. The funnel reads one short row per
-- cohort deal instead of grouping the change history at query time
-- (BENCHMARKS.md, "Reports").
--
-- _version is the highest _version among the deal's stage_changes rows
-- (delete markers included), so a newer path always replaces an older one.
-- Arrays of scalars, not Array(Tuple(...)): 18.16 stores the latter as
-- flattened nested columns.
CREATE TABLE IF NOT EXISTS deal_paths (
    deal_id  Int64,
    times    Array(DateTime('UTC')),
    ids      Array(Int64),
    stages   Array(Int64),
    _version UInt64
) ENGINE = ReplacingMergeTree(_version) ORDER BY deal_id;
