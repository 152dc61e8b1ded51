-- +goose Up
-- Forecast categories and the history of a deal's forecast (issue 17).
--
-- forecast_category is set by hand (commit, best_case, pipeline) or left
-- NULL: the forecast then takes the category of the deal's stage
-- probability (reports/kinds/forecast.go, forecastCategorySQL).
-- Appended last, so the ClickHouse mirror's column order (olap migration
-- 00009) follows the parity rule.
ALTER TABLE deals ADD COLUMN forecast_category text
    CHECK (forecast_category IN ('commit', 'best_case', 'pipeline'));

-- Append-only: one row each time a deal's expected close date or
-- forecast category is set or changed (at creation too), written in the
-- same transaction as the change. It says what the forecast of any past
-- instant was — the forecast accuracy report reads the state as of the
-- start of a month. changed_at is the deal's updated_at (created_at at
-- creation); the values are the deal's after the change.
CREATE TABLE deal_forecast_changes (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id           bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    changed_at        timestamptz NOT NULL,
    changed_by        bigint REFERENCES users (id),
    expected_close_at date,
    forecast_category text
);
CREATE INDEX deal_forecast_changes_deal_idx ON deal_forecast_changes (deal_id, changed_at);

-- A deal dated before this version: its date is known from its last
-- change on (the history cannot say more).
INSERT INTO deal_forecast_changes (deal_id, changed_at, expected_close_at)
SELECT id, updated_at, expected_close_at FROM deals WHERE expected_close_at IS NOT NULL ORDER BY id;

-- +goose Down
DROP TABLE deal_forecast_changes;
ALTER TABLE deals DROP COLUMN forecast_category;
