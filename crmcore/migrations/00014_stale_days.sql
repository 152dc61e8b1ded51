-- +goose Up
-- Stale deals (issue 20): a stage's rule, the number of days after
-- which an open deal in it without activity is stale (docs/reports.md,
-- "Stale deals"); NULL is no rule. Closed deals are never stale, so a
-- won or lost stage holds none (crmcore refuses one with 422). Appended
-- last, so the ClickHouse mirror's order (olap migration 00014) follows
-- the parity rule.
ALTER TABLE stages ADD COLUMN stale_days int CHECK (stale_days > 0);

-- +goose Down
ALTER TABLE stages DROP COLUMN stale_days;
