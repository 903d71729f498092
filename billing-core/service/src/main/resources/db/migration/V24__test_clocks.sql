-- Stripe's test clocks, per organisation: an organisation with a row here lives at frozen_time
-- instead of the wall clock. Everything the service stamps for it (subscription periods, orders,
-- ledger rows, refunds, disputes, payouts, invoice numbers) uses this time, and the background
-- renewal sweep leaves it alone: only advancing the clock (POST /v1/test_helpers/test_clock/advance)
-- moves its subscriptions, retries and disputes, up to the new frozen_time. The clock never goes back.
-- Creating one is refused unless the service runs with MARGINAL_TEST_CLOCKS=true (sandbox stacks).

CREATE TABLE test_clocks (
    organization_id  uuid        PRIMARY KEY REFERENCES organizations (id),
    frozen_time      timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    modified_at      timestamptz
);
