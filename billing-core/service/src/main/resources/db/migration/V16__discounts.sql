-- Polar's discounts: percentage (basis points) or fixed (an amount per currency), applied once,
-- forever, or for duration_in_months, optionally restricted to products, redeemable between
-- starts_at and ends_at, at most max_redemptions times. A subscription redeems one at creation;
-- each of its orders carries the discount while its duration lasts. The amount off is computed by
-- the pricing engine (Discount, then tax on what is left).

CREATE TABLE discounts (
    id                  uuid        PRIMARY KEY,
    organization_id     uuid        NOT NULL REFERENCES organizations (id),
    name                text        NOT NULL CHECK (length(name) >= 1),
    code                text        CHECK (code ~ '^[A-Za-z0-9]{3,256}$'),
    type                text        NOT NULL CHECK (type IN ('percentage', 'fixed')),
    basis_points        integer     CHECK (basis_points BETWEEN 1 AND 10000),
    -- fixed: minor units per currency, e.g. {"usd": 1000, "eur": 900}
    amounts             jsonb       CHECK (amounts IS NULL OR jsonb_typeof(amounts) = 'object'),
    duration            text        NOT NULL CHECK (duration IN ('once', 'forever', 'repeating')),
    duration_in_months  integer     CHECK (duration_in_months BETWEEN 1 AND 999),
    starts_at           timestamptz,
    ends_at             timestamptz,
    max_redemptions     integer     CHECK (max_redemptions >= 1),
    metadata            jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    modified_at         timestamptz,
    deleted_at          timestamptz,
    CHECK ((type = 'percentage') = (basis_points IS NOT NULL)),
    CHECK ((type = 'fixed') = (amounts IS NOT NULL)),
    CHECK ((duration = 'repeating') = (duration_in_months IS NOT NULL)),
    CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at)
);

CREATE INDEX discounts_organization_created ON discounts (organization_id, created_at DESC);
CREATE UNIQUE INDEX discounts_organization_code ON discounts (organization_id, lower(code))
    WHERE code IS NOT NULL AND deleted_at IS NULL;

-- Empty: any product of the organisation.
CREATE TABLE discount_products (
    discount_id  uuid NOT NULL REFERENCES discounts (id),
    product_id   uuid NOT NULL REFERENCES products (id),
    PRIMARY KEY (discount_id, product_id)
);

-- One row per redemption; redemptions_count is their count, checked against max_redemptions
-- while the discount row is locked, so concurrent redemptions never exceed it.
CREATE TABLE discount_redemptions (
    id               uuid        PRIMARY KEY,
    discount_id      uuid        NOT NULL REFERENCES discounts (id),
    subscription_id  uuid        NOT NULL UNIQUE REFERENCES subscriptions (id),
    customer_id      uuid        NOT NULL REFERENCES customers (id),
    redeemed_at      timestamptz NOT NULL
);

CREATE INDEX discount_redemptions_discount ON discount_redemptions (discount_id);

ALTER TABLE subscriptions ADD COLUMN discount_id uuid REFERENCES discounts (id);
ALTER TABLE orders ADD COLUMN discount_id uuid REFERENCES discounts (id);
