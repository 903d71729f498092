-- A deleted customer's CDC record names its organisation: Debezium's "before" row of a delete holds
-- the table's replica identity only, which by default is the primary key. With (id,
-- organization_id) as the identity, the warehouse's raw.customers can keep each customer's newest
-- version per organisation (GROUP BY organization_id, id), so a query for one organisation (every
-- margin view joins raw.customers) reads that organisation's customers, not every customer's
-- history; a delete without its organisation would leave the row visible there.
-- Updates are not affected: their old row is logged only when an identity column changes, and
-- neither id nor organization_id ever does.
CREATE UNIQUE INDEX IF NOT EXISTS customers_id_organization ON customers (id, organization_id);
ALTER TABLE customers REPLICA IDENTITY USING INDEX customers_id_organization;
