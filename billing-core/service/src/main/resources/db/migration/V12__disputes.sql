-- Polar's disputes (API 2026-10): a customer's bank takes a payment back (a chargeback). Opening
-- one withdraws the disputed amount from the merchant and charges the processor's dispute fee
-- (one ledger movement, type 'dispute'); a dispute won gives the amount back (type
-- 'dispute_reversal'); the fee is kept either way, as Stripe keeps its dispute fee.

CREATE TABLE disputes (
    id                  uuid        PRIMARY KEY,
    organization_id     uuid        NOT NULL REFERENCES organizations (id),
    order_id            uuid        NOT NULL REFERENCES orders (id),
    payment_id          uuid        NOT NULL REFERENCES payments (id),
    customer_id         uuid        NOT NULL REFERENCES customers (id),
    status              text        NOT NULL CHECK (status IN ('prevented', 'early_warning', 'needs_response',
                                                  'under_review', 'lost', 'won')),
    amount              bigint      NOT NULL CHECK (amount > 0),
    tax_amount          bigint      NOT NULL CHECK (tax_amount >= 0),
    currency            char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    fee_amount          bigint      NOT NULL CHECK (fee_amount >= 0),
    reason              text,
    evidence_due_by     timestamptz,
    processor           text        NOT NULL,
    processor_reference text        NOT NULL UNIQUE,
    -- the ledger movements it made: the withdrawal at opening, the reinstatement when won
    opened_correlation_key   uuid   NOT NULL,
    reversal_correlation_key uuid,
    created_at          timestamptz NOT NULL,
    modified_at         timestamptz,
    resolved_at         timestamptz,
    CHECK ((reversal_correlation_key IS NOT NULL) = (status = 'won')),
    CHECK ((resolved_at IS NOT NULL) = (status IN ('won', 'lost')))
);

-- A charge is disputed at most once (card networks allow one chargeback per charge).
CREATE UNIQUE INDEX disputes_one_per_payment ON disputes (payment_id);
CREATE INDEX disputes_organization_created ON disputes (organization_id, created_at DESC);
-- the resolution sweep reads open disputes by their deadline
CREATE INDEX disputes_open_due ON disputes (evidence_due_by) WHERE status IN ('needs_response', 'under_review');
