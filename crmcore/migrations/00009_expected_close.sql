-- +goose Up
-- The date a deal is expected to close (issue 17): a calendar date, no
-- time or zone, set by its people; the forecast report sums the open
-- deals by the month it falls in (../shared/API.md, "Plans and
-- forecasts"). Appended last, so the ClickHouse mirror's order (olap
-- migration 00007) follows the parity rule.
ALTER TABLE deals ADD COLUMN expected_close_at date;

-- +goose Down
ALTER TABLE deals DROP COLUMN expected_close_at;
