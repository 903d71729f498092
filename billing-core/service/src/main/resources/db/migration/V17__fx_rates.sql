-- A dated FX rate table, so the warehouse can report every organisation's money in its reporting
-- currency. One rate per currency pair and day: 1 base = rate quote (e.g. 1 eur = 1.083400 usd).
-- A day's rate, once loaded, is a fact: loading a different one for the same day is refused.

CREATE TABLE fx_rates (
    base_currency   char(3)         NOT NULL CHECK (base_currency ~ '^[a-z]{3}$'),
    quote_currency  char(3)         NOT NULL CHECK (quote_currency ~ '^[a-z]{3}$'),
    rate_date       date            NOT NULL,
    rate            numeric(30, 12) NOT NULL CHECK (rate > 0),
    source          text            NOT NULL,
    loaded_at       timestamptz     NOT NULL DEFAULT now(),
    PRIMARY KEY (base_currency, quote_currency, rate_date),
    CHECK (base_currency <> quote_currency)
);

CREATE FUNCTION fx_rates_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fx_rates is append-only: a day''s rate is a fact';
END $$;

CREATE TRIGGER fx_rates_are_append_only BEFORE UPDATE OR DELETE ON fx_rates
    FOR EACH ROW EXECUTE FUNCTION fx_rates_are_append_only();

ALTER TABLE organizations
    ADD COLUMN reporting_currency char(3) NOT NULL DEFAULT 'usd' CHECK (reporting_currency ~ '^[a-z]{3}$');
