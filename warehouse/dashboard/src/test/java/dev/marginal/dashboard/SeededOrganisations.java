package dev.marginal.dashboard;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Two organisations' figures written through Trino as the platform user, into the relations the
 * dashboard's panels read (Panels). "org-a" is the one on screen; "org-b" has bigger numbers
 * that must never appear on org-a's page.
 *
 * <p>analytics.mrr, customer_margins and feature_margins are views of the revenue work (issue 7,
 * warehouse sql/revenue.sql and mrr.sql); until the stack applies them, the test creates tables of
 * the same names with the columns the panels read. Once they are views, seed their facts
 * (analytics.revenue_facts, usage_cost_deltas) here instead: the expected figures stay the same.
 * The figures are chosen so that half-even rounding to cents shows: 12.345 → 12.34, 87.655 → 87.66.
 */
final class SeededOrganisations {

    static final String ORG_A = "org-a";
    static final String ORG_B = "org-b";

    private SeededOrganisations() {}

    static void seed(Connection platform) throws SQLException {
        try (Statement sql = platform.createStatement()) {
            for (String ddl : List.of(
                    "CREATE TABLE IF NOT EXISTS marginal.raw.events (id varchar, organization_id varchar, name varchar,"
                            + " \"timestamp\" timestamp(6) with time zone, ingested_at timestamp(6) with time zone)",
                    "CREATE TABLE IF NOT EXISTS marginal.analytics.mrr (organization_id varchar, month date, currency varchar,"
                            + " mrr decimal(38,12))",
                    "CREATE TABLE IF NOT EXISTS marginal.analytics.customer_margins (organization_id varchar, customer_id varchar,"
                            + " external_customer_id varchar, day date, currency varchar, revenue decimal(38,12),"
                            + " cost decimal(38,12), fees decimal(38,12), gross_margin decimal(38,12))",
                    "CREATE TABLE IF NOT EXISTS marginal.analytics.feature_margins (organization_id varchar, feature varchar,"
                            + " day date, currency varchar, revenue decimal(38,12), cost decimal(38,12),"
                            + " gross_margin decimal(38,12))")) {
                sql.execute(ddl);
            }
            // org-a: newest event 90 s old; org-b's is newer, and must not be the one org-a sees.
            sql.execute("INSERT INTO marginal.raw.events VALUES"
                    + " ('e1', 'org-a', 'chat.completion', current_timestamp - INTERVAL '1' HOUR, current_timestamp - INTERVAL '90' SECOND),"
                    + " ('e2', 'org-a', 'chat.completion', current_timestamp - INTERVAL '2' HOUR, current_timestamp - INTERVAL '2' HOUR),"
                    + " ('e3', 'org-b', 'chat.completion', current_timestamp, current_timestamp)");
            sql.execute("INSERT INTO marginal.analytics.mrr VALUES"
                    + " ('org-a', DATE '2026-09-01', 'usd', 100.00),"
                    + " ('org-a', DATE '2026-10-01', 'usd', 150.00),"
                    + " ('org-a', DATE '2026-11-01', 'usd', 180.50),"
                    + " ('org-b', DATE '2026-11-01', 'usd', 9999.00)");
            // Per day for org-a (revenue / cost / fees / gross margin = revenue − cost − fees):
            // 11-18 100.00 / 12.345 / 0 / 87.655; 11-19 70.00 / 45.50 / 0 / 24.50; 11-20 30.00 / 4.00 / 0.30 / 25.70.
            // 2026-10-01 lies outside a 30-day window ending 2026-11-20 (which starts 2026-10-22).
            sql.execute("INSERT INTO marginal.analytics.customer_margins VALUES"
                    + " ('org-a', 'cus_acme', 'acme-robotics', DATE '2026-11-18', 'usd', 100.00, 12.345, 0, 87.655),"
                    + " ('org-a', 'cus_acme', 'acme-robotics', DATE '2026-11-19', 'usd', 50.00, 10.00, 0, 40.00),"
                    + " ('org-a', 'cus_globex', 'globex', DATE '2026-11-19', 'usd', 20.00, 35.50, 0, -15.50),"
                    + " ('org-a', 'cus_initech', NULL, DATE '2026-11-20', 'usd', 30.00, 4.00, 0.30, 25.70),"
                    + " ('org-a', 'cus_acme', 'acme-robotics', DATE '2026-10-01', 'usd', 999.00, 1.00, 0, 998.00),"
                    + " ('org-b', 'cus_b', 'b-secret-customer', DATE '2026-11-19', 'usd', 5000.00, 1.00, 0, 4999.00)");
            sql.execute("INSERT INTO marginal.analytics.feature_margins VALUES"
                    + " ('org-a', 'chat.completion', DATE '2026-11-19', 'usd', 120.00, 40.00, 80.00),"
                    + " ('org-a', 'embeddings', DATE '2026-11-20', 'usd', 10.00, 21.845, -11.845),"
                    + " ('org-b', 'b-secret-feature', DATE '2026-11-19', 'usd', 5000.00, 1.00, 4999.00)");
            // model_costs is the stack's view over these deltas: two deltas of gpt-4o add up to 40.00 and 3 calls.
            sql.execute("INSERT INTO marginal.analytics.model_cost_deltas VALUES"
                    + " ('org-a', 'openai', 'gpt-4o', DATE '2026-11-19', 'usd', 1000, 0, 500, 25.00, 2),"
                    + " ('org-a', 'openai', 'gpt-4o', DATE '2026-11-19', 'usd', 400, 0, 100, 15.00, 1),"
                    + " ('org-a', 'anthropic', 'claude-sonnet-4', DATE '2026-11-20', 'usd', 900, 0, 300, 21.845, 1),"
                    + " ('org-b', 'openai', 'b-secret-model', DATE '2026-11-19', 'usd', 1, 0, 1, 1.00, 1)");
        }
    }
}
