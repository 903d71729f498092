-- Polar's order invoices: an invoice number is given to a paid order once, on request
-- (POST /v1/orders/{id}/invoice), from a gapless per-organisation, per-year sequence.
ALTER TABLE orders
    ADD COLUMN invoice_number       text,
    ADD COLUMN invoice_generated_at timestamptz,
    ADD CONSTRAINT orders_invoice_generated CHECK ((invoice_number IS NULL) = (invoice_generated_at IS NULL));

-- A number is never given twice within an organisation.
CREATE UNIQUE INDEX orders_invoice_number ON orders (organization_id, invoice_number)
    WHERE invoice_number IS NOT NULL;

-- The last number given per organisation and year. Taking a number is an UPDATE of this row in
-- the order's own transaction: concurrent requests queue on its row lock, and a rollback takes
-- the increment back with it, so the numbers have no gaps (a database sequence would leave them).
CREATE TABLE invoice_number_counters (
    organization_id uuid    NOT NULL REFERENCES organizations (id),
    year            integer NOT NULL CHECK (year BETWEEN 1 AND 9999),
    last_number     bigint  NOT NULL CHECK (last_number > 0),
    PRIMARY KEY (organization_id, year)
);
