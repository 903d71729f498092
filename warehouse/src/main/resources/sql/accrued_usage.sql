-- Accrued usage revenue: what subscriptions' metered prices have earned so far in their billing
-- periods, before billing-core invoices it at renewal. analytics.usage_accruals is written by the
-- pipelines' raw-events job (AccruedUsage: each event priced as it arrives by the pricing engine,
-- the period-to-date meter quantity in keyed state); declared here too so the view exists before
-- the job first runs (pipelines UsageAccrualsTable.SCHEMA; RevenueSqlTest keeps them identical).
--
-- A row's amount is the period's line priced after the event minus before it, so a period's rows
-- sum to exactly the metered line of the order that bills the period (money DECIMAL(38,12), major
-- units). Applied through Trino JDBC at every `up`; every statement is idempotent.

CREATE TABLE IF NOT EXISTS marginal.analytics.usage_accruals (
    organization_id  varchar                     NOT NULL,
    customer_id      varchar                     NOT NULL,
    subscription_id  varchar                     NOT NULL,
    price_id         varchar                     NOT NULL,
    meter_id         varchar                     NOT NULL,
    period_start     timestamp(6) with time zone NOT NULL,
    period_end       timestamp(6) with time zone NOT NULL,
    event_id         varchar                     NOT NULL,
    day              date                        NOT NULL,
    timestamp        timestamp(6) with time zone NOT NULL,
    currency         varchar                     NOT NULL,
    quantity         decimal(38,12)              NOT NULL,
    amount           decimal(38,12)              NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['day']);

-- One row per (organisation, subscription, metered price, billed window — the period, or the part of
-- it before or after a plan change): the quantity and amount accrued so far, `open` until the window
-- ends; once billing-core has invoiced it (a paid order's metered line for that price and window
-- start), `invoiced_amount` is the revenue revenue_facts booked for that line: equal to `amount` to
-- the cent, less the line's share of an order discount when there is one (accrual is before discounts).
CREATE OR REPLACE VIEW marginal.analytics.accrued_usage AS
WITH accrued AS (
    SELECT organization_id, customer_id, subscription_id, price_id, meter_id, period_start, period_end, currency,
           sum(quantity)    AS quantity,
           sum(amount)      AS amount,
           count(*)         AS events,
           max("timestamp") AS last_event_at
    FROM marginal.analytics.usage_accruals
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
),
invoiced AS (
    SELECT f.organization_id, f.subscription_id, i.product_price_id AS price_id, i.start_timestamp AS period_start,
           f.currency, sum(f.revenue) AS amount
    FROM marginal.analytics.revenue_facts f
    JOIN marginal.raw.order_items i ON i.id = f.source_id AND i.organization_id = f.organization_id
    WHERE f.fact_type = 'usage' AND f.line_kind = 'metered'
    GROUP BY 1, 2, 3, 4, 5
)
SELECT a.organization_id,
       a.customer_id,
       a.subscription_id,
       a.price_id,
       a.meter_id,
       a.period_start,
       a.period_end,
       a.currency,
       CASE WHEN a.period_end > current_timestamp THEN 'open' ELSE 'closed' END AS status,
       CAST(a.quantity AS decimal(38,12)) AS quantity,
       CAST(a.amount AS decimal(38,12))   AS amount,
       a.events,
       a.last_event_at,
       CAST(i.amount AS decimal(38,12))   AS invoiced_amount
FROM accrued a
LEFT JOIN invoiced i ON i.organization_id = a.organization_id AND i.subscription_id = a.subscription_id
                    AND i.price_id = a.price_id AND i.period_start = a.period_start AND i.currency = a.currency;
