-- Polar's refunds (API 2026-10). A refund returns part or all of a paid order's net amount (and
-- the matching share of its tax) through the processor that collected it. A succeeded refund is a
-- ledger movement (merchant → customer, type 'refund') in the same database transaction as the
-- refund row and the order's refunded totals, so the three never disagree.

-- The order keeps Polar's running totals; the checks make the database itself refuse a refund
-- beyond what was paid, whatever the application does.
ALTER TABLE orders
    ADD COLUMN refunded_amount     bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
    ADD COLUMN refunded_tax_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_tax_amount >= 0),
    ADD CONSTRAINT orders_refunds_within_net CHECK (refunded_amount <= net_amount),
    ADD CONSTRAINT orders_refunded_tax_within_tax CHECK (refunded_tax_amount <= tax_amount);

ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('pending', 'paid', 'partially_refunded', 'refunded'));
-- Polar's rule: refunded once the whole net is back, partially while some of it is.
ALTER TABLE orders ADD CONSTRAINT orders_refund_status CHECK (
    (status = 'refunded') = (refunded_amount > 0 AND refunded_amount = net_amount)
    AND (status = 'partially_refunded') = (refunded_amount > 0 AND refunded_amount < net_amount));

CREATE TABLE refunds (
    id                  uuid        PRIMARY KEY,
    organization_id     uuid        NOT NULL REFERENCES organizations (id),
    order_id            uuid        NOT NULL REFERENCES orders (id),
    payment_id          uuid        NOT NULL REFERENCES payments (id),
    subscription_id     uuid        REFERENCES subscriptions (id),
    customer_id         uuid        NOT NULL REFERENCES customers (id),
    status              text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    reason              text        NOT NULL CHECK (reason IN ('duplicate', 'fraudulent', 'customer_request',
                                                  'service_disruption', 'satisfaction_guarantee',
                                                  'dispute_prevention', 'other')),
    -- Polar's split: amount is the net part, tax_amount the tax part; the customer gets both.
    amount              bigint      NOT NULL CHECK (amount > 0),
    tax_amount          bigint      NOT NULL CHECK (tax_amount >= 0),
    currency            char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    comment             text,
    revoke_benefits     boolean     NOT NULL,
    metadata            jsonb       NOT NULL DEFAULT '{}',
    processor           text        NOT NULL,
    processor_reference text        NOT NULL,
    failure_reason      text,
    created_at          timestamptz NOT NULL,
    modified_at         timestamptz,
    CHECK ((status = 'failed') = (failure_reason IS NOT NULL))
);

CREATE INDEX refunds_organization_created ON refunds (organization_id, created_at DESC);
CREATE INDEX refunds_order ON refunds (order_id);
