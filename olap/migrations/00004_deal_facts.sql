-- Per-deal facts: one row per deal with everything the deal-level report
-- kinds (funnel, stage percentages, manager figures) read, so that they
-- scan one table without joins. Derived by olap.RefreshDealFacts from
-- deals (its columns as they are), currency_rates (rub: the amount in
-- roubles at the rate valid on the creation date in Moscow, rounded half
-- up to the kopeck, 0 without a rate) and stage_changes (the path: every
-- live change in time order, then id — times, stages entered, stages
-- left, a missing from_stage_id as 0). Ingest refreshes the deals a
-- batch touches (a deal by id, a stage change by deal_id; a rate change
-- refreshes every deal) and rebuilds the table after its initial load;
-- this version's Go backfill (olap/migrate.go) fills it on a database
-- that already holds deals. Measured on 1 M deals (BENCHMARKS.md, "Fresh
-- answers"): the funnel 1.8x, the manager figures' forward moves 3.4x
-- cheaper than reading deals, currency_rates, deal_paths and
-- stage_changes at query time.
--
-- _version is the highest _version among the deal's row, its
-- stage_changes rows (delete markers included) and every currency_rates
-- row, so a newer state always replaces an older one; _deleted is the
-- deal's.
CREATE TABLE IF NOT EXISTS deal_facts (
    id             Int64,
    title          String,
    pipeline_id    Int64,
    stage_id       Int64,
    amount         Decimal(18, 2),
    currency       String,
    responsible_id Int64,
    company_id     Nullable(Int64),
    contact_id     Nullable(Int64),
    source         Nullable(String),
    lead_id        Nullable(Int64),
    lost_reason    Nullable(String),
    created_by     Nullable(Int64),
    created_at     DateTime('UTC'),
    updated_at     DateTime('UTC'),
    closed_at      Nullable(DateTime('UTC')),
    rub            Decimal(38, 2),
    times          Array(DateTime('UTC')),
    stages         Array(Int64),
    froms          Array(Int64),
    _version       UInt64,
    _deleted       UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;
