-- Polar's products and their prices. A price row is what a subscription or an order points at,
-- so it is never updated in place: a price change archives the row and adds a new one
-- (product_prices_are_immutable below refuses anything else). Money is minor units (BIGINT),
-- sub-cent unit amounts NUMERIC(38,12) minor units, currencies ISO-4217 lower-case as Polar sends them.

CREATE TABLE products (
    id                        uuid        PRIMARY KEY,
    organization_id           uuid        NOT NULL REFERENCES organizations (id),
    name                      text        NOT NULL,
    description               text,
    visibility                text        NOT NULL DEFAULT 'public' CHECK (visibility IN ('draft', 'private', 'public')),
    -- NULL: a one-time product. Only month and year: the pricing engine's Recurrence.
    recurring_interval        text        CHECK (recurring_interval IN ('month', 'year')),
    recurring_interval_count  integer     CHECK (recurring_interval_count BETWEEN 1 AND 12),
    trial_interval            text        CHECK (trial_interval IN ('day', 'week', 'month', 'year')),
    trial_interval_count      integer     CHECK (trial_interval_count BETWEEN 1 AND 1000),
    metadata                  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    is_archived               boolean     NOT NULL DEFAULT false,
    created_at                timestamptz NOT NULL DEFAULT now(),
    modified_at               timestamptz,
    CHECK ((recurring_interval IS NULL) = (recurring_interval_count IS NULL)),
    CHECK ((trial_interval IS NULL) = (trial_interval_count IS NULL)),
    CHECK (trial_interval IS NULL OR recurring_interval IS NOT NULL)
);

CREATE INDEX products_organization_created ON products (organization_id, created_at DESC);

CREATE TABLE product_prices (
    id               uuid          PRIMARY KEY,
    organization_id  uuid          NOT NULL REFERENCES organizations (id),
    product_id       uuid          NOT NULL REFERENCES products (id),
    -- Polar's fixed, free, metered_unit; metered_tiered is Marginal's tiered metered price, with
    -- Polar's tiers object (billing-core/service/README.md, "Products and prices").
    amount_type      text          NOT NULL
        CHECK (amount_type IN ('fixed', 'free', 'metered_unit', 'metered_tiered')),
    price_currency   char(3)       NOT NULL CHECK (price_currency ~ '^[a-z]{3}$'),
    price_amount     bigint        CHECK (price_amount >= 0),
    unit_amount      numeric(38, 12) CHECK (unit_amount >= 0),
    cap_amount       bigint        CHECK (cap_amount >= 0),
    meter_id         uuid          REFERENCES meters (id),
    tiers            jsonb         CHECK (tiers IS NULL OR jsonb_typeof(tiers) = 'object'),
    is_archived      boolean       NOT NULL DEFAULT false,
    -- clock_timestamp, not now(): prices read back in the order they were sent, even within one transaction
    created_at       timestamptz   NOT NULL DEFAULT clock_timestamp(),
    modified_at      timestamptz,
    CHECK (amount_type <> 'fixed' OR (price_amount IS NOT NULL AND meter_id IS NULL)),
    CHECK (amount_type <> 'free' OR (price_amount IS NULL AND meter_id IS NULL)),
    CHECK (amount_type <> 'metered_unit' OR (unit_amount IS NOT NULL AND meter_id IS NOT NULL)),
    CHECK (amount_type <> 'metered_tiered' OR (tiers IS NOT NULL AND meter_id IS NOT NULL)),
    -- Subscriptions reference (id, currency), so the database itself refuses a subscription
    -- priced in another currency than its own.
    UNIQUE (id, price_currency)
);

CREATE INDEX product_prices_product ON product_prices (product_id, created_at);

CREATE FUNCTION product_prices_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.organization_id, NEW.product_id, NEW.amount_type, NEW.price_currency, NEW.price_amount,
        NEW.unit_amount, NEW.cap_amount, NEW.meter_id, NEW.tiers, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.organization_id, OLD.product_id, OLD.amount_type, OLD.price_currency, OLD.price_amount,
        OLD.unit_amount, OLD.cap_amount, OLD.meter_id, OLD.tiers, OLD.created_at)
       OR (OLD.is_archived AND NOT NEW.is_archived) THEN
        RAISE EXCEPTION 'a product price is immutable: archive it and create a new one';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER product_prices_are_immutable BEFORE UPDATE ON product_prices
    FOR EACH ROW EXECUTE FUNCTION product_prices_are_immutable();

CREATE FUNCTION product_prices_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a product price is never deleted: archive it';
END $$;

CREATE TRIGGER product_prices_are_kept BEFORE DELETE ON product_prices
    FOR EACH ROW EXECUTE FUNCTION product_prices_are_kept();
