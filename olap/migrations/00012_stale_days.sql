-- A stage's stale-deal rule (crmcore migration 00015, issue 20): days
-- after which an open deal in the stage without activity is stale, NULL
-- for none, where PostgreSQL has it (last). The stale_deals report reads
-- it from this copy. stages is a reference table, so on a cluster the
-- ALTER runs on one node and the replication log brings it to the rest
-- (docs/cluster.md). No rule existed before, so rows already there rightly
-- read NULL.
ALTER TABLE stages ADD COLUMN stale_days Nullable(Int32) AFTER stage_group;
