-- Plan changes (Polar's PATCH /v1/subscriptions/{id} with product_id and proration_behavior):
-- 'invoice' bills the proration now as a subscription_update order; 'prorate' keeps its lines as
-- pending invoice items (Stripe's name) that the next renewal order picks up; 'next_period' is a
-- pending update (Polar's PendingSubscriptionUpdate) applied when the current period ends.

ALTER TABLE subscriptions
    -- Usage of the current prices is metered from here (a change bills the old prices' usage up to
    -- the change); null means from current_period_start.
    ADD COLUMN usage_period_start        timestamptz,
    ADD COLUMN pending_update_id         uuid,
    ADD COLUMN pending_product_id        uuid REFERENCES products (id),
    ADD COLUMN pending_update_applies_at timestamptz,
    ADD COLUMN pending_update_created_at timestamptz,
    ADD CONSTRAINT subscriptions_pending_update_whole CHECK (
        (pending_update_id IS NULL) = (pending_product_id IS NULL)
        AND (pending_update_id IS NULL) = (pending_update_applies_at IS NULL)
        AND (pending_update_id IS NULL) = (pending_update_created_at IS NULL));

ALTER TABLE subscription_events DROP CONSTRAINT subscription_events_type_check;
ALTER TABLE subscription_events ADD CONSTRAINT subscription_events_type_check CHECK (type IN ('created',
    'status_changed', 'cancel_scheduled', 'cancel_unscheduled', 'renewed', 'payment_retried', 'product_changed',
    'product_change_scheduled'));

-- A period is still billed once by its create/cycle order; subscription_update orders are extra
-- orders inside a period (two changes may even fall in the same second).
ALTER TABLE orders DROP CONSTRAINT orders_subscription_id_period_start_key;
CREATE UNIQUE INDEX orders_one_per_period ON orders (subscription_id, period_start)
    WHERE billing_reason IN ('subscription_create', 'subscription_cycle');

-- Proration lines waiting for the subscription's next order: made by a 'prorate' change, or the
-- part of a credit that exceeded what its own order charged. order_id is set, once, by the order
-- that bills it; the amounts are never changed.
CREATE TABLE pending_invoice_items (
    id                uuid        PRIMARY KEY,
    organization_id   uuid        NOT NULL REFERENCES organizations (id),
    subscription_id   uuid        NOT NULL REFERENCES subscriptions (id),
    label             text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('proration', 'metered')),
    quantity          numeric(38,12) NOT NULL,
    unit              text        NOT NULL,
    amount            bigint      NOT NULL,
    currency          char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    product_price_id  uuid        REFERENCES product_prices (id),
    start_timestamp   timestamptz NOT NULL,
    end_timestamp     timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    -- the line's place among those one change made: they share created_at, and ids of one
    -- millisecond are not ordered
    position          integer     NOT NULL,
    order_id          uuid        REFERENCES orders (id),
    CHECK (amount >= 0 OR kind = 'proration')
);

CREATE INDEX pending_invoice_items_open ON pending_invoice_items (subscription_id) WHERE order_id IS NULL;

CREATE FUNCTION pending_invoice_items_bill_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'pending_invoice_items rows are never deleted';
    END IF;
    IF OLD.order_id IS NOT NULL OR NEW.order_id IS NULL
       OR (to_jsonb(NEW) - 'order_id') <> (to_jsonb(OLD) - 'order_id') THEN
        RAISE EXCEPTION 'a pending invoice item is billed once, and only its order_id is ever set';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER pending_invoice_items_bill_once BEFORE UPDATE OR DELETE ON pending_invoice_items
    FOR EACH ROW EXECUTE FUNCTION pending_invoice_items_bill_once();
