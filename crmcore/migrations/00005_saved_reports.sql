-- +goose Up
-- Saved reports (docs/api.md, /reports): a name, a report definition (the JSON
-- the report builder and the API take), its owner, and whether every
-- user may see it. Reports only; nothing here is mirrored to ClickHouse.
CREATE TABLE saved_reports (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    definition jsonb NOT NULL,
    owner_id   bigint NOT NULL REFERENCES users (id),
    shared     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_reports_owner_idx ON saved_reports (owner_id);
CREATE INDEX saved_reports_shared_idx ON saved_reports (shared) WHERE shared;

-- +goose Down
DROP TABLE saved_reports;
