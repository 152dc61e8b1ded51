-- +goose Up
-- Alerts (docs/api.md, /alerts): one figure of a report (a standard id or
-- a saved report number; one measure, optionally one row by its key), a
-- condition, a check schedule and the users told. Each check is one
-- alert_runs row per (alert, scheduled instant): the unique key makes a
-- check happen once however many schedulers share the database, as
-- export_runs does for exports. A check reads the figure for each
-- recipient under their own access and records it in alert_checks (one
-- row per run and recipient: a retry serves only the rest);
-- alert_states is each recipient's standing — whether the condition
-- holds for them and since when, and when they were last told — so a
-- message goes when it becomes true, (optionally) again after
-- remind_days while it stays true, and once when it clears. Nothing here
-- is mirrored to ClickHouse.
CREATE TABLE alerts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (name <> ''),
    report_id    text NOT NULL CHECK (report_id <> ''),
    measure      text NOT NULL CHECK (measure <> ''),
    figure       text NOT NULL DEFAULT '',           -- the measure's (and row's) name in the alert's language, as saved
    unit         text NOT NULL DEFAULT 'number' CHECK (unit IN ('integer', 'number', 'money', 'percent')),
    cell         jsonb,                              -- the row's key columns and values; NULL: the totals row
    condition    text NOT NULL CHECK (condition IN ('below', 'above', 'drop_more_than', 'rise_more_than', 'forecast_below')),
    value        numeric NOT NULL,
    cron         text NOT NULL,
    timezone     text NOT NULL DEFAULT 'Europe/Moscow',
    working_days boolean NOT NULL DEFAULT false,
    recipients   bigint[] NOT NULL CHECK (cardinality(recipients) > 0),
    remind_days  integer CHECK (remind_days > 0),    -- NULL: no reminder while it stays true
    delivery     text NOT NULL DEFAULT 'auto' CHECK (delivery IN ('auto', 'email', 'folder')),
    lang         text NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
    enabled      boolean NOT NULL DEFAULT true,
    owner_id     bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_owner_idx ON alerts (owner_id);

CREATE TABLE alert_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    scheduled_for   timestamptz NOT NULL,
    trigger         text NOT NULL CHECK (trigger IN ('cron', 'catch_up', 'manual')),
    status          text NOT NULL CHECK (status IN ('running', 'retrying', 'succeeded', 'failed', 'skipped')),
    attempts        integer NOT NULL DEFAULT 0,
    error           text NOT NULL DEFAULT '',
    next_attempt_at timestamptz,
    lease_until     timestamptz,
    worker          text NOT NULL DEFAULT '',
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (alert_id, scheduled_for)
);
CREATE INDEX alert_runs_pending_idx ON alert_runs (next_attempt_at) WHERE status IN ('running', 'retrying');

CREATE TABLE alert_checks (
    run_id     bigint NOT NULL REFERENCES alert_runs (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    value      numeric,                              -- the figure for this user; NULL: no such row, or no value
    compared   numeric,                              -- the previous period's (change conditions), or the plan (forecast_below)
    holds      boolean NOT NULL,                     -- the condition is true for this user
    event      text NOT NULL CHECK (event IN ('fired', 'reminded', 'cleared', 'none')),
    via        text NOT NULL DEFAULT '' CHECK (via IN ('', 'email', 'folder')),
    target     text NOT NULL DEFAULT '',             -- the address, or the file written; '' when nothing was sent
    checked_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, user_id)
);

CREATE TABLE alert_states (
    alert_id   bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    holds      boolean NOT NULL,
    since      timestamptz NOT NULL,                 -- when it last became true or false
    told_at    timestamptz,                          -- the last message sent
    value      numeric,                              -- the last figure read
    PRIMARY KEY (alert_id, user_id)
);

-- +goose Down
DROP TABLE alert_states, alert_checks, alert_runs, alerts;
