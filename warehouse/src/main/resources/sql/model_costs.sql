-- analytics.model_costs: LLM cost and tokens per organisation, vendor, model, UTC day and currency.
--
-- The pipelines job `raw-events` appends, at each checkpoint, one row per key it saw to
-- analytics.model_cost_deltas (partial sums of analytics.usage_costs, committed in the same
-- checkpoint as those rows); this view adds the deltas up. No upserts, no equality deletes: a late
-- or out-of-order event is one more delta in its own day's partition, so a filter on day prunes
-- to that day's files. Money is DECIMAL(38,12) in major units; calls the catalog could not price
-- have currency and cost NULL (their tokens and count still show).
--
-- Applied through Trino JDBC after schemas.sql, at every `up`; each statement is idempotent.
-- The table is declared here too so the view can be created before the job first runs; the job
-- writes rows by position and refuses to start if its definition (pipelines
-- ModelCostDeltasTable.SCHEMA) and this one differ. Change both together.

CREATE TABLE IF NOT EXISTS marginal.analytics.model_cost_deltas (
    organization_id      varchar        NOT NULL,
    vendor               varchar        NOT NULL,
    model                varchar        NOT NULL,
    day                  date           NOT NULL,
    currency             varchar,
    input_tokens         bigint         NOT NULL,
    cached_input_tokens  bigint         NOT NULL,
    output_tokens        bigint         NOT NULL,
    cost                 decimal(38,12),
    events               bigint         NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['day'], sorted_by = ARRAY['organization_id']);

CREATE OR REPLACE VIEW marginal.analytics.model_costs AS
SELECT organization_id,
       vendor,
       model,
       day,
       currency,
       sum(input_tokens)                   AS input_tokens,
       sum(output_tokens)                  AS output_tokens,
       CAST(sum(cost) AS decimal(38,12))   AS cost,
       sum(events)                         AS events
FROM marginal.analytics.model_cost_deltas
GROUP BY organization_id, vendor, model, day, currency;
