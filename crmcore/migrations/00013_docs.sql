-- +goose Up
-- The documents of a deal (issue 19, Citeck ECOS): a contract with a
-- company, an order of a deal (under a contract, or none) that fixes the
-- amount and the deal's products at the time, the invoices that bill it
-- and the acts that close it. crmcore/docs keeps the rules a table cannot
-- (a contract of the deal's company, the acts of an order never above its
-- amount: the order row is locked while an act is written).
CREATE TABLE contracts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id bigint NOT NULL REFERENCES companies (id),
    number     text NOT NULL,
    signed_at  date NOT NULL,
    valid_to   date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contracts_number_key UNIQUE (company_id, number),
    CONSTRAINT contracts_valid_to_check CHECK (valid_to IS NULL OR valid_to >= signed_at)
);

-- items: the deal's products when the order was made, as
-- [{product_id, name, quantity, price, discount}] (a snapshot: later
-- changes of the deal's items do not change an order).
CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id     bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    contract_id bigint REFERENCES contracts (id),
    number      text NOT NULL,
    amount      numeric(18, 2) NOT NULL CONSTRAINT orders_amount_check CHECK (amount > 0),
    currency    char(3) NOT NULL REFERENCES currencies (code),
    items       jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_number_key UNIQUE (deal_id, number)
);
CREATE INDEX orders_deal_idx ON orders (deal_id);
CREATE INDEX orders_contract_idx ON orders (contract_id);
-- an order's number is unique under its contract too
CREATE UNIQUE INDEX orders_contract_number_key ON orders (contract_id, number) WHERE contract_id IS NOT NULL;

CREATE TABLE acts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    number     text NOT NULL,
    amount     numeric(18, 2) NOT NULL CONSTRAINT acts_amount_check CHECK (amount > 0),
    signed_at  date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT acts_number_key UNIQUE (order_id, number)
);
CREATE INDEX acts_order_idx ON acts (order_id);

-- Appended last, so the ClickHouse mirror's column order (olap migration
-- 00013) follows the parity rule.
ALTER TABLE invoices ADD COLUMN order_id bigint REFERENCES orders (id);
CREATE INDEX invoices_order_idx ON invoices (order_id);

-- +goose Down
ALTER TABLE invoices DROP COLUMN order_id;
DROP TABLE acts, orders, contracts;
