-- +goose Up
-- Lead intake (web forms, imports, mailbox) and duplicate control.
--
-- Duplicate keys are computed by the database from the stored columns
-- (IMMUTABLE functions + expression indexes), so every writer — the API,
-- imports, COPY in the seed — gets them and a duplicate search is an index
-- lookup. crmcore/dupkey.go computes the same keys in Go (for matching
-- inside one import file); a test checks both agree on every rule's cases.
-- Letters are lowered by an explicit table (not lower()), so the result
-- does not depend on the database's locale.

-- +goose StatementBegin
CREATE FUNCTION voronka_norm_text(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT btrim(regexp_replace(
    translate(s,
        'ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё',
        'abcdefghijklmnopqrstuvwxyzабвгдеежзийклмнопрстуфхцчшщъыьэюяе'),
    '[^a-z0-9а-я]+', ' ', 'g'))
$$;

-- Phones: digits only; 11 digits starting 7 or 8, or 10 digits, are a
-- Russian number written as 7XXXXXXXXXX; fewer than 6 digits is no key.
CREATE FUNCTION voronka_phone_key(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN length(d) < 6 THEN NULL
    WHEN length(d) = 11 AND left(d, 1) IN ('7', '8') THEN '7' || substr(d, 2)
    WHEN length(d) = 10 THEN '7' || d
    ELSE d END
FROM (SELECT regexp_replace(coalesce(p, ''), '[^0-9]', '', 'g') AS d) x
$$;

-- E-mails: trimmed, case-insensitive; no @ is no key.
CREATE FUNCTION voronka_email_key(e text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN position('@' IN k) > 1 THEN k END
FROM (SELECT translate(btrim(coalesce(e, '')),
        'ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё',
        'abcdefghijklmnopqrstuvwxyzабвгдеежзийклмнопрстуфхцчшщъыьэюяе') AS k) x
$$;

-- Companies: words without legal forms (spelled out or abbreviated, in
-- any position), quotes, hyphens, punctuation and case, glued together:
-- «ООО "Альфа-Строй"», "Альфа Строй, ООО" and "АльфаСтрой LLC" → альфастрой.
CREATE FUNCTION voronka_company_key(n text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT nullif(string_agg(w, '' ORDER BY i), '')
FROM unnest(string_to_array(regexp_replace(' ' || voronka_norm_text(coalesce(n, '')) || ' ',
    ' (общество с ограниченной ответственностью|закрытое акционерное общество|открытое акционерное общество|публичное акционерное общество|непубличное акционерное общество|акционерное общество|индивидуальный предприниматель|некоммерческая организация|limited liability company) ',
    ' ', 'g'), ' ')) WITH ORDINALITY AS t(w, i)
WHERE w <> '' AND w NOT IN ('ооо', 'зао', 'оао', 'пао', 'ао', 'нао', 'ип', 'нко', 'ано', 'гуп', 'муп', 'фгуп',
    'llc', 'ltd', 'inc', 'gmbh', 'corp', 'plc', 'co', 'ag', 'sa', 'bv', 'oy', 'ab')
$$;

-- People: the words of the name (without patronymics when there are three
-- or more words) sorted, at least two of them: first name alone is no key.
CREATE FUNCTION voronka_person_key(n text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
WITH w AS (SELECT x FROM unnest(string_to_array(voronka_norm_text(coalesce(n, '')), ' ')) AS x WHERE x <> ''),
     c AS (SELECT count(*) AS n FROM w),
     k AS (SELECT x FROM w, c WHERE c.n < 3 OR x !~ '(ич|вна|ична)$')
SELECT CASE WHEN count(*) >= 2 THEN string_agg(x, ' ' ORDER BY x COLLATE "C") END FROM k
$$;
-- +goose StatementEnd

CREATE INDEX leads_phone_key_idx ON leads (voronka_phone_key(contact_phone));
CREATE INDEX leads_email_key_idx ON leads (voronka_email_key(contact_email));
CREATE INDEX leads_person_key_idx ON leads (voronka_person_key(contact_name));
CREATE INDEX leads_company_key_idx ON leads (voronka_company_key(company_name));
CREATE INDEX contacts_phone_key_idx ON contacts (voronka_phone_key(phone));
CREATE INDEX contacts_email_key_idx ON contacts (voronka_email_key(email));
CREATE INDEX contacts_person_key_idx ON contacts (voronka_person_key(last_name || ' ' || first_name));
CREATE INDEX companies_name_key_idx ON companies (voronka_company_key(name));
CREATE INDEX companies_phone_key_idx ON companies (voronka_phone_key(phone));
CREATE INDEX companies_email_key_idx ON companies (voronka_email_key(email));
CREATE INDEX companies_inn_idx ON companies (inn);

-- Web-form keys: the public POST /forms/{key} creates leads with this
-- mapping (form field → lead field), responsible and source.
CREATE TABLE form_keys (
    key            text PRIMARY KEY CHECK (key ~ '^[a-z0-9]{16,64}$'),
    name           text NOT NULL,
    mapping        jsonb NOT NULL,
    responsible_id bigint NOT NULL REFERENCES users (id),
    source         text NOT NULL REFERENCES sources (code),
    active         boolean NOT NULL DEFAULT true,
    created_by     bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Merge history: the record merged away (its row as JSON) and what moved.
CREATE TABLE merges (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity     text NOT NULL CHECK (entity IN ('lead', 'contact', 'company')),
    kept_id    bigint NOT NULL,
    merged_id  bigint NOT NULL,
    merged_row jsonb NOT NULL,
    moved      jsonb NOT NULL,
    merged_by  bigint REFERENCES users (id),
    merged_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX merges_kept_idx ON merges (entity, kept_id);

-- Import runs: one row per applied (or dry) import with its tallies.
CREATE TABLE import_runs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('leads', 'contacts', 'companies')),
    format      text NOT NULL CHECK (format IN ('csv', 'vcard')),
    file_name   text NOT NULL DEFAULT '',
    dry_run     boolean NOT NULL,
    total       int NOT NULL,
    created     int NOT NULL,
    updated     int NOT NULL,
    skipped     int NOT NULL,
    failed      int NOT NULL,
    run_by      bigint REFERENCES users (id),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL
);

-- Mailbox intake: each processed message once (by Message-ID), with the
-- body text the lead or activity came from.
CREATE TABLE mail_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  text NOT NULL UNIQUE,
    from_addr   text NOT NULL,
    from_name   text NOT NULL DEFAULT '',
    subject     text NOT NULL DEFAULT '',
    body        text NOT NULL DEFAULT '',
    lead_id     bigint REFERENCES leads (id) ON DELETE SET NULL,
    activity_id bigint REFERENCES activities (id) ON DELETE SET NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE mail_messages, import_runs, merges, form_keys;
DROP INDEX leads_phone_key_idx, leads_email_key_idx, leads_person_key_idx, leads_company_key_idx,
    contacts_phone_key_idx, contacts_email_key_idx, contacts_person_key_idx,
    companies_name_key_idx, companies_phone_key_idx, companies_email_key_idx, companies_inn_idx;
DROP FUNCTION voronka_person_key(text), voronka_company_key(text), voronka_email_key(text),
    voronka_phone_key(text), voronka_norm_text(text);
