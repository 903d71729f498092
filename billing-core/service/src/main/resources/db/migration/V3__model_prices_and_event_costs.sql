-- The LLM model price catalog and the cost recorded on each event.
--
-- Prices are in US dollars per million tokens, the unit every vendor publishes, NUMERIC(20,6)
-- (a sixth decimal covers $0.000001 per million tokens). A row is in effect over
-- [effective_from, effective_to); effective_to NULL means "until superseded".
-- organization_id NULL is the public list price (seeded by V4, maintained by migrations);
-- an organisation's own rows (its negotiated prices) override the list price while in effect.

CREATE TABLE model_prices (
    id                                   uuid          PRIMARY KEY,
    organization_id                      uuid          REFERENCES organizations (id),
    vendor                               text          NOT NULL CHECK (vendor = lower(vendor) AND vendor <> ''),
    model                                text          NOT NULL CHECK (model = lower(model) AND model <> ''),
    input_usd_per_million_tokens         numeric(20,6) NOT NULL CHECK (input_usd_per_million_tokens >= 0),
    cached_input_usd_per_million_tokens  numeric(20,6)          CHECK (cached_input_usd_per_million_tokens >= 0),
    output_usd_per_million_tokens        numeric(20,6) NOT NULL CHECK (output_usd_per_million_tokens >= 0),
    effective_from                       timestamptz   NOT NULL,
    effective_to                         timestamptz,
    source_url                           text,
    created_at                           timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT model_prices_period CHECK (effective_to IS NULL OR effective_to > effective_from)
);

CREATE INDEX model_prices_lookup ON model_prices (vendor, model, effective_from);

-- What each event cost, in cents (Polar's _cost unit), and where the figure came from:
-- 'event' = the client's own metadata._cost, 'catalog' = priced at ingest from model_prices
-- (model_price_id names the row, i.e. the catalog version used). NULL when neither applies.
-- No foreign key on model_price_id: events are insert-only history, and a price row is never deleted.
ALTER TABLE events
    ADD COLUMN cost_amount    numeric(38,12),
    ADD COLUMN cost_currency  text,
    ADD COLUMN cost_source    text CHECK (cost_source IN ('event', 'catalog')),
    ADD COLUMN model_price_id uuid,
    ADD CONSTRAINT events_cost_is_whole CHECK (
        (cost_amount IS NULL AND cost_currency IS NULL AND cost_source IS NULL AND model_price_id IS NULL)
        OR (cost_amount IS NOT NULL AND cost_currency IS NOT NULL AND cost_source IS NOT NULL
            AND (cost_source = 'event') = (model_price_id IS NULL)));
