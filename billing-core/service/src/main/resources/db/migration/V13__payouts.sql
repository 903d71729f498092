-- Stripe's payouts: the merchant's available balance (a sum of ledger rows, never a stored number)
-- leaves the platform for the merchant's bank account. A payout is one ledger movement, type
-- 'payout', from merchant:<id> to bank:<id>; the payout row is immutable (its status follows from
-- its arrival date, so nothing ever updates it).

ALTER TABLE transactions DROP CONSTRAINT transactions_account_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_account_check
    CHECK (account ~ '^(customer:[0-9a-f-]{36}|merchant:[0-9a-f-]{36}|bank:[0-9a-f-]{36}|platform|processor)$');

CREATE TABLE payouts (
    id               uuid        PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    amount           bigint      NOT NULL CHECK (amount > 0),
    currency         char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    description      text,
    metadata         jsonb       NOT NULL DEFAULT '{}',
    arrival_date     timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    CHECK (arrival_date >= created_at)
);

CREATE INDEX payouts_organization_created ON payouts (organization_id, created_at DESC);

CREATE FUNCTION payouts_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'payouts is append-only';
END $$;

CREATE TRIGGER payouts_are_append_only BEFORE UPDATE OR DELETE ON payouts
    FOR EACH ROW EXECUTE FUNCTION payouts_are_append_only();
