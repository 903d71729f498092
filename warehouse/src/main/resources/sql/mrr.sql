-- analytics.mrr: monthly recurring revenue per organisation, calendar month (UTC) and currency,
-- with its movements and net revenue retention.
--
-- A customer's MRR in a month is what its paid subscription fees (fixed order lines; each line's net,
-- as its revenue_facts sum: analytics.subscription_lines) cost per month, for the
-- lines whose service period covers the month's last second: a line of N months (its period's
-- days / 30.436875, rounded, at least 1) counts amount / N. A subscription not renewed drops out
-- the month its period ends. Movements compare a customer's MRR with the month before:
--   new: from 0, never paid before · reactivated: from 0, paid in an earlier month ·
--   expansion / contraction: up / down while above 0 · churned: down to 0 (the MRR lost).
-- net_revenue_retention = this month's MRR of last month's paying customers / their MRR last
-- month (NULL in a month after none paid).

-- Each paid subscription fee line with its period and what it earns in all (the sum of its
-- revenue_facts), written by the pipelines beside those facts (SubscriptionLinesTable).
CREATE TABLE IF NOT EXISTS marginal.analytics.subscription_lines (
    organization_id  varchar                     NOT NULL,
    customer_id      varchar,
    subscription_id  varchar,
    order_id         varchar                     NOT NULL,
    item_id          varchar                     NOT NULL,
    currency         varchar                     NOT NULL,
    period_start     timestamp(6) with time zone NOT NULL,
    period_end       timestamp(6) with time zone NOT NULL,
    amount           decimal(38,12)              NOT NULL
)
WITH (format_version = 2);

CREATE OR REPLACE VIEW marginal.analytics.mrr AS
WITH lines AS (
    SELECT organization_id, customer_id, currency, period_start AS start_timestamp, period_end AS end_timestamp,
           sum(amount) AS amount
    FROM marginal.analytics.subscription_lines
    GROUP BY 1, 2, 3, 4, 5
),
monthly AS (
    SELECT organization_id, customer_id, currency, start_timestamp, end_timestamp,
           CAST(amount / greatest(1, CAST(round(date_diff('day', start_timestamp, end_timestamp) / 30.436875e0) AS bigint))
                AS decimal(38,12)) AS mrr
    FROM lines
),
customer_months AS (
    SELECT organization_id, customer_id, currency, month
    FROM (SELECT organization_id, customer_id, currency,
                 CAST(date_trunc('month', min(start_timestamp) AT TIME ZONE 'UTC') AS date) AS first_month,
                 CAST(date_trunc('month', greatest(max(end_timestamp) AT TIME ZONE 'UTC',
                                                   current_timestamp AT TIME ZONE 'UTC')) AS date) AS last_month
          FROM monthly GROUP BY 1, 2, 3)
    CROSS JOIN UNNEST(sequence(first_month, last_month, INTERVAL '1' MONTH)) AS t (month)
),
customer_mrr AS (
    SELECT cm.organization_id, cm.customer_id, cm.currency, cm.month, coalesce(sum(m.mrr), 0) AS mrr
    FROM customer_months cm
    LEFT JOIN monthly m ON m.organization_id = cm.organization_id AND m.customer_id = cm.customer_id
                       AND m.currency = cm.currency
                       AND m.start_timestamp <= with_timezone(CAST(cm.month + INTERVAL '1' MONTH AS timestamp(6)), 'UTC') - INTERVAL '1' SECOND
                       AND m.end_timestamp > with_timezone(CAST(cm.month + INTERVAL '1' MONTH AS timestamp(6)), 'UTC') - INTERVAL '1' SECOND
    GROUP BY 1, 2, 3, 4
),
movements AS (
    SELECT organization_id, customer_id, currency, month, mrr,
           lag(mrr, 1, CAST(0 AS decimal(38,12))) OVER (PARTITION BY organization_id, customer_id, currency ORDER BY month) AS previous,
           coalesce(max(mrr) OVER (PARTITION BY organization_id, customer_id, currency ORDER BY month
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS best_before
    FROM customer_mrr
)
SELECT organization_id,
       month,
       currency,
       CAST(sum(mrr) AS decimal(38,12))                                                                   AS mrr,
       CAST(sum(CASE WHEN previous = 0 AND mrr > 0 AND best_before = 0 THEN mrr ELSE 0 END) AS decimal(38,12))  AS new_mrr,
       CAST(sum(CASE WHEN previous > 0 AND mrr > previous THEN mrr - previous ELSE 0 END) AS decimal(38,12)) AS expansion_mrr,
       CAST(sum(CASE WHEN previous > 0 AND mrr > 0 AND mrr < previous THEN previous - mrr ELSE 0 END) AS decimal(38,12)) AS contraction_mrr,
       CAST(sum(CASE WHEN previous > 0 AND mrr = 0 THEN previous ELSE 0 END) AS decimal(38,12))        AS churned_mrr,
       CAST(sum(CASE WHEN previous = 0 AND mrr > 0 AND best_before > 0 THEN mrr ELSE 0 END) AS decimal(38,12)) AS reactivated_mrr,
       count_if(mrr > 0)                                                                                  AS customers,
       CAST(sum(CASE WHEN previous > 0 THEN mrr ELSE 0 END) AS decimal(38,12))
           / nullif(CAST(sum(previous) AS decimal(38,12)), 0)                                             AS net_revenue_retention
FROM movements
GROUP BY organization_id, month, currency;
