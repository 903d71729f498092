-- The processor's dispute fee is a fee the merchant pays, as Stripe reports it, not revenue lost:
-- its ledger rows get their own type so the warehouse counts them with the other fees. Expand
-- only: the previous release never writes the type.
ALTER TABLE transactions DROP CONSTRAINT transactions_type_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_type_check CHECK (type IN ('payment', 'tax', 'processor_fee',
    'platform_fee', 'dispute_fee', 'refund', 'refund_reversal', 'dispute', 'dispute_reversal', 'balance', 'payout'));
