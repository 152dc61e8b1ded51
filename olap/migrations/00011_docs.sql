-- The documents of a deal (crmcore migration 00014, issue 19): contracts
-- (a small reference table, on every node of a cluster), orders and acts
-- (sharded by id like invoices), and the order an invoice names (last,
-- where PostgreSQL has it). An order's items are PostgreSQL's jsonb as
-- text.
CREATE TABLE IF NOT EXISTS contracts (
    id         Int64,
    company_id Int64,
    number     String,
    signed_at  Date,
    valid_to   Nullable(Date),
    created_at DateTime('UTC'),
    updated_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS orders (
    id          Int64,
    deal_id     Int64,
    contract_id Nullable(Int64),
    number      String,
    amount      Decimal(18, 2),
    currency    String,
    items       String,
    created_at  DateTime('UTC'),
    updated_at  DateTime('UTC'),
    _version    UInt64,
    _deleted    UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS acts (
    id         Int64,
    order_id   Int64,
    number     String,
    amount     Decimal(18, 2),
    signed_at  Date,
    created_at DateTime('UTC'),
    updated_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

ALTER TABLE invoices ADD COLUMN order_id Nullable(Int64) AFTER updated_at;
