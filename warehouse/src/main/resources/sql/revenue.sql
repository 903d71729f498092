-- Revenue, cost and margin: analytics.revenue_facts and analytics.usage_cost_deltas (written by the
-- pipelines' raw-events job; declared here too so the views exist before it first runs — the job
-- refuses to start if these declarations and its schemas, RevenueFactsTable / UsageCostDeltasTable,
-- differ; RevenueSqlTest compares them), and the views analysts start from.
--
-- Money is DECIMAL(38,12) in major units with a currency column. Revenue excludes tax. Margins are
-- per currency: nothing is converted, so a customer billed in EUR whose LLM calls cost USD has an
-- EUR row (revenue) and a USD row (cost).
--
-- Applied through Trino JDBC at every `up`; every statement is idempotent.

CREATE TABLE IF NOT EXISTS marginal.analytics.revenue_facts (
    organization_id  varchar                     NOT NULL,
    customer_id      varchar,
    product_id       varchar,
    subscription_id  varchar,
    order_id         varchar                     NOT NULL,
    source_id        varchar                     NOT NULL,
    fact_type        varchar                     NOT NULL,
    line_kind        varchar,
    day              date                        NOT NULL,
    booked_at        timestamp(6) with time zone NOT NULL,
    currency         varchar                     NOT NULL,
    revenue          decimal(38,12)              NOT NULL,
    tax              decimal(38,12)              NOT NULL,
    fees             decimal(38,12)              NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['day'], sorted_by = ARRAY['organization_id']);

CREATE TABLE IF NOT EXISTS marginal.analytics.usage_cost_deltas (
    organization_id       varchar        NOT NULL,
    customer_id           varchar,
    external_customer_id  varchar,
    feature               varchar        NOT NULL,
    day                   date           NOT NULL,
    currency              varchar,
    cost                  decimal(38,12),
    events                bigint         NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['day'], sorted_by = ARRAY['organization_id']);

-- What each checkpoint added to each (organisation, customer, UTC day, currency): revenue from
-- revenue_facts and LLM cost and calls from usage_cost_deltas' source in one row, so customer_margins
-- reads one row per customer-day once the day close has merged a past day (CustomerDayDeltasTable).
-- Revenue rows name the customer by billing-core id, usage rows as the event did.
CREATE TABLE IF NOT EXISTS marginal.analytics.customer_day_deltas (
    organization_id       varchar        NOT NULL,
    customer_id           varchar,
    external_customer_id  varchar,
    day                   date           NOT NULL,
    currency              varchar,
    revenue               decimal(38,12) NOT NULL,
    subscription_revenue  decimal(38,12) NOT NULL,
    usage_revenue         decimal(38,12) NOT NULL,
    cost                  decimal(38,12) NOT NULL,
    fees                  decimal(38,12) NOT NULL,
    events                bigint         NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['day'], sorted_by = ARRAY['organization_id']);

-- One row per (organisation, customer, UTC day, currency). A customer is its billing-core id; usage
-- sent under an external id is matched to the customer holding that external id (raw.customers),
-- and stays under external_customer_id alone while no customer has it.
-- gross_margin = revenue - cost - fees, computed after the sums.
-- It sums customer_day_deltas, the pipelines' sums of revenue_facts and usage costs per
-- customer-day (the same figures as summing those two tables, in a fraction of the rows).
CREATE OR REPLACE VIEW marginal.analytics.customer_margins AS
WITH customers AS (
    SELECT organization_id, id, external_id FROM marginal.raw.customers
)
SELECT d.organization_id,
       coalesce(d.customer_id, by_external.id)                        AS customer_id,
       coalesce(by_id.external_id, d.external_customer_id)             AS external_customer_id,
       d.day,
       d.currency,
       CAST(sum(d.revenue) AS decimal(38,12))                           AS revenue,
       CAST(sum(d.subscription_revenue) AS decimal(38,12))              AS subscription_revenue,
       CAST(sum(d.usage_revenue) AS decimal(38,12))                     AS usage_revenue,
       CAST(sum(d.cost) AS decimal(38,12))                              AS cost,
       CAST(sum(d.fees) AS decimal(38,12))                              AS fees,
       CAST(sum(d.revenue) - sum(d.cost) - sum(d.fees) AS decimal(38,12)) AS gross_margin,
       sum(d.events)                                                    AS events
FROM marginal.analytics.customer_day_deltas d
LEFT JOIN customers by_id ON by_id.organization_id = d.organization_id AND by_id.id = d.customer_id
LEFT JOIN customers by_external ON d.customer_id IS NULL AND by_external.organization_id = d.organization_id
                                AND by_external.external_id = d.external_customer_id
GROUP BY 1, 2, 3, 4, 5;

-- One row per (organisation, feature, UTC day, currency). A feature is the usage event's name.
-- Cost is the feature's own. Revenue is allocated: each customer's revenue of a day (subscription
-- fees included) goes to its features in proportion to their share of its usage cost that day in
-- the same currency (rounded to 12 decimals per share); a customer-day with revenue but without
-- usage cost in that currency books its revenue under the feature '(unallocated)'.
-- gross_margin = revenue - cost (fees stay in customer_margins).
-- The customer-day totals the allocation divides by come from customer_day_deltas (revenue and
-- usage cost per customer-day, one row each once closed), joined to each feature's cost: one hash
-- join instead of window sums over every feature row.
CREATE OR REPLACE VIEW marginal.analytics.feature_margins AS
WITH customers AS (
    SELECT organization_id, id, external_id FROM marginal.raw.customers
),
usage AS (
    SELECT d.organization_id,
           coalesce(d.customer_id, c.id, 'external:' || d.external_customer_id) AS customer_key,
           d.feature, d.day, d.currency,
           coalesce(sum(d.cost), 0) AS cost,
           sum(d.events)            AS events
    FROM marginal.analytics.usage_cost_deltas d
    LEFT JOIN customers c ON d.customer_id IS NULL AND c.organization_id = d.organization_id
                          AND c.external_id = d.external_customer_id
    GROUP BY 1, 2, 3, 4, 5
),
customer_days AS (
    SELECT d.organization_id,
           coalesce(d.customer_id, c.id, 'external:' || d.external_customer_id) AS customer_key,
           d.day, d.currency,
           sum(d.revenue) AS revenue,
           sum(d.cost)    AS cost
    FROM marginal.analytics.customer_day_deltas d
    LEFT JOIN customers c ON d.customer_id IS NULL AND c.organization_id = d.organization_id
                          AND c.external_id = d.external_customer_id
    GROUP BY 1, 2, 3, 4
)
SELECT organization_id,
       feature,
       day,
       currency,
       CAST(sum(revenue) AS decimal(38,12))               AS revenue,
       CAST(sum(cost) AS decimal(38,12))                  AS cost,
       CAST(sum(revenue) - sum(cost) AS decimal(38,12))   AS gross_margin,
       sum(events)                                        AS events
FROM (
    SELECT u.organization_id, u.feature, u.day, u.currency,
           CASE WHEN cd.cost > 0 THEN CAST(cd.revenue * u.cost AS decimal(38,12)) / cd.cost
                ELSE CAST(0 AS decimal(38,12)) END AS revenue,
           u.cost, u.events
    FROM usage u
    JOIN customer_days cd ON cd.organization_id = u.organization_id AND cd.customer_key = u.customer_key
                         AND cd.day = u.day AND coalesce(cd.currency, '') = coalesce(u.currency, '')
    UNION ALL
    SELECT organization_id, '(unallocated)', day, currency, revenue, CAST(0 AS decimal(38,12)), CAST(0 AS bigint)
    FROM customer_days
    WHERE cost = 0 AND revenue <> 0
)
GROUP BY organization_id, feature, day, currency;

-- Customers whose gross margin over the trailing 30 UTC days (today included) is negative, one row
-- per (organisation, customer, currency), worst first when ordered by gross_margin.
CREATE OR REPLACE VIEW marginal.analytics.unprofitable_customers AS
SELECT organization_id,
       customer_id,
       external_customer_id,
       currency,
       current_date - INTERVAL '29' DAY                   AS window_start,
       current_date                                       AS window_end,
       CAST(sum(revenue) AS decimal(38,12))               AS revenue,
       CAST(sum(cost) AS decimal(38,12))                  AS cost,
       CAST(sum(fees) AS decimal(38,12))                  AS fees,
       CAST(sum(gross_margin) AS decimal(38,12))          AS gross_margin,
       sum(events)                                        AS events
FROM marginal.analytics.customer_margins
WHERE day > current_date - INTERVAL '30' DAY AND day <= current_date
GROUP BY organization_id, customer_id, external_customer_id, currency
HAVING sum(gross_margin) < 0;

-- Revenue and margin by signup month: customers grouped by the month billing-core created them
-- (cohort_month), their figures per calendar month since (month), per currency.
CREATE OR REPLACE VIEW marginal.analytics.cohorts AS
WITH customers AS (
    SELECT organization_id, id, CAST(date_trunc('month', created_at AT TIME ZONE 'UTC') AS date) AS cohort_month
    FROM marginal.raw.customers
),
sizes AS (
    SELECT organization_id, cohort_month, count(*) AS cohort_customers FROM customers GROUP BY 1, 2
)
SELECT c.organization_id,
       c.cohort_month,
       date_trunc('month', m.day)                         AS month,
       m.currency,
       max(s.cohort_customers)                            AS cohort_customers,
       count(DISTINCT m.customer_id)                      AS active_customers,
       CAST(sum(m.revenue) AS decimal(38,12))             AS revenue,
       CAST(sum(m.cost) AS decimal(38,12))                AS cost,
       CAST(sum(m.fees) AS decimal(38,12))                AS fees,
       CAST(sum(m.gross_margin) AS decimal(38,12))        AS gross_margin
FROM marginal.analytics.customer_margins m
JOIN customers c ON c.organization_id = m.organization_id AND c.id = m.customer_id
JOIN sizes s ON s.organization_id = c.organization_id AND s.cohort_month = c.cohort_month
GROUP BY c.organization_id, c.cohort_month, date_trunc('month', m.day), m.currency;
