-- reports.daily_revenue: the nightly revenue report, one row per organisation, report date (UTC)
-- and currency. Written by `bin/marginal report` (warehouse/reports) with one MERGE per run, so a
-- rerun for the same date and organisation replaces its rows in one commit: never two sets.
--
-- Money is DECIMAL(38,12) in major units, exact (the HTML and CSV files round to minor units).
-- Identities that hold on every row:
--   net_revenue = gross - refunds - disputes - tax_collected - fees
--   margin      = recognised - llm_cost - fees_recognised   (as analytics.customer_margins)
-- docs/warehouse.md describes each column.
--
-- Applied through Trino JDBC at every `up`; idempotent.
CREATE TABLE IF NOT EXISTS marginal.reports.daily_revenue (
    organization_id          varchar                      NOT NULL,
    report_date              date                         NOT NULL,
    currency                 varchar                      NOT NULL,
    gross                    decimal(38,12)               NOT NULL,
    tax_collected            decimal(38,12)               NOT NULL,
    refunds                  decimal(38,12)               NOT NULL,
    disputes                 decimal(38,12)               NOT NULL,
    fees                     decimal(38,12)               NOT NULL,
    net_revenue              decimal(38,12)               NOT NULL,
    billed                   decimal(38,12)               NOT NULL,
    recognised               decimal(38,12)               NOT NULL,
    llm_cost                 decimal(38,12)               NOT NULL,
    fees_recognised          decimal(38,12)               NOT NULL,
    margin                   decimal(38,12)               NOT NULL,
    previous_net_revenue     decimal(38,12)               NOT NULL,
    previous_recognised      decimal(38,12)               NOT NULL,
    previous_margin          decimal(38,12)               NOT NULL,
    mtd_gross                decimal(38,12)               NOT NULL,
    mtd_net_revenue          decimal(38,12)               NOT NULL,
    mtd_recognised           decimal(38,12)               NOT NULL,
    mtd_llm_cost             decimal(38,12)               NOT NULL,
    mtd_margin               decimal(38,12)               NOT NULL,
    generated_at             timestamp(6) with time zone  NOT NULL
)
WITH (format_version = 2, partitioning = ARRAY['month(report_date)']);
