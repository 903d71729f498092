-- Tax as merchant of record. Marginal sells to its merchants' customers, so it owes the tax of the
-- customer's location: EU VAT and UK VAT by country, US sales tax by ZIP prefix. Which rate applies
-- is decided in billing-core's tax/ package; the arithmetic is the pricing engine's.

-- A versioned rate table. A rate change is a new row with its valid_from date, never an update, so
-- an old order can always be explained by the row that was in force when it was billed.
CREATE TABLE tax_rates (
    id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country         char(2)      NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    -- '' is the whole country; a US row names a ZIP prefix, the longest matching prefix wins.
    postal_prefix   text         NOT NULL DEFAULT '' CHECK (postal_prefix ~ '^[0-9]{0,5}$'),
    -- e.g. DE, GB, US-NY: the authority the tax is owed to (and the ledger account tax:<jurisdiction>)
    jurisdiction    text         NOT NULL CHECK (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
    tax_type        text         NOT NULL CHECK (tax_type IN ('vat', 'sales_tax')),
    -- percent with 4 decimals, the pricing engine's TaxRate
    rate            numeric(7,4) NOT NULL CHECK (rate >= 0 AND rate <= 100),
    -- a business customer with a VAT id of this country, outside the seller's country, self-accounts
    reverse_charge  boolean      NOT NULL,
    valid_from      date         NOT NULL,
    description     text         NOT NULL,
    UNIQUE (country, postal_prefix, valid_from)
);

CREATE FUNCTION tax_rates_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tax_rates is append-only: a rate change is a new row with its valid_from';
END $$;

CREATE TRIGGER tax_rates_are_append_only BEFORE UPDATE OR DELETE ON tax_rates
    FOR EACH ROW EXECUTE FUNCTION tax_rates_are_append_only();

-- EU standard VAT rates in force on 2024-01-01 (the table's first day: an order dated before it
-- finds no rate and is not taxed), and the changes since: Finland 24 → 25.5 (2024-09-01), Slovakia 20 → 23
-- (2025-01-01), Estonia 22 → 24 (2025-07-01), Romania 19 → 21 (2025-08-01).
INSERT INTO tax_rates (country, jurisdiction, tax_type, rate, reverse_charge, valid_from, description) VALUES
    ('AT', 'AT', 'vat', 20, true, '2024-01-01', 'Austria VAT standard rate'),
    ('BE', 'BE', 'vat', 21, true, '2024-01-01', 'Belgium VAT standard rate'),
    ('BG', 'BG', 'vat', 20, true, '2024-01-01', 'Bulgaria VAT standard rate'),
    ('HR', 'HR', 'vat', 25, true, '2024-01-01', 'Croatia VAT standard rate'),
    ('CY', 'CY', 'vat', 19, true, '2024-01-01', 'Cyprus VAT standard rate'),
    ('CZ', 'CZ', 'vat', 21, true, '2024-01-01', 'Czechia VAT standard rate'),
    ('DK', 'DK', 'vat', 25, true, '2024-01-01', 'Denmark VAT standard rate'),
    ('EE', 'EE', 'vat', 22, true, '2024-01-01', 'Estonia VAT standard rate'),
    ('EE', 'EE', 'vat', 24, true, '2025-07-01', 'Estonia VAT standard rate'),
    ('FI', 'FI', 'vat', 24, true, '2024-01-01', 'Finland VAT standard rate'),
    ('FI', 'FI', 'vat', 25.5, true, '2024-09-01', 'Finland VAT standard rate'),
    ('FR', 'FR', 'vat', 20, true, '2024-01-01', 'France VAT standard rate'),
    ('DE', 'DE', 'vat', 19, true, '2024-01-01', 'Germany VAT standard rate'),
    ('GR', 'GR', 'vat', 24, true, '2024-01-01', 'Greece VAT standard rate'),
    ('HU', 'HU', 'vat', 27, true, '2024-01-01', 'Hungary VAT standard rate'),
    ('IE', 'IE', 'vat', 23, true, '2024-01-01', 'Ireland VAT standard rate'),
    ('IT', 'IT', 'vat', 22, true, '2024-01-01', 'Italy VAT standard rate'),
    ('LV', 'LV', 'vat', 21, true, '2024-01-01', 'Latvia VAT standard rate'),
    ('LT', 'LT', 'vat', 21, true, '2024-01-01', 'Lithuania VAT standard rate'),
    ('LU', 'LU', 'vat', 17, true, '2024-01-01', 'Luxembourg VAT standard rate'),
    ('MT', 'MT', 'vat', 18, true, '2024-01-01', 'Malta VAT standard rate'),
    ('NL', 'NL', 'vat', 21, true, '2024-01-01', 'Netherlands VAT standard rate'),
    ('PL', 'PL', 'vat', 23, true, '2024-01-01', 'Poland VAT standard rate'),
    ('PT', 'PT', 'vat', 23, true, '2024-01-01', 'Portugal VAT standard rate'),
    ('RO', 'RO', 'vat', 19, true, '2024-01-01', 'Romania VAT standard rate'),
    ('RO', 'RO', 'vat', 21, true, '2025-08-01', 'Romania VAT standard rate'),
    ('SK', 'SK', 'vat', 20, true, '2024-01-01', 'Slovakia VAT standard rate'),
    ('SK', 'SK', 'vat', 23, true, '2025-01-01', 'Slovakia VAT standard rate'),
    ('SI', 'SI', 'vat', 22, true, '2024-01-01', 'Slovenia VAT standard rate'),
    ('ES', 'ES', 'vat', 21, true, '2024-01-01', 'Spain VAT standard rate'),
    ('SE', 'SE', 'vat', 25, true, '2024-01-01', 'Sweden VAT standard rate'),
    -- The UK charges its VAT to consumers; a UK business with a GB VAT number self-accounts.
    ('GB', 'GB', 'vat', 20, true, '2024-01-01', 'United Kingdom VAT standard rate');

-- US sales tax where Marginal is registered, by ZIP prefix (the longest match wins): New York
-- (state 4 %, New York City's combined 8.875 %), Washington 6.5 %, Pennsylvania 6 %. A US ZIP
-- outside these prefixes is a state where Marginal does not collect. Local add-ons other than
-- New York City's are not modelled.
INSERT INTO tax_rates (country, postal_prefix, jurisdiction, tax_type, rate, reverse_charge, valid_from, description)
SELECT 'US', p.prefix, p.jurisdiction, 'sales_tax', p.rate, false, DATE '2024-01-01', p.description
FROM (VALUES
    ('10', 'US-NY', 4.0, 'New York State sales tax'), ('11', 'US-NY', 4.0, 'New York State sales tax'),
    ('12', 'US-NY', 4.0, 'New York State sales tax'), ('13', 'US-NY', 4.0, 'New York State sales tax'),
    ('14', 'US-NY', 4.0, 'New York State sales tax'),
    ('100', 'US-NYC', 8.875, 'New York City combined sales tax'),
    ('101', 'US-NYC', 8.875, 'New York City combined sales tax'),
    ('102', 'US-NYC', 8.875, 'New York City combined sales tax'),
    ('103', 'US-NYC', 8.875, 'New York City combined sales tax'),
    ('104', 'US-NYC', 8.875, 'New York City combined sales tax'),
    ('98', 'US-WA', 6.5, 'Washington sales tax'), ('990', 'US-WA', 6.5, 'Washington sales tax'),
    ('991', 'US-WA', 6.5, 'Washington sales tax'), ('992', 'US-WA', 6.5, 'Washington sales tax'),
    ('993', 'US-WA', 6.5, 'Washington sales tax'), ('994', 'US-WA', 6.5, 'Washington sales tax'),
    ('15', 'US-PA', 6.0, 'Pennsylvania sales tax'), ('16', 'US-PA', 6.0, 'Pennsylvania sales tax'),
    ('17', 'US-PA', 6.0, 'Pennsylvania sales tax'), ('18', 'US-PA', 6.0, 'Pennsylvania sales tax'),
    ('190', 'US-PA', 6.0, 'Pennsylvania sales tax'), ('191', 'US-PA', 6.0, 'Pennsylvania sales tax'),
    ('192', 'US-PA', 6.0, 'Pennsylvania sales tax'), ('193', 'US-PA', 6.0, 'Pennsylvania sales tax'),
    ('194', 'US-PA', 6.0, 'Pennsylvania sales tax'), ('195', 'US-PA', 6.0, 'Pennsylvania sales tax'),
    ('196', 'US-PA', 6.0, 'Pennsylvania sales tax')
) AS p (prefix, jurisdiction, rate, description);

-- Polar's customer tax_id: the value and its format (eu_vat, gb_vat), validated against the
-- billing country when it is set.
ALTER TABLE customers
    ADD COLUMN tax_id text,
    ADD COLUMN tax_id_format text CHECK (tax_id_format IN ('eu_vat', 'gb_vat')),
    ADD CONSTRAINT customers_tax_id_has_format CHECK ((tax_id IS NULL) = (tax_id_format IS NULL));

-- Polar's tax_behavior per price (null: the organisation's default_tax_behavior). location is
-- inclusive where prices are customarily shown with VAT (EU, UK) and exclusive elsewhere (US).
ALTER TABLE organizations
    ADD COLUMN default_tax_behavior text NOT NULL DEFAULT 'location'
        CHECK (default_tax_behavior IN ('location', 'inclusive', 'exclusive'));
ALTER TABLE product_prices
    ADD COLUMN tax_behavior text CHECK (tax_behavior IN ('location', 'inclusive', 'exclusive'));

-- tax_behavior is part of what a price is, so it is immutable with the rest.
CREATE OR REPLACE FUNCTION product_prices_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.organization_id, NEW.product_id, NEW.amount_type, NEW.price_currency, NEW.price_amount,
        NEW.unit_amount, NEW.cap_amount, NEW.meter_id, NEW.tiers, NEW.created_at, NEW.tax_behavior)
       IS DISTINCT FROM
       (OLD.id, OLD.organization_id, OLD.product_id, OLD.amount_type, OLD.price_currency, OLD.price_amount,
        OLD.unit_amount, OLD.cap_amount, OLD.meter_id, OLD.tiers, OLD.created_at, OLD.tax_behavior)
       OR (OLD.is_archived AND NOT NEW.is_archived) THEN
        RAISE EXCEPTION 'a product price is immutable: archive it and create a new one';
    END IF;
    RETURN NEW;
END $$;

-- What the order was taxed by, printed on it: a reverse charge must name the customer's VAT id.
-- With tax-inclusive prices the tax is inside the subtotal (Polar: net = subtotal − discount − tax).
ALTER TABLE orders
    ADD COLUMN tax_behavior text NOT NULL DEFAULT 'exclusive' CHECK (tax_behavior IN ('inclusive', 'exclusive')),
    ADD COLUMN tax_treatment text NOT NULL DEFAULT 'not_collecting'
        CHECK (tax_treatment IN ('standard', 'reverse_charge', 'exempt', 'not_collecting')),
    ADD COLUMN tax_jurisdiction text,
    ADD COLUMN tax_rate numeric(7,4) NOT NULL DEFAULT 0,
    ADD COLUMN tax_rate_id bigint REFERENCES tax_rates (id),
    ADD COLUMN customer_tax_id text,
    ADD CONSTRAINT orders_reverse_charge_names_the_vat_id
        CHECK (tax_treatment <> 'reverse_charge' OR customer_tax_id IS NOT NULL),
    ADD CONSTRAINT orders_only_standard_is_taxed CHECK (tax_treatment = 'standard' OR tax_amount = 0);

DO $$
DECLARE
    name text;
BEGIN
    SELECT conname INTO name FROM pg_constraint
    WHERE conrelid = 'orders'::regclass AND contype = 'c'
      AND pg_get_constraintdef(oid) LIKE '%net_amount = (subtotal_amount - discount_amount)%';
    EXECUTE format('ALTER TABLE orders DROP CONSTRAINT %I', name);
END $$;

ALTER TABLE orders ADD CONSTRAINT orders_net_is_subtotal_less_discount_and_included_tax
    CHECK (net_amount = subtotal_amount - discount_amount
                        - CASE WHEN tax_behavior = 'inclusive' THEN tax_amount ELSE 0 END);

ALTER TABLE order_items
    ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    ADD COLUMN net_amount bigint;

-- Tax is never revenue: the tax of a payment goes to the authority's account (tax:<jurisdiction>),
-- not the merchant's, in the same balanced movement.
ALTER TABLE transactions DROP CONSTRAINT transactions_account_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_account_check CHECK (account ~
    '^(customer:[0-9a-f-]{36}|merchant:[0-9a-f-]{36}|bank:[0-9a-f-]{36}|platform|processor|tax:[A-Z]{2}(-[A-Z0-9]{1,3})?)$');
ALTER TABLE transactions DROP CONSTRAINT transactions_type_check;
ALTER TABLE transactions ADD CONSTRAINT transactions_type_check CHECK (type IN ('payment', 'tax', 'processor_fee',
    'platform_fee', 'refund', 'refund_reversal', 'dispute', 'dispute_reversal', 'balance', 'payout'));
