-- +goose Up
-- Users, roles and authentication tokens.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'director', 'analyst', 'manager')),
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Sessions (cookie) and API tokens; only a SHA-256 of the token is stored.
CREATE TABLE auth_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('session', 'api')),
    name       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id);

-- Currencies and their rates to the rouble (RUB per unit, valid from a date).
CREATE TABLE currencies (
    code   char(3) PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    name   text NOT NULL,
    symbol text NOT NULL
);
CREATE TABLE currency_rates (
    code       char(3) NOT NULL REFERENCES currencies (code),
    valid_from date NOT NULL,
    rate       numeric(20, 8) NOT NULL CHECK (rate > 0),
    PRIMARY KEY (code, valid_from)
);
INSERT INTO currencies (code, name, symbol) VALUES
    ('RUB', 'Российский рубль', '₽'),
    ('USD', 'Доллар США', '$'),
    ('EUR', 'Евро', '€'),
    ('CNY', 'Китайский юань', '¥');
INSERT INTO currency_rates (code, valid_from, rate) VALUES
    ('RUB', '2000-01-01', 1),
    ('USD', '2000-01-01', 90),
    ('EUR', '2000-01-01', 98),
    ('CNY', '2000-01-01', 12.5);

-- Lead and deal sources: the `source` dimension of every report.
CREATE TABLE sources (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    name text NOT NULL
);
INSERT INTO sources (code, name) VALUES
    ('website', 'Сайт'),
    ('web_form', 'Веб-форма'),
    ('call', 'Звонок'),
    ('email', 'Электронная почта'),
    ('referral', 'Рекомендация'),
    ('exhibition', 'Выставка'),
    ('advertising', 'Реклама'),
    ('partner', 'Партнёр'),
    ('repeat', 'Повторная продажа'),
    ('import', 'Импорт'),
    ('other', 'Другое');

-- +goose Down
DROP TABLE sources, currency_rates, currencies, auth_tokens, users;
