-- The ledger: Stripe's balance transactions as append-only double-entry rows. A movement of money
-- (a payment with its fees, a refund, a payout) is the set of rows sharing one correlation_key, and
-- in each currency they sum to zero: money only moves between accounts, it is never created.
-- Balances are never stored; an account's balance is the sum of its rows.

CREATE TABLE transactions (
    id               uuid        PRIMARY KEY,
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    correlation_key  uuid        NOT NULL,
    type             text        NOT NULL CHECK (type IN ('payment', 'processor_fee', 'platform_fee', 'refund',
                                                          'refund_reversal', 'dispute', 'dispute_reversal',
                                                          'balance', 'payout')),
    -- customer:<id>, merchant:<organization id>, platform, processor
    account          text        NOT NULL CHECK (account ~ '^(customer:[0-9a-f-]{36}|merchant:[0-9a-f-]{36}|platform|processor)$'),
    -- Signed minor units: positive is money the account receives.
    amount           bigint      NOT NULL CHECK (amount <> 0),
    currency         char(3)     NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    order_id         uuid,
    payment_id       uuid,
    -- A correction points at the row it reverses; the reversed row itself is never touched.
    reverses_id      uuid        REFERENCES transactions (id),
    created_at       timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX transactions_correlation ON transactions (correlation_key);
CREATE INDEX transactions_account ON transactions (organization_id, account, currency);
CREATE INDEX transactions_order ON transactions (order_id) WHERE order_id IS NOT NULL;

CREATE FUNCTION transactions_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'transactions is append-only: correct a row with a reversal row';
END $$;

CREATE TRIGGER transactions_are_append_only BEFORE UPDATE OR DELETE ON transactions
    FOR EACH ROW EXECUTE FUNCTION transactions_are_append_only();
CREATE TRIGGER transactions_are_never_truncated BEFORE TRUNCATE ON transactions
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_are_append_only();

-- Checked at commit, when every row of the movement is in: a movement that does not sum to zero in
-- each currency aborts the whole transaction, so an unbalanced movement is never visible.
CREATE FUNCTION transactions_movement_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced record;
BEGIN
    SELECT currency, sum(amount) AS total INTO unbalanced
    FROM transactions WHERE correlation_key = NEW.correlation_key
    GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'movement % does not balance: % % left over', NEW.correlation_key, unbalanced.total,
            unbalanced.currency USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER transactions_movement_balances AFTER INSERT ON transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION transactions_movement_balances();
