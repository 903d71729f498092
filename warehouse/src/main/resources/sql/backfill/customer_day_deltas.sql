-- analytics.customer_day_deltas computed from the tables it sums: revenue_facts (revenue, split by
-- fact type, and fees; tax is not revenue) and usage_cost_deltas (LLM cost and calls), one row per
-- (organisation, customer as its source named it, day, currency) — what the pipelines'
-- CustomerDayDeltas writes, summed. Not part of apply-order.txt: `bin/marginal up` runs it once,
-- when it creates customer_day_deltas on a home whose warehouse already holds facts (a home from a
-- release before the table), with /*scope*/ = TRUE; tests that seed the two source tables run it
-- for their own organisations. Run it with the raw-events job stopped, or its rows count twice.
INSERT INTO marginal.analytics.customer_day_deltas
SELECT organization_id, customer_id, external_customer_id, day, currency,
       sum(revenue), sum(subscription_revenue), sum(usage_revenue), sum(cost), sum(fees), sum(events)
FROM (
    SELECT organization_id, customer_id, CAST(NULL AS varchar) AS external_customer_id, day, currency,
           revenue,
           CASE WHEN fact_type = 'subscription' THEN revenue ELSE 0 END AS subscription_revenue,
           CASE WHEN fact_type = 'usage' THEN revenue ELSE 0 END        AS usage_revenue,
           CAST(0 AS decimal(38,12))                                     AS cost,
           fees,
           CAST(0 AS bigint)                                             AS events
    FROM marginal.analytics.revenue_facts
    UNION ALL
    SELECT organization_id, customer_id, external_customer_id, day, currency,
           0, 0, 0, coalesce(cost, 0), 0, events
    FROM marginal.analytics.usage_cost_deltas
)
WHERE /*scope*/
GROUP BY 1, 2, 3, 4, 5
