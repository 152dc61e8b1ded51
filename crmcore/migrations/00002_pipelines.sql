-- +goose Up
-- Pipelines, their ordered stages and the explicit graph of allowed
-- transitions. Stage ids are stable: history refers to ids, reports label
-- by the current name, so renaming or reordering keeps the past consistent.
CREATE TABLE pipelines (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    name       text NOT NULL,
    entity     text NOT NULL CHECK (entity IN ('lead', 'deal')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pipeline_id bigint NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    name        text NOT NULL,
    position    int NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('open', 'won', 'lost', 'paused')),
    probability smallint NOT NULL CHECK (probability BETWEEN 0 AND 100),
    stage_group text NOT NULL,
    UNIQUE (pipeline_id, code)
);

CREATE TABLE stage_transitions (
    pipeline_id   bigint NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    from_stage_id bigint NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    to_stage_id   bigint NOT NULL REFERENCES stages (id) ON DELETE CASCADE,
    PRIMARY KEY (from_stage_id, to_stage_id),
    CHECK (from_stage_id <> to_stage_id)
);

-- +goose Down
DROP TABLE stage_transitions, stages, pipelines;
