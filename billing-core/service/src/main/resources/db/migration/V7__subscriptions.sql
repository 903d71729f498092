-- Polar's subscriptions, with the state machine of subscription/SubscriptionStatus. Every change
-- of state is a row of subscription_events (append-only), so a subscription's life can be replayed.

CREATE TABLE subscriptions (
    id                        uuid        PRIMARY KEY,
    organization_id           uuid        NOT NULL REFERENCES organizations (id),
    customer_id               uuid        NOT NULL REFERENCES customers (id),
    product_id                uuid        NOT NULL REFERENCES products (id),
    currency                  char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    -- The in-advance (fixed) amount per period, minor units, as Polar's Subscription.amount.
    amount                    bigint      NOT NULL CHECK (amount >= 0),
    recurring_interval        text        NOT NULL CHECK (recurring_interval IN ('month', 'year')),
    recurring_interval_count  integer     NOT NULL CHECK (recurring_interval_count BETWEEN 1 AND 12),
    status                    text        NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing',
                                                    'active', 'past_due', 'canceled', 'unpaid', 'paused')),
    -- Billing periods are Recurrence.period(billing_anchor, period_index): computed from the anchor,
    -- never from the previous period, so a 31 January anchor keeps renewing on month ends.
    billing_anchor            timestamptz NOT NULL,
    period_index              bigint      NOT NULL DEFAULT 0 CHECK (period_index >= 0),
    current_period_start      timestamptz NOT NULL,
    current_period_end        timestamptz NOT NULL CHECK (current_period_end > current_period_start),
    trial_start               timestamptz,
    trial_end                 timestamptz,
    cancel_at_period_end      boolean     NOT NULL DEFAULT false,
    canceled_at               timestamptz,
    started_at                timestamptz,
    ends_at                   timestamptz,
    ended_at                  timestamptz,
    metadata                  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at                timestamptz NOT NULL DEFAULT now(),
    modified_at               timestamptz,
    CHECK ((trial_start IS NULL) = (trial_end IS NULL)),
    CHECK (status <> 'canceled' OR ended_at IS NOT NULL),
    UNIQUE (id, currency)
);

CREATE INDEX subscriptions_organization_created ON subscriptions (organization_id, created_at DESC);
CREATE INDEX subscriptions_organization_customer ON subscriptions (organization_id, customer_id);
-- The renewal sweep: live subscriptions whose period (or trial) has ended.
CREATE INDEX subscriptions_due ON subscriptions (current_period_end)
    WHERE status IN ('trialing', 'active', 'past_due');

-- The prices a subscription was sold at. The composite keys make the database refuse a price in
-- another currency than the subscription's.
CREATE TABLE subscription_prices (
    subscription_id  uuid    NOT NULL,
    currency         char(3) NOT NULL,
    price_id         uuid    NOT NULL,
    PRIMARY KEY (subscription_id, price_id),
    FOREIGN KEY (subscription_id, currency) REFERENCES subscriptions (id, currency),
    FOREIGN KEY (price_id, currency) REFERENCES product_prices (id, price_currency)
);

CREATE TABLE subscription_events (
    id               uuid        PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    subscription_id  uuid        NOT NULL REFERENCES subscriptions (id),
    type             text        NOT NULL CHECK (type IN ('created', 'status_changed', 'cancel_scheduled',
                                                          'cancel_unscheduled', 'renewed')),
    from_status      text,
    to_status        text        NOT NULL,
    -- When it happened by the service's clock (what the rules saw) and when the row was written.
    occurred_at      timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    detail           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object')
);

CREATE INDEX subscription_events_subscription ON subscription_events (subscription_id, recorded_at);

CREATE FUNCTION subscription_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'subscription_events is append-only';
END $$;

CREATE TRIGGER subscription_events_are_append_only BEFORE UPDATE OR DELETE ON subscription_events
    FOR EACH ROW EXECUTE FUNCTION subscription_events_are_append_only();
