-- analytics.subscription_lines computed from what it summarises: each paid subscription fee line
-- (revenue_facts of type subscription, kind fixed, summed per line) with its service period from
-- raw.order_items — what the pipelines' OrderRevenue writes when it books the line. Not part of
-- apply-order.txt: `bin/marginal up` runs it once, when it creates subscription_lines on a home
-- whose warehouse already holds facts, with /*scope*/ = TRUE; tests that seed revenue_facts and
-- order items run it for their own organisations. Run it with the raw-events job stopped.
INSERT INTO marginal.analytics.subscription_lines
SELECT organization_id, customer_id, subscription_id, order_id, item_id, currency, period_start, period_end, amount
FROM (
    SELECT f.organization_id, max(f.customer_id) AS customer_id, max(f.subscription_id) AS subscription_id,
           max(f.order_id) AS order_id, f.source_id AS item_id, max(f.currency) AS currency,
           max(i.start_timestamp) AS period_start, max(i.end_timestamp) AS period_end, sum(f.revenue) AS amount
    FROM marginal.analytics.revenue_facts f
    JOIN marginal.raw.order_items i ON i.id = f.source_id AND i.organization_id = f.organization_id
    WHERE f.fact_type = 'subscription' AND f.line_kind = 'fixed'
      AND i.start_timestamp IS NOT NULL AND i.end_timestamp > i.start_timestamp
    GROUP BY f.organization_id, f.source_id
)
WHERE /*scope*/
