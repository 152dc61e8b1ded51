-- The working-days calendar (crmcore's holidays: a weekday listed as
-- 'holiday' is a day off, a weekend day listed as 'workday' is worked),
-- read by the plan_fact report for its working days. A small reference
-- table, on every node of a cluster. An installation that streamed
-- before this version has its rows copied by ingest, which rebuilds a
-- newly mirrored table from a snapshot (docs/ingest.md).
CREATE TABLE IF NOT EXISTS holidays (
    day      Date,
    kind     String,
    name     String,
    _version UInt64,
    _deleted UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY day
