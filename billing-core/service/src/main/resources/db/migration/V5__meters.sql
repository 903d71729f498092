-- Polar's meters: a filter over events and an aggregation, stored as the JSON Polar's API uses
-- ({"conjunction":"and","clauses":[...]} and {"func":"sum","property":"tokens"}). Quantities are
-- computed from events when asked, by the pricing engine, the same way the invoice computes them.

CREATE TABLE meters (
    id                 uuid        PRIMARY KEY,
    organization_id    uuid        NOT NULL REFERENCES organizations (id),
    name               text        NOT NULL,
    filter             jsonb       NOT NULL CHECK (jsonb_typeof(filter) = 'object'),
    aggregation        jsonb       NOT NULL CHECK (jsonb_typeof(aggregation) = 'object'),
    unit               text        NOT NULL DEFAULT 'scalar' CHECK (unit IN ('scalar', 'token', 'custom')),
    custom_label       text,
    custom_multiplier  integer,
    metadata           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at         timestamptz NOT NULL DEFAULT now(),
    modified_at        timestamptz,
    archived_at        timestamptz
);

CREATE INDEX meters_organization_name ON meters (organization_id, name);

-- No new index on events: a meter's quantities read (organization_id, name, timestamp) when the
-- filter pins the event name (V1's index), or (organization_id, external_customer_id, timestamp)
-- per customer. Each index on events is paid by every ingested row.
