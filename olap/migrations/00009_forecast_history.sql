-- Forecast categories and the forecast's history (crmcore migration
-- 00010, issue 17). deals gets forecast_category where PostgreSQL has it
-- (last); deal_forecast_changes mirrors the history of a deal's expected
-- close date and category (append-only, ordered like stage_changes, so
-- on a cluster it is sharded by deal id beside the deal). deal_facts
-- repeats the column and carries the history as arrays in time order —
-- fc_times, fc_dates, fc_cats, the deal's values after each change — so
-- the forecast accuracy report finds a deal's forecast as of any instant
-- in the one row it reads (olap.RefreshDealFacts; this version's Go
-- backfill fills the arrays of deals already there). The arrays hold no
-- NULL: a change that left no date holds 0000-00-00 (toDate(0)), one that
-- left no category ''. 18.16 mishandles Nullable elements of arrays
-- (a block of empty Array(Nullable) columns fails a conditional, and one
-- crashed the server reading them), so none are kept.
ALTER TABLE deals ADD COLUMN forecast_category Nullable(String) AFTER expected_close_at;

CREATE TABLE IF NOT EXISTS deal_forecast_changes (
    id                Int64,
    deal_id           Int64,
    changed_at        DateTime('UTC'),
    changed_by        Nullable(Int64),
    expected_close_at Nullable(Date),
    forecast_category Nullable(String),
    _version          UInt64,
    _deleted          UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY (deal_id, changed_at, id);

ALTER TABLE deal_facts ADD COLUMN forecast_category Nullable(String) AFTER expected_close_at;

ALTER TABLE deal_facts ADD COLUMN fc_times Array(DateTime('UTC')) AFTER froms;

ALTER TABLE deal_facts ADD COLUMN fc_dates Array(Date) AFTER fc_times;

ALTER TABLE deal_facts ADD COLUMN fc_cats Array(String) AFTER fc_dates;
