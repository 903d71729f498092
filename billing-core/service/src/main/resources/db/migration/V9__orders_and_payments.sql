-- Polar's orders (Stripe's invoices): one per subscription creation and per renewal, its lines in
-- order_items, totals computed by the pricing engine's Invoice.compute. A payment is one attempt to
-- charge an order through the processor; a succeeded one is a ledger movement (V8) in the same
-- database transaction as the order turning paid.

CREATE TABLE orders (
    id                uuid        PRIMARY KEY,
    organization_id   uuid        NOT NULL REFERENCES organizations (id),
    customer_id       uuid        NOT NULL REFERENCES customers (id),
    product_id        uuid        REFERENCES products (id),
    subscription_id   uuid        REFERENCES subscriptions (id),
    status            text        NOT NULL CHECK (status IN ('pending', 'paid')),
    billing_reason    text        NOT NULL CHECK (billing_reason IN ('purchase', 'subscription_create',
                                                'subscription_cycle', 'subscription_update')),
    currency          char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    subtotal_amount   bigint      NOT NULL,
    discount_amount   bigint      NOT NULL CHECK (discount_amount >= 0),
    net_amount        bigint      NOT NULL,
    tax_amount        bigint      NOT NULL,
    total_amount      bigint      NOT NULL,
    platform_fee_amount bigint    NOT NULL DEFAULT 0 CHECK (platform_fee_amount >= 0),
    -- The billing period the order opens (its fixed fee pays for it).
    period_start      timestamptz,
    period_end        timestamptz,
    created_at        timestamptz NOT NULL,
    modified_at       timestamptz,
    CHECK (net_amount = subtotal_amount - discount_amount),
    CHECK (total_amount = net_amount + tax_amount),
    -- A period is billed once, however often a renewal sweep runs.
    UNIQUE (subscription_id, period_start)
);

CREATE INDEX orders_organization_created ON orders (organization_id, created_at DESC);

CREATE TABLE order_items (
    id                uuid        PRIMARY KEY,
    order_id          uuid        NOT NULL REFERENCES orders (id),
    position          integer     NOT NULL,
    label             text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('fixed', 'metered', 'proration', 'one_time')),
    quantity          numeric(38,12) NOT NULL,
    unit              text        NOT NULL,
    amount            bigint      NOT NULL,
    tax_amount        bigint      NOT NULL,
    product_price_id  uuid        REFERENCES product_prices (id),
    start_timestamp   timestamptz,
    end_timestamp     timestamptz,
    created_at        timestamptz NOT NULL,
    UNIQUE (order_id, position)
);

CREATE TABLE payments (
    id                  uuid        PRIMARY KEY,
    organization_id     uuid        NOT NULL REFERENCES organizations (id),
    order_id            uuid        NOT NULL REFERENCES orders (id),
    customer_id         uuid        NOT NULL REFERENCES customers (id),
    processor           text        NOT NULL,
    processor_reference text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
    amount              bigint      NOT NULL CHECK (amount > 0),
    currency            char(3)     NOT NULL,
    processor_fee_amount bigint     NOT NULL CHECK (processor_fee_amount >= 0),
    decline_reason      text,
    created_at          timestamptz NOT NULL,
    CHECK ((status = 'failed') = (decline_reason IS NOT NULL))
);

CREATE INDEX payments_order ON payments (order_id);
-- An order is paid at most once.
CREATE UNIQUE INDEX payments_one_success_per_order ON payments (order_id) WHERE status = 'succeeded';

CREATE FUNCTION payments_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payments is append-only';
END $$;

CREATE TRIGGER payments_are_append_only BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_are_append_only();
