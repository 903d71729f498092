-- Failed-payment retries (dunning). A renewal (or first) order that is declined makes the
-- subscription past_due and schedules retries of that order on a fixed schedule (Stripe-like:
-- 3, 5 and 7 days after each failure, configurable); a retry that succeeds makes it active again,
-- the last one failing makes it unpaid, and an unpaid subscription is canceled (revoked) when its
-- period ends. The renewal sweep drives all of it from the service's clock.

ALTER TABLE subscriptions
    ADD COLUMN past_due_at             timestamptz,
    -- the unpaid order the retries collect, how many attempts it has had, and when the next is due
    ADD COLUMN dunning_order_id        uuid REFERENCES orders (id),
    ADD COLUMN payment_attempts        integer NOT NULL DEFAULT 0 CHECK (payment_attempts >= 0),
    ADD COLUMN next_payment_attempt_at timestamptz,
    ADD CONSTRAINT subscriptions_retries_only_when_past_due
        CHECK (next_payment_attempt_at IS NULL OR status = 'past_due'),
    ADD CONSTRAINT subscriptions_dunning_has_an_order
        CHECK ((dunning_order_id IS NULL) = (past_due_at IS NULL));

-- The sweep: periods that ended (unpaid ones are canceled at their end) and retries that are due.
DROP INDEX subscriptions_due;
CREATE INDEX subscriptions_due ON subscriptions (current_period_end)
    WHERE status IN ('trialing', 'active', 'past_due', 'unpaid');
CREATE INDEX subscriptions_retry_due ON subscriptions (next_payment_attempt_at)
    WHERE next_payment_attempt_at IS NOT NULL;

ALTER TABLE subscription_events DROP CONSTRAINT subscription_events_type_check;
ALTER TABLE subscription_events ADD CONSTRAINT subscription_events_type_check CHECK (type IN ('created',
    'status_changed', 'cancel_scheduled', 'cancel_unscheduled', 'renewed', 'payment_retried'));

-- Polar's Order.next_payment_attempt_at, and the order's own dunning state.
ALTER TABLE orders ADD COLUMN next_payment_attempt_at timestamptz;
