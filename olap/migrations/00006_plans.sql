-- Sales plans (crmcore's plans, issue 17): a small reference table, on
-- every node of a cluster, read by the plan_fact and forecast reports.
CREATE TABLE IF NOT EXISTS plans (
    id             Int64,
    metric         String,
    month          Date,
    pipeline_id    Nullable(Int64),
    responsible_id Int64,
    value          Decimal(18, 2),
    updated_at     DateTime('UTC'),
    updated_by     Nullable(Int64),
    _version       UInt64,
    _deleted       UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id
