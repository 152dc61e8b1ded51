-- The analytics copy of the CRM: one table per mirrored PostgreSQL table,
-- same names, same columns (types as olap.CHType maps them), plus
-- _version (commit LSN of the change) and _deleted (1 = deleted).
-- ReplacingMergeTree(_version) keeps the highest version per sorting key,
-- so replaying a batch is harmless; read current state with
-- FINAL ... WHERE _deleted = 0. Only SQL that ClickHouse 18.16 and current
-- releases both accept: ENGINE ... ORDER BY, no DateTime64, no Map.
-- Every statement is idempotent (IF NOT EXISTS): ClickHouse has no
-- transactional DDL, so a half-applied migration is simply run again.

CREATE TABLE IF NOT EXISTS users (
    id         Int64,
    email      String,
    name       String,
    role       String,
    active     UInt8,
    created_at DateTime('UTC'),
    updated_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS currencies (
    code     String,
    name     String,
    symbol   String,
    _version UInt64,
    _deleted UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY code;

CREATE TABLE IF NOT EXISTS currency_rates (
    code       String,
    valid_from Date,
    rate       Decimal(20, 8),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY (code, valid_from);

CREATE TABLE IF NOT EXISTS sources (
    code     String,
    name     String,
    _version UInt64,
    _deleted UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY code;

CREATE TABLE IF NOT EXISTS pipelines (
    id         Int64,
    code       String,
    name       String,
    entity     String,
    created_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS stages (
    id          Int64,
    pipeline_id Int64,
    code        String,
    name        String,
    position    Int32,
    kind        String,
    probability Int16,
    stage_group String,
    _version    UInt64,
    _deleted    UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS stage_transitions (
    pipeline_id   Int64,
    from_stage_id Int64,
    to_stage_id   Int64,
    _version      UInt64,
    _deleted      UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY (from_stage_id, to_stage_id);

CREATE TABLE IF NOT EXISTS companies (
    id             Int64,
    name           String,
    inn            Nullable(String),
    phone          Nullable(String),
    email          Nullable(String),
    address        Nullable(String),
    responsible_id Nullable(Int64),
    created_at     DateTime('UTC'),
    updated_at     DateTime('UTC'),
    _version       UInt64,
    _deleted       UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS contacts (
    id             Int64,
    first_name     String,
    last_name      String,
    middle_name    String,
    phone          Nullable(String),
    email          Nullable(String),
    position       Nullable(String),
    company_id     Nullable(Int64),
    responsible_id Nullable(Int64),
    created_at     DateTime('UTC'),
    updated_at     DateTime('UTC'),
    _version       UInt64,
    _deleted       UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS deals (
    id             Int64,
    title          String,
    pipeline_id    Int64,
    stage_id       Int64,
    amount         Decimal(18, 2),
    currency       String,
    responsible_id Int64,
    company_id     Nullable(Int64),
    contact_id     Nullable(Int64),
    source         Nullable(String),
    lead_id        Nullable(Int64),
    lost_reason    Nullable(String),
    created_by     Nullable(Int64),
    created_at     DateTime('UTC'),
    updated_at     DateTime('UTC'),
    closed_at      Nullable(DateTime('UTC')),
    _version       UInt64,
    _deleted       UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS deal_observers (
    deal_id  Int64,
    user_id  Int64,
    _version UInt64,
    _deleted UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY (deal_id, user_id);

-- Stage history, ordered for funnels: one deal's path is contiguous and in
-- time order. Append-only in PostgreSQL; ReplacingMergeTree only so that a
-- replayed batch is never counted twice (a delete marker must carry
-- deal_id and changed_at, the sorting key, not only id).
CREATE TABLE IF NOT EXISTS stage_changes (
    id            Int64,
    deal_id       Int64,
    pipeline_id   Int64,
    from_stage_id Nullable(Int64),
    to_stage_id   Int64,
    changed_at    DateTime('UTC'),
    changed_by    Nullable(Int64),
    reason        Nullable(String),
    _version      UInt64,
    _deleted      UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY (deal_id, changed_at, id);

CREATE TABLE IF NOT EXISTS leads (
    id                Int64,
    title             String,
    source            String,
    stage_id          Int64,
    responsible_id    Int64,
    contact_name      String,
    contact_phone     Nullable(String),
    contact_email     Nullable(String),
    company_name      String,
    contact_id        Nullable(Int64),
    company_id        Nullable(Int64),
    disqualify_reason Nullable(String),
    deal_id           Nullable(Int64),
    created_by        Nullable(Int64),
    created_at        DateTime('UTC'),
    updated_at        DateTime('UTC'),
    converted_at      Nullable(DateTime('UTC')),
    _version          UInt64,
    _deleted          UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

-- Lead status history, ordered like stage_changes.
CREATE TABLE IF NOT EXISTS lead_status_changes (
    id            Int64,
    lead_id       Int64,
    from_stage_id Nullable(Int64),
    to_stage_id   Int64,
    changed_at    DateTime('UTC'),
    changed_by    Nullable(Int64),
    reason        Nullable(String),
    _version      UInt64,
    _deleted      UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY (lead_id, changed_at, id);

CREATE TABLE IF NOT EXISTS activities (
    id         Int64,
    type       String,
    subject    String,
    owner_id   Int64,
    deal_id    Nullable(Int64),
    lead_id    Nullable(Int64),
    direction  Nullable(String),
    duration_s Nullable(Int32),
    due_at     Nullable(DateTime('UTC')),
    done_at    Nullable(DateTime('UTC')),
    created_at DateTime('UTC'),
    updated_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS products (
    id         Int64,
    name       String,
    sku        Nullable(String),
    price      Decimal(18, 2),
    currency   String,
    active     UInt8,
    created_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS deal_items (
    id         Int64,
    deal_id    Int64,
    product_id Int64,
    quantity   Decimal(12, 3),
    price      Decimal(18, 2),
    discount   Decimal(5, 2),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS invoices (
    id         Int64,
    deal_id    Int64,
    number     String,
    amount     Decimal(18, 2),
    currency   String,
    status     String,
    issued_at  DateTime('UTC'),
    due_at     DateTime('UTC'),
    created_at DateTime('UTC'),
    updated_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;

CREATE TABLE IF NOT EXISTS payments (
    id         Int64,
    invoice_id Int64,
    amount     Decimal(18, 2),
    status     String,
    planned_at Nullable(DateTime('UTC')),
    paid_at    Nullable(DateTime('UTC')),
    created_at DateTime('UTC'),
    updated_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY id;
