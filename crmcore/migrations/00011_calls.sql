-- +goose Up
-- Call logs from the telephony server (issue 19).
--
-- A user's extension (SIP login) is how a PBX names them: 101,
-- ivanov. NULL when not set; unique when set. Appended last, so the
-- ClickHouse mirror's column order (olap migration 00012) follows the
-- parity rule.
ALTER TABLE users ADD COLUMN extension text;
CREATE UNIQUE INDEX users_extension_key ON users (extension);

-- Each imported call once: its source key (the CDR's uniqueid, or a
-- hash of start, numbers and channel) names the activity it became, so
-- importing the same file again adds nothing. contact_id is the contact
-- its number matched (the activity itself links to a deal or a lead);
-- phone the other party's number as a duplicate key (voronka_phone_key).
CREATE TABLE call_imports (
    source_key  text PRIMARY KEY,
    activity_id bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    contact_id  bigint REFERENCES contacts (id) ON DELETE SET NULL,
    phone       text NOT NULL DEFAULT '',
    imported_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_imports_activity_idx ON call_imports (activity_id);

-- Call imports are import runs too.
ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check,
    ADD CONSTRAINT import_runs_kind_check CHECK (kind IN ('leads', 'contacts', 'companies', 'calls'));
ALTER TABLE import_runs DROP CONSTRAINT import_runs_format_check,
    ADD CONSTRAINT import_runs_format_check CHECK (format IN ('csv', 'vcard', 'asterisk', 'plain'));

-- +goose Down
DELETE FROM import_runs WHERE kind = 'calls';
ALTER TABLE import_runs DROP CONSTRAINT import_runs_format_check,
    ADD CONSTRAINT import_runs_format_check CHECK (format IN ('csv', 'vcard'));
ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check,
    ADD CONSTRAINT import_runs_kind_check CHECK (kind IN ('leads', 'contacts', 'companies'));
DROP TABLE call_imports;
DROP INDEX users_extension_key;
ALTER TABLE users DROP COLUMN extension;
