-- raw.<table>: billing-core's tables as analysts know them, one row per live row, read from
-- raw.cdc_changes, the append-only log of every change the CDC runner captured (the pipelines'
-- raw-events job writes it; pipelines CdcChangesTable.SCHEMA is its definition, and
-- CdcChangesSqlTest keeps the declaration below identical to it).
--
-- Each view keeps a row's newest version (highest WAL position) and hides deleted rows; columns
-- carry billing-core's names and units: money is minor units (BIGINT) as in billing-core, sub-cent
-- amounts DECIMAL(38,12) minor units, jsonb columns JSON text. The analytics schema holds the
-- major-unit figures. A table billing-core adds later (refunds, disputes, payouts, tax) is in
-- raw.cdc_changes as soon as CDC captures it; its view is a few lines more here.
--
-- order_items has no organisation of its own: the job fills organization_id from the item's order,
-- so the analysts' row filter applies to items too.
--
-- Applied through Trino JDBC at every `up`; every statement is idempotent.

CREATE TABLE IF NOT EXISTS marginal.raw.cdc_changes (
    table_name       varchar                     NOT NULL,
    id               varchar                     NOT NULL,
    organization_id  varchar,
    cdc_op           varchar                     NOT NULL,
    cdc_lsn          bigint,
    cdc_ts           timestamp(6) with time zone,
    data             varchar                     NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['table_name']);

CREATE OR REPLACE VIEW marginal.raw.customers AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.external_id') AS external_id,
       json_extract_scalar(data, '$.email') AS email,
       json_extract_scalar(data, '$.name') AS name,
       json_extract_scalar(data, '$.billing_address') AS billing_address,
       json_extract_scalar(data, '$.locale') AS locale,
       json_extract_scalar(data, '$.metadata') AS metadata,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.deleted_at')) AS timestamp(6) with time zone) AS deleted_at,
       cdc_ts AS changed_at
FROM (
    -- The newest version per (organisation, customer) rather than a window over every customer's
    -- history: a filter on organization_id (every margin view's join brings one) then reaches the
    -- scan of cdc_changes. A delete names its organisation (billing-core's V26 makes (id,
    -- organization_id) the replica identity of customers), so it falls in its customer's group.
    SELECT organization_id, id,
           max_by(cdc_op, version) AS cdc_op,
           max_by(data, version)   AS data,
           max_by(cdc_ts, version) AS cdc_ts
    FROM (
        -- Newest first as the other views order: by WAL position, then change time, unknown last.
        SELECT organization_id, id, cdc_op, data, cdc_ts,
               ROW(cdc_lsn IS NOT NULL, coalesce(cdc_lsn, 0),
                   cdc_ts IS NOT NULL, coalesce(cdc_ts, TIMESTAMP '1970-01-01 00:00:00.000000 UTC')) AS version
        FROM marginal.raw.cdc_changes
        WHERE table_name = 'customers'
    )
    GROUP BY organization_id, id
)
WHERE cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.meters AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.name') AS name,
       json_extract_scalar(data, '$.filter') AS filter,
       json_extract_scalar(data, '$.aggregation') AS aggregation,
       json_extract_scalar(data, '$.unit') AS unit,
       json_extract_scalar(data, '$.custom_label') AS custom_label,
       CAST(json_extract_scalar(data, '$.custom_multiplier') AS integer) AS custom_multiplier,
       json_extract_scalar(data, '$.metadata') AS metadata,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.archived_at')) AS timestamp(6) with time zone) AS archived_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'meters'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.products AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.name') AS name,
       json_extract_scalar(data, '$.description') AS description,
       json_extract_scalar(data, '$.visibility') AS visibility,
       json_extract_scalar(data, '$.recurring_interval') AS recurring_interval,
       CAST(json_extract_scalar(data, '$.recurring_interval_count') AS integer) AS recurring_interval_count,
       json_extract_scalar(data, '$.trial_interval') AS trial_interval,
       CAST(json_extract_scalar(data, '$.trial_interval_count') AS integer) AS trial_interval_count,
       json_extract_scalar(data, '$.metadata') AS metadata,
       CAST(json_extract_scalar(data, '$.is_archived') AS boolean) AS is_archived,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'products'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.product_prices AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.product_id') AS product_id,
       json_extract_scalar(data, '$.amount_type') AS amount_type,
       json_extract_scalar(data, '$.price_currency') AS price_currency,
       CAST(json_extract_scalar(data, '$.price_amount') AS bigint) AS price_amount,
       CAST(json_extract_scalar(data, '$.unit_amount') AS decimal(38,12)) AS unit_amount,
       CAST(json_extract_scalar(data, '$.cap_amount') AS bigint) AS cap_amount,
       json_extract_scalar(data, '$.meter_id') AS meter_id,
       json_extract_scalar(data, '$.tiers') AS tiers,
       CAST(json_extract_scalar(data, '$.is_archived') AS boolean) AS is_archived,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'product_prices'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.subscriptions AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.customer_id') AS customer_id,
       json_extract_scalar(data, '$.product_id') AS product_id,
       json_extract_scalar(data, '$.currency') AS currency,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       json_extract_scalar(data, '$.recurring_interval') AS recurring_interval,
       CAST(json_extract_scalar(data, '$.recurring_interval_count') AS integer) AS recurring_interval_count,
       json_extract_scalar(data, '$.status') AS status,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.billing_anchor')) AS timestamp(6) with time zone) AS billing_anchor,
       CAST(json_extract_scalar(data, '$.period_index') AS bigint) AS period_index,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.current_period_start')) AS timestamp(6) with time zone) AS current_period_start,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.current_period_end')) AS timestamp(6) with time zone) AS current_period_end,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.trial_start')) AS timestamp(6) with time zone) AS trial_start,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.trial_end')) AS timestamp(6) with time zone) AS trial_end,
       CAST(json_extract_scalar(data, '$.cancel_at_period_end') AS boolean) AS cancel_at_period_end,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.canceled_at')) AS timestamp(6) with time zone) AS canceled_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.started_at')) AS timestamp(6) with time zone) AS started_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.ends_at')) AS timestamp(6) with time zone) AS ends_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.ended_at')) AS timestamp(6) with time zone) AS ended_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.past_due_at')) AS timestamp(6) with time zone) AS past_due_at,
       json_extract_scalar(data, '$.dunning_order_id') AS dunning_order_id,
       CAST(json_extract_scalar(data, '$.payment_attempts') AS integer) AS payment_attempts,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.next_payment_attempt_at')) AS timestamp(6) with time zone) AS next_payment_attempt_at,
       json_extract_scalar(data, '$.discount_id') AS discount_id,
       json_extract_scalar(data, '$.metadata') AS metadata,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'subscriptions'
)
WHERE version = 1 AND cdc_op <> 'd';

-- Each subscription's lifecycle, one row per change billing-core made (append-only there): created,
-- status changes, cancellations scheduled or undone, renewals, product changes. occurred_at is by the
-- organisation's clock (a test clock's for a sandbox), recorded_at when the row was written.
CREATE OR REPLACE VIEW marginal.raw.subscription_events AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.subscription_id') AS subscription_id,
       json_extract_scalar(data, '$.type') AS type,
       json_extract_scalar(data, '$.from_status') AS from_status,
       json_extract_scalar(data, '$.to_status') AS to_status,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.occurred_at')) AS timestamp(6) with time zone) AS occurred_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.recorded_at')) AS timestamp(6) with time zone) AS recorded_at,
       json_extract_scalar(data, '$.detail') AS detail,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'subscription_events'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.orders AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.customer_id') AS customer_id,
       json_extract_scalar(data, '$.product_id') AS product_id,
       json_extract_scalar(data, '$.subscription_id') AS subscription_id,
       json_extract_scalar(data, '$.status') AS status,
       json_extract_scalar(data, '$.billing_reason') AS billing_reason,
       json_extract_scalar(data, '$.currency') AS currency,
       CAST(json_extract_scalar(data, '$.subtotal_amount') AS bigint) AS subtotal_amount,
       CAST(json_extract_scalar(data, '$.discount_amount') AS bigint) AS discount_amount,
       CAST(json_extract_scalar(data, '$.net_amount') AS bigint) AS net_amount,
       CAST(json_extract_scalar(data, '$.tax_amount') AS bigint) AS tax_amount,
       CAST(json_extract_scalar(data, '$.total_amount') AS bigint) AS total_amount,
       CAST(json_extract_scalar(data, '$.platform_fee_amount') AS bigint) AS platform_fee_amount,
       CAST(json_extract_scalar(data, '$.refunded_amount') AS bigint) AS refunded_amount,
       CAST(json_extract_scalar(data, '$.refunded_tax_amount') AS bigint) AS refunded_tax_amount,
       json_extract_scalar(data, '$.discount_id') AS discount_id,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.next_payment_attempt_at')) AS timestamp(6) with time zone) AS next_payment_attempt_at,
       json_extract_scalar(data, '$.invoice_number') AS invoice_number,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.invoice_generated_at')) AS timestamp(6) with time zone) AS invoice_generated_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.period_start')) AS timestamp(6) with time zone) AS period_start,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.period_end')) AS timestamp(6) with time zone) AS period_end,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'orders'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.order_items AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.order_id') AS order_id,
       CAST(json_extract_scalar(data, '$.position') AS integer) AS position,
       json_extract_scalar(data, '$.label') AS label,
       json_extract_scalar(data, '$.kind') AS kind,
       CAST(json_extract_scalar(data, '$.quantity') AS decimal(38,12)) AS quantity,
       json_extract_scalar(data, '$.unit') AS unit,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       CAST(json_extract_scalar(data, '$.tax_amount') AS bigint) AS tax_amount,
       CAST(json_extract_scalar(data, '$.discount_amount') AS bigint) AS discount_amount,
       -- what the line earns: amount less its discount and, for a tax-inclusive price, its tax
       CAST(coalesce(json_extract_scalar(data, '$.net_amount'), json_extract_scalar(data, '$.amount')) AS bigint) AS net_amount,
       json_extract_scalar(data, '$.product_price_id') AS product_price_id,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.start_timestamp')) AS timestamp(6) with time zone) AS start_timestamp,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.end_timestamp')) AS timestamp(6) with time zone) AS end_timestamp,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'order_items'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.payments AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.order_id') AS order_id,
       json_extract_scalar(data, '$.customer_id') AS customer_id,
       json_extract_scalar(data, '$.processor') AS processor,
       json_extract_scalar(data, '$.processor_reference') AS processor_reference,
       json_extract_scalar(data, '$.status') AS status,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       json_extract_scalar(data, '$.currency') AS currency,
       CAST(json_extract_scalar(data, '$.processor_fee_amount') AS bigint) AS processor_fee_amount,
       json_extract_scalar(data, '$.decline_reason') AS decline_reason,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'payments'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.transactions AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.correlation_key') AS correlation_key,
       json_extract_scalar(data, '$.type') AS type,
       json_extract_scalar(data, '$.account') AS account,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       json_extract_scalar(data, '$.currency') AS currency,
       json_extract_scalar(data, '$.order_id') AS order_id,
       json_extract_scalar(data, '$.payment_id') AS payment_id,
       json_extract_scalar(data, '$.reverses_id') AS reverses_id,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.recorded_at')) AS timestamp(6) with time zone) AS recorded_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'transactions'
)
WHERE version = 1 AND cdc_op <> 'd';

-- Refunds, disputes, payouts and discounts (V11–V16): money in minor units as in billing-core; the ledger
-- rows they made are in raw.transactions.
CREATE OR REPLACE VIEW marginal.raw.refunds AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.order_id') AS order_id,
       json_extract_scalar(data, '$.payment_id') AS payment_id,
       json_extract_scalar(data, '$.subscription_id') AS subscription_id,
       json_extract_scalar(data, '$.customer_id') AS customer_id,
       json_extract_scalar(data, '$.status') AS status,
       json_extract_scalar(data, '$.reason') AS reason,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       CAST(json_extract_scalar(data, '$.tax_amount') AS bigint) AS tax_amount,
       json_extract_scalar(data, '$.currency') AS currency,
       json_extract_scalar(data, '$.comment') AS comment,
       CAST(json_extract_scalar(data, '$.revoke_benefits') AS boolean) AS revoke_benefits,
       json_extract_scalar(data, '$.metadata') AS metadata,
       json_extract_scalar(data, '$.processor') AS processor,
       json_extract_scalar(data, '$.processor_reference') AS processor_reference,
       json_extract_scalar(data, '$.failure_reason') AS failure_reason,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'refunds'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.disputes AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.order_id') AS order_id,
       json_extract_scalar(data, '$.payment_id') AS payment_id,
       json_extract_scalar(data, '$.customer_id') AS customer_id,
       json_extract_scalar(data, '$.status') AS status,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       CAST(json_extract_scalar(data, '$.tax_amount') AS bigint) AS tax_amount,
       json_extract_scalar(data, '$.currency') AS currency,
       CAST(json_extract_scalar(data, '$.fee_amount') AS bigint) AS fee_amount,
       json_extract_scalar(data, '$.reason') AS reason,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.evidence_due_by')) AS timestamp(6) with time zone) AS evidence_due_by,
       json_extract_scalar(data, '$.processor') AS processor,
       json_extract_scalar(data, '$.processor_reference') AS processor_reference,
       json_extract_scalar(data, '$.opened_correlation_key') AS opened_correlation_key,
       json_extract_scalar(data, '$.reversal_correlation_key') AS reversal_correlation_key,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.resolved_at')) AS timestamp(6) with time zone) AS resolved_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'disputes'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.payouts AS
SELECT
       id,
       organization_id,
       CAST(json_extract_scalar(data, '$.amount') AS bigint) AS amount,
       json_extract_scalar(data, '$.currency') AS currency,
       json_extract_scalar(data, '$.description') AS description,
       json_extract_scalar(data, '$.metadata') AS metadata,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.arrival_date')) AS timestamp(6) with time zone) AS arrival_date,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'payouts'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.discounts AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.name') AS name,
       json_extract_scalar(data, '$.code') AS code,
       json_extract_scalar(data, '$.type') AS type,
       CAST(json_extract_scalar(data, '$.basis_points') AS integer) AS basis_points,
       json_extract_scalar(data, '$.amounts') AS amounts,
       json_extract_scalar(data, '$.duration') AS duration,
       CAST(json_extract_scalar(data, '$.duration_in_months') AS integer) AS duration_in_months,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.starts_at')) AS timestamp(6) with time zone) AS starts_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.ends_at')) AS timestamp(6) with time zone) AS ends_at,
       CAST(json_extract_scalar(data, '$.max_redemptions') AS integer) AS max_redemptions,
       json_extract_scalar(data, '$.metadata') AS metadata,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.created_at')) AS timestamp(6) with time zone) AS created_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.modified_at')) AS timestamp(6) with time zone) AS modified_at,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.deleted_at')) AS timestamp(6) with time zone) AS deleted_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'discounts'
)
WHERE version = 1 AND cdc_op <> 'd';

-- Reference tables of no organisation (V14, V17): organization_id is NULL, so only the platform reads
-- them (an analyst's row filter matches no row). A DATE arrives as days since 1970-01-01.
CREATE OR REPLACE VIEW marginal.raw.tax_rates AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.country') AS country,
       json_extract_scalar(data, '$.postal_prefix') AS postal_prefix,
       json_extract_scalar(data, '$.jurisdiction') AS jurisdiction,
       json_extract_scalar(data, '$.tax_type') AS tax_type,
       CAST(json_extract_scalar(data, '$.rate') AS decimal(7,4)) AS rate,
       CAST(json_extract_scalar(data, '$.reverse_charge') AS boolean) AS reverse_charge,
       date_add('day', CAST(json_extract_scalar(data, '$.valid_from') AS integer), DATE '1970-01-01') AS valid_from,
       json_extract_scalar(data, '$.description') AS description,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'tax_rates'
)
WHERE version = 1 AND cdc_op <> 'd';

CREATE OR REPLACE VIEW marginal.raw.fx_rates AS
SELECT
       id,
       organization_id,
       json_extract_scalar(data, '$.base_currency') AS base_currency,
       json_extract_scalar(data, '$.quote_currency') AS quote_currency,
       date_add('day', CAST(json_extract_scalar(data, '$.rate_date') AS integer), DATE '1970-01-01') AS rate_date,
       CAST(json_extract_scalar(data, '$.rate') AS decimal(30,12)) AS rate,
       json_extract_scalar(data, '$.source') AS source,
       CAST(from_iso8601_timestamp_nanos(json_extract_scalar(data, '$.loaded_at')) AS timestamp(6) with time zone) AS loaded_at,
       cdc_ts AS changed_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY id ORDER BY cdc_lsn DESC NULLS LAST, cdc_ts DESC NULLS LAST) AS version
    FROM marginal.raw.cdc_changes
    WHERE table_name = 'fx_rates'
)
WHERE version = 1 AND cdc_op <> 'd';
