-- +goose Up
-- Deal merge (issue 19): the merge history takes deals too. A merged
-- deal's stage changes and forecast changes are deleted with it (the
-- kept deal's path is its own); the log keeps them in history, by table,
-- and their numbers in removed. Both are empty objects for the other
-- entities.
ALTER TABLE merges DROP CONSTRAINT merges_entity_check;
ALTER TABLE merges ADD CONSTRAINT merges_entity_check CHECK (entity IN ('lead', 'contact', 'company', 'deal'));
ALTER TABLE merges ADD COLUMN removed jsonb NOT NULL DEFAULT '{}';
ALTER TABLE merges ADD COLUMN history jsonb NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE merges DROP COLUMN history;
ALTER TABLE merges DROP COLUMN removed;
DELETE FROM merges WHERE entity = 'deal';
ALTER TABLE merges DROP CONSTRAINT merges_entity_check;
ALTER TABLE merges ADD CONSTRAINT merges_entity_check CHECK (entity IN ('lead', 'contact', 'company'));
