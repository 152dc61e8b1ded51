-- +goose Up
CREATE TABLE companies (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL,
    inn            text CHECK (inn ~ '^([0-9]{10}|[0-9]{12})$'),
    phone          text,
    email          text,
    address        text,
    responsible_id bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX companies_responsible_idx ON companies (responsible_id);

CREATE TABLE contacts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_name     text NOT NULL,
    last_name      text NOT NULL DEFAULT '',
    middle_name    text NOT NULL DEFAULT '',
    phone          text,
    email          text,
    position       text,
    company_id     bigint REFERENCES companies (id),
    responsible_id bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_company_idx ON contacts (company_id);

CREATE TABLE deals (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title          text NOT NULL,
    pipeline_id    bigint NOT NULL REFERENCES pipelines (id),
    stage_id       bigint NOT NULL REFERENCES stages (id),
    amount         numeric(18, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency       char(3) NOT NULL REFERENCES currencies (code),
    responsible_id bigint NOT NULL REFERENCES users (id),
    company_id     bigint REFERENCES companies (id),
    contact_id     bigint REFERENCES contacts (id),
    source         text REFERENCES sources (code),
    lead_id        bigint,
    lost_reason    text,
    created_by     bigint REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz
);
CREATE INDEX deals_responsible_idx ON deals (responsible_id, id);
CREATE INDEX deals_pipeline_stage_idx ON deals (pipeline_id, stage_id, id);
CREATE INDEX deals_created_idx ON deals (created_at);

CREATE TABLE deal_observers (
    deal_id bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (deal_id, user_id)
);
CREATE INDEX deal_observers_user_idx ON deal_observers (user_id);

-- Append-only: written in the same transaction as every stage change.
-- from_stage_id is NULL for the entry into the first stage at creation.
CREATE TABLE stage_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id       bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    pipeline_id   bigint NOT NULL REFERENCES pipelines (id),
    from_stage_id bigint REFERENCES stages (id),
    to_stage_id   bigint NOT NULL REFERENCES stages (id),
    changed_at    timestamptz NOT NULL,
    changed_by    bigint REFERENCES users (id),
    reason        text
);
CREATE INDEX stage_changes_deal_idx ON stage_changes (deal_id, changed_at);

CREATE TABLE leads (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title               text NOT NULL,
    source              text NOT NULL REFERENCES sources (code),
    stage_id            bigint NOT NULL REFERENCES stages (id),
    responsible_id      bigint NOT NULL REFERENCES users (id),
    contact_name        text NOT NULL DEFAULT '',
    contact_phone       text,
    contact_email       text,
    company_name        text NOT NULL DEFAULT '',
    contact_id          bigint REFERENCES contacts (id),
    company_id          bigint REFERENCES companies (id),
    disqualify_reason   text,
    deal_id             bigint REFERENCES deals (id),
    created_by          bigint REFERENCES users (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    converted_at        timestamptz
);
CREATE INDEX leads_responsible_idx ON leads (responsible_id, id);
CREATE INDEX leads_created_idx ON leads (created_at);
ALTER TABLE deals ADD CONSTRAINT deals_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (id);

CREATE TABLE lead_status_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id       bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    from_stage_id bigint REFERENCES stages (id),
    to_stage_id   bigint NOT NULL REFERENCES stages (id),
    changed_at    timestamptz NOT NULL,
    changed_by    bigint REFERENCES users (id),
    reason        text
);
CREATE INDEX lead_status_changes_lead_idx ON lead_status_changes (lead_id, changed_at);

CREATE TABLE activities (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type       text NOT NULL CHECK (type IN ('call', 'email', 'meeting', 'task')),
    subject    text NOT NULL,
    owner_id   bigint NOT NULL REFERENCES users (id),
    deal_id    bigint REFERENCES deals (id) ON DELETE CASCADE,
    lead_id    bigint REFERENCES leads (id) ON DELETE CASCADE,
    direction  text CHECK (direction IN ('in', 'out')),
    duration_s int CHECK (duration_s >= 0),
    due_at     timestamptz,
    done_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_owner_idx ON activities (owner_id, created_at);
CREATE INDEX activities_deal_idx ON activities (deal_id);
CREATE INDEX activities_lead_idx ON activities (lead_id);

CREATE TABLE products (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    sku        text UNIQUE,
    price      numeric(18, 2) NOT NULL CHECK (price >= 0),
    currency   char(3) NOT NULL REFERENCES currencies (code),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deal_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id    bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES products (id),
    quantity   numeric(12, 3) NOT NULL CHECK (quantity > 0),
    price      numeric(18, 2) NOT NULL CHECK (price >= 0),
    discount   numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 100)
);
CREATE INDEX deal_items_deal_idx ON deal_items (deal_id);

CREATE TABLE invoices (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id    bigint NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    number     text NOT NULL UNIQUE,
    amount     numeric(18, 2) NOT NULL CHECK (amount >= 0),
    currency   char(3) NOT NULL REFERENCES currencies (code),
    status     text NOT NULL CHECK (status IN ('draft', 'issued', 'paid', 'cancelled')),
    issued_at  timestamptz NOT NULL,
    due_at     timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (due_at >= issued_at)
);
CREATE INDEX invoices_deal_idx ON invoices (deal_id);

CREATE TABLE payments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    amount     numeric(18, 2) NOT NULL CHECK (amount > 0),
    status     text NOT NULL CHECK (status IN ('planned', 'paid')),
    planned_at timestamptz,
    paid_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'paid' OR paid_at IS NOT NULL),
    CHECK (status <> 'planned' OR planned_at IS NOT NULL)
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);

-- +goose Down
DROP TABLE payments, invoices, deal_items, products, activities,
    lead_status_changes, deal_observers, stage_changes;
ALTER TABLE deals DROP CONSTRAINT deals_lead_fk;
DROP TABLE leads, deals, contacts, companies;
