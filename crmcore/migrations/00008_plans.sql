-- +goose Up
-- Sales plans (план): a target per metric, calendar month (Moscow), optional
-- pipeline and responsible manager. One row per key; a missing row is no
-- plan. The metrics' facts are counted by the plan_fact report
-- (../shared/API.md, "Plans and forecasts").
CREATE TABLE plans (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    metric         text NOT NULL CHECK (metric IN ('won_amount', 'won_count', 'new_deals', 'calls', 'meetings')),
    month          date NOT NULL CHECK (extract(day FROM month) = 1),
    pipeline_id    bigint REFERENCES pipelines (id),
    responsible_id bigint NOT NULL REFERENCES users (id),
    value          numeric(18, 2) NOT NULL CHECK (value >= 0),
    updated_at     timestamptz NOT NULL,
    updated_by     bigint REFERENCES users (id)
);
-- one target per key; a plan for all pipelines has no pipeline (0 here)
CREATE UNIQUE INDEX plans_key ON plans (metric, month, (coalesce(pipeline_id, 0)), responsible_id);

-- +goose Down
DROP TABLE plans;
