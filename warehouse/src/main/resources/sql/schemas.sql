-- Applied by the stack at every `up`, over Trino JDBC; each statement must be idempotent.
-- raw: CDC mirrors of billing-core tables; analytics: facts, rollups and the analyst views;
-- reports: nightly reports; simulations: what-if results.
CREATE SCHEMA IF NOT EXISTS marginal.raw;
CREATE SCHEMA IF NOT EXISTS marginal.analytics;
CREATE SCHEMA IF NOT EXISTS marginal.reports;
CREATE SCHEMA IF NOT EXISTS marginal.simulations;
