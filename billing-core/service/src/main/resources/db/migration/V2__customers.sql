-- Polar's customers. Events name a customer by customer_id or by external_customer_id, and an
-- event may arrive before its customer is created: events are linked to customers when they are
-- read (see event/EventQueries), never by a foreign key.

CREATE TABLE customers (
    id               uuid        PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    external_id      text,
    email            text        NOT NULL,
    name             text,
    billing_address  jsonb,
    locale           text,
    metadata         jsonb       NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    modified_at      timestamptz,
    deleted_at       timestamptz,
    CONSTRAINT customers_metadata_is_an_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- As Polar: an external_id is never reused within an organisation, even after a soft delete,
-- so events sent under it keep meaning one customer.
CREATE UNIQUE INDEX customers_organization_external_id ON customers (organization_id, external_id)
    WHERE external_id IS NOT NULL;

-- As Polar: one live customer per email (case-insensitive); a deleted customer frees its email.
CREATE UNIQUE INDEX customers_organization_email ON customers (organization_id, lower(email))
    WHERE deleted_at IS NULL;

CREATE INDEX customers_organization_created ON customers (organization_id, created_at DESC);

-- Events read by customer: resolving external ids at query time needs these. Every index costs
-- ingest time (see docs/BENCHMARKS.md, "Ingest"), so the customer_id one is partial: most events
-- name their customer by external id and never enter it.
CREATE INDEX events_organization_external_customer ON events (organization_id, external_customer_id, timestamp);
CREATE INDEX events_organization_customer ON events (organization_id, customer_id, timestamp)
    WHERE customer_id IS NOT NULL;
