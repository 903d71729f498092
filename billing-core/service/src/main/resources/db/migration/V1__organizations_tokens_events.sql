-- billing-core's first tables: tenants, the tokens they call with, and their usage events.
-- The events table is the head of the warehouse pipeline (docs/architecture.md, "Event flow"):
-- its columns are a contract with the CDC runner and the raw-events Flink job.

CREATE TABLE organizations (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    slug        text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each token is stored; the plaintext is shown once, when it is issued.
CREATE TABLE organization_access_tokens (
    id               uuid        PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    token_hash       bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    scopes           text[]      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);

CREATE INDEX organization_access_tokens_organization ON organization_access_tokens (organization_id);

-- Polar's event shape. customer_id has no foreign key until billing-core has a customers table.
-- REPLICA IDENTITY stays DEFAULT (the primary key): events are insert-only, so CDC needs no old row.
CREATE TABLE events (
    id                    uuid        PRIMARY KEY,
    organization_id       uuid        NOT NULL REFERENCES organizations (id),
    customer_id           uuid,
    external_customer_id  text,
    external_id           text,
    name                  text        NOT NULL,
    timestamp             timestamptz NOT NULL,
    metadata              jsonb       NOT NULL DEFAULT '{}',
    source                text        NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'system')),
    ingested_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_have_a_customer CHECK (customer_id IS NOT NULL OR external_customer_id IS NOT NULL),
    CONSTRAINT events_metadata_is_an_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- external_id is the organisation's idempotency key: ingest relies on this index with ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX events_organization_external_id ON events (organization_id, external_id)
    WHERE external_id IS NOT NULL;

-- Meter queries: one organisation's events of one name over a time range.
CREATE INDEX events_organization_name_timestamp ON events (organization_id, name, timestamp);
