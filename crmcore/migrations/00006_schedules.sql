-- +goose Up
-- Scheduled exports (docs/api.md, /schedules): a report (standard id or saved
-- report number), a cron expression in a time zone, the users it goes
-- to, and how. Each run is one row per (schedule, scheduled instant):
-- the unique key is what makes a run happen once however many
-- schedulers share the database. Deliveries record each recipient served,
-- so a retry only serves the rest. Nothing here is mirrored to ClickHouse.
CREATE TABLE export_schedules (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL CHECK (name <> ''),
    report_id     text NOT NULL CHECK (report_id <> ''),
    cron          text NOT NULL,
    timezone      text NOT NULL DEFAULT 'Europe/Moscow',
    period        text NOT NULL DEFAULT '',          -- a period preset replacing the report's, '' keeps it
    recipients    bigint[] NOT NULL CHECK (cardinality(recipients) > 0),
    per_recipient boolean NOT NULL DEFAULT true,     -- each recipient's own access, else the owner's for all
    working_days  boolean NOT NULL DEFAULT false,    -- skip weekends and holidays
    delivery      text NOT NULL DEFAULT 'auto' CHECK (delivery IN ('auto', 'email', 'folder')),
    format        text NOT NULL DEFAULT 'xlsx' CHECK (format = 'xlsx'),
    lang          text NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
    enabled       boolean NOT NULL DEFAULT true,
    owner_id      bigint NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX export_schedules_owner_idx ON export_schedules (owner_id);

CREATE TABLE export_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    schedule_id     bigint NOT NULL REFERENCES export_schedules (id) ON DELETE CASCADE,
    scheduled_for   timestamptz NOT NULL,
    trigger         text NOT NULL CHECK (trigger IN ('cron', 'catch_up', 'manual')),
    status          text NOT NULL CHECK (status IN ('running', 'retrying', 'succeeded', 'failed', 'skipped')),
    attempts        integer NOT NULL DEFAULT 0,
    error           text NOT NULL DEFAULT '',
    next_attempt_at timestamptz,                      -- when a retrying run is due
    lease_until     timestamptz,                      -- a running run whose lease passed is taken over
    worker          text NOT NULL DEFAULT '',
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (schedule_id, scheduled_for)
);
CREATE INDEX export_runs_pending_idx ON export_runs (next_attempt_at) WHERE status IN ('running', 'retrying');

CREATE TABLE export_deliveries (
    run_id       bigint NOT NULL REFERENCES export_runs (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id),
    via          text NOT NULL CHECK (via IN ('email', 'folder')),
    target       text NOT NULL,                       -- the address, or the file written
    file_name    text NOT NULL,
    rows         integer NOT NULL,
    bytes        bigint NOT NULL,
    delivered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, user_id)
);

-- The working-days calendar: weekends are days off unless listed as
-- 'workday' (a Saturday worked in exchange); weekdays are working days
-- unless listed as 'holiday'. Preloaded with the Russian production
-- calendar for 2026 (Government decree of 24.09.2025) and 2027 (public
-- holidays of Labour Code art. 112 and the transfers announced so far);
-- editable through /api/v1/holidays.
CREATE TABLE holidays (
    day  date PRIMARY KEY,
    kind text NOT NULL DEFAULT 'holiday' CHECK (kind IN ('holiday', 'workday')),
    name text NOT NULL CHECK (name <> '')
);
INSERT INTO holidays (day, kind, name) VALUES
    ('2026-01-01', 'holiday', 'Новогодние каникулы'),
    ('2026-01-02', 'holiday', 'Новогодние каникулы'),
    ('2026-01-03', 'holiday', 'Новогодние каникулы'),
    ('2026-01-04', 'holiday', 'Новогодние каникулы'),
    ('2026-01-05', 'holiday', 'Новогодние каникулы'),
    ('2026-01-06', 'holiday', 'Новогодние каникулы'),
    ('2026-01-07', 'holiday', 'Рождество Христово'),
    ('2026-01-08', 'holiday', 'Новогодние каникулы'),
    ('2026-01-09', 'holiday', 'Перенос выходного с 3 января'),
    ('2026-02-23', 'holiday', 'День защитника Отечества'),
    ('2026-03-08', 'holiday', 'Международный женский день'),
    ('2026-03-09', 'holiday', 'Перенос выходного с 8 марта'),
    ('2026-05-01', 'holiday', 'Праздник Весны и Труда'),
    ('2026-05-09', 'holiday', 'День Победы'),
    ('2026-05-11', 'holiday', 'Перенос выходного с 9 мая'),
    ('2026-06-12', 'holiday', 'День России'),
    ('2026-11-04', 'holiday', 'День народного единства'),
    ('2026-12-31', 'holiday', 'Перенос выходного с 4 января'),
    ('2027-01-01', 'holiday', 'Новогодние каникулы'),
    ('2027-01-02', 'holiday', 'Новогодние каникулы'),
    ('2027-01-03', 'holiday', 'Новогодние каникулы'),
    ('2027-01-04', 'holiday', 'Новогодние каникулы'),
    ('2027-01-05', 'holiday', 'Новогодние каникулы'),
    ('2027-01-06', 'holiday', 'Новогодние каникулы'),
    ('2027-01-07', 'holiday', 'Рождество Христово'),
    ('2027-01-08', 'holiday', 'Новогодние каникулы'),
    ('2027-02-23', 'holiday', 'День защитника Отечества'),
    ('2027-03-08', 'holiday', 'Международный женский день'),
    ('2027-05-01', 'holiday', 'Праздник Весны и Труда'),
    ('2027-05-03', 'holiday', 'Перенос выходного с 1 мая'),
    ('2027-05-09', 'holiday', 'День Победы'),
    ('2027-05-10', 'holiday', 'Перенос выходного с 9 мая'),
    ('2027-06-12', 'holiday', 'День России'),
    ('2027-06-14', 'holiday', 'Перенос выходного с 12 июня'),
    ('2027-11-04', 'holiday', 'День народного единства'),
    ('2027-11-05', 'holiday', 'Перенос выходного с 13 ноября (по проекту переноса)'),
    ('2027-11-13', 'workday', 'Рабочая суббота (по проекту переноса)');

-- +goose Down
DROP TABLE holidays;
DROP TABLE export_deliveries;
DROP TABLE export_runs;
DROP TABLE export_schedules;
