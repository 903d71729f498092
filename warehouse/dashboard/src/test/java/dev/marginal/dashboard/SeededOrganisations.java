package dev.marginal.dashboard;

import dev.marginal.stack.WarehouseBackfill;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Two organisations' facts written through Trino as the platform user into the tables the
 * pipelines' jobs write (raw.events, raw.cdc_changes, analytics.revenue_facts, usage_cost_deltas,
 * model_cost_deltas: their columns as RawEventsTable, CdcChangesTable, RevenueFactsTable,
 * UsageCostDeltasTable and ModelCostDeltasTable define them). The dashboard then reads the
 * stack's real views over them: customer_margins, feature_margins, model_costs and mrr. "org-a"
 * is the one on screen; "org-b" has bigger numbers that must never appear on org-a's page.
 * Public, and shipped in this module's test jar, because the notebooks' NotebooksIT runs on the same facts.
 *
 * <p>org-a in USD; the expected figures of the tests are worked out here, for the 7-day window
 * 2026-11-14 … 2026-11-20:
 * <ul>
 *   <li>subscriptions (fixed lines, recognised ratably as Recognition does: 30-day periods at a
 *       whole amount per day): initech 30.00 per period from 09-20, 10-20 and 11-19 (1.00 a day);
 *       acme 120.00 for 10-14 … 11-12 (4.00 a day) then 150.00 from 11-13 (5.00 a day).
 *       MRR (lines covering a month's last second): Sep 30.00, Oct 30 + 120 = 150.00,
 *       Nov 30 + 150 = 180.00. In the window every day has 1.00 + 5.00 = 6.00 of subscription revenue.</li>
 *   <li>usage (metered lines, on the order's day): acme 100.00 on 11-18 and 50.00 on 11-19, globex
 *       20.00 on 11-19, initech 30.00 on 11-20 with a 0.30 processor fee; acme 999.00 one-time on
 *       10-01, outside the window.</li>
 *   <li>LLM cost: acme 12.345 of embeddings on 11-18, 10.00 of chat on 11-19; globex 35.50 of chat
 *       on 11-19; initech 3.00 of chat and 1.00 of embeddings on 11-20; acme 1.00 on 10-01.</li>
 * </ul>
 * The figures are chosen so that half-even rounding to cents shows: 12.345 → 12.34, 93.655 → 93.66.
 */
public final class SeededOrganisations {

    public static final String ORG_A = "org-a";
    public static final String ORG_B = "org-b";

    private SeededOrganisations() {}

    public static void seed(Connection platform) throws SQLException {
        seed(platform, ORG_A, ORG_B);
    }

    /** The same facts under other organisation ids (billing-core's are UUIDs), {@code a} in org-a's place. */
    public static void seed(Connection platform, String a, String b) throws SQLException {
        String orgA = "'" + a + "'";
        String orgB = "'" + b + "'";
        try (Statement sql = platform.createStatement()) {
            // raw.events is created by the raw-events job when it first runs (RawEventsTable.SCHEMA);
            // the stack's SQL does not declare it, so the seed does, with the job's columns.
            sql.execute("CREATE TABLE IF NOT EXISTS marginal.raw.events (id varchar NOT NULL, organization_id varchar NOT NULL,"
                    + " customer_id varchar, external_customer_id varchar, external_id varchar, name varchar NOT NULL,"
                    + " \"timestamp\" timestamp(6) with time zone NOT NULL, metadata varchar NOT NULL, source varchar NOT NULL,"
                    + " ingested_at timestamp(6) with time zone NOT NULL, cdc_op varchar NOT NULL, cdc_lsn bigint,"
                    + " cdc_ts timestamp(6) with time zone, trace_id varchar)"
                    + " WITH (format_version = 2, partitioning = ARRAY['day(timestamp)'])");
            // org-a: newest event 90 s old; org-b's is newer, and must not be the one org-a sees.
            sql.execute("INSERT INTO marginal.raw.events VALUES"
                    + event("e1", a, "current_timestamp - INTERVAL '1' HOUR", "current_timestamp - INTERVAL '90' SECOND")
                    + "," + event("e2", a, "current_timestamp - INTERVAL '2' HOUR", "current_timestamp - INTERVAL '2' HOUR")
                    + "," + event("e3", b, "current_timestamp", "current_timestamp"));

            // billing-core's customers and subscription lines, as the CDC runner mirrors them.
            sql.execute("INSERT INTO marginal.raw.cdc_changes VALUES"
                    + customer(1, a, "cus_acme", "\"acme-robotics\"")
                    + "," + customer(2, a, "cus_globex", "\"globex\"")
                    + "," + customer(3, a, "cus_initech", "null")
                    + "," + customer(4, b, "cus_b", "\"b-secret-customer\"")
                    + "," + fixedLine(10, a, "ord_i1", "item_i1", 3000, "2026-09-20", "2026-10-20")
                    + "," + fixedLine(11, a, "ord_i2", "item_i2", 3000, "2026-10-20", "2026-11-19")
                    + "," + fixedLine(12, a, "ord_i3", "item_i3", 3000, "2026-11-19", "2026-12-19")
                    + "," + fixedLine(13, a, "ord_a1", "item_a1", 12000, "2026-10-14", "2026-11-13")
                    + "," + fixedLine(14, a, "ord_a2", "item_a2", 15000, "2026-11-13", "2026-12-13")
                    + "," + fixedLine(15, b, "ord_b1", "item_b1", 999900, "2026-11-01", "2026-12-01"));

            // Their revenue, one fact per day of each period, as the job recognises it.
            sql.execute(subscription(a, "cus_initech", "ord_i1", "item_i1", "2026-09-20", "2026-10-20", "1.00"));
            sql.execute(subscription(a, "cus_initech", "ord_i2", "item_i2", "2026-10-20", "2026-11-19", "1.00"));
            sql.execute(subscription(a, "cus_initech", "ord_i3", "item_i3", "2026-11-19", "2026-12-19", "1.00"));
            sql.execute(subscription(a, "cus_acme", "ord_a1", "item_a1", "2026-10-14", "2026-11-13", "4.00"));
            sql.execute(subscription(a, "cus_acme", "ord_a2", "item_a2", "2026-11-13", "2026-12-13", "5.00"));
            sql.execute(subscription(b, "cus_b", "ord_b1", "item_b1", "2026-11-01", "2026-12-01", "333.30"));
            sql.execute("INSERT INTO marginal.analytics.revenue_facts VALUES"
                    + fact(a, "cus_acme", "ord_a3", "item_a3", "usage", "metered", "2026-11-18", "100.00", "0")
                    + "," + fact(a, "cus_acme", "ord_a4", "item_a4", "usage", "metered", "2026-11-19", "50.00", "0")
                    + "," + fact(a, "cus_globex", "ord_g1", "item_g1", "usage", "metered", "2026-11-19", "20.00", "0")
                    + "," + fact(a, "cus_initech", "ord_i4", "item_i4", "usage", "metered", "2026-11-20", "30.00", "0")
                    + "," + fact(a, "cus_initech", "ord_i4", "txn_i4", "fee", "processor_fee", "2026-11-20", "0", "0.30")
                    + "," + fact(a, "cus_acme", "ord_a0", "item_a0", "one_time", "one_time", "2026-10-01", "999.00", "0")
                    + "," + fact(b, "cus_b", "ord_b2", "item_b2", "usage", "metered", "2026-11-19", "5000.00", "0"));

            // LLM cost per customer and feature (usage_cost_deltas) and per model (model_cost_deltas):
            // the job writes both from the same priced events, so they add up to the same cost per day.
            sql.execute("INSERT INTO marginal.analytics.usage_cost_deltas VALUES"
                    + " (" + orgA + ", 'cus_acme', 'acme-robotics', 'embeddings', DATE '2026-11-18', 'usd', 12.345, 4),"
                    + " (" + orgA + ", 'cus_acme', 'acme-robotics', 'chat.completion', DATE '2026-11-19', 'usd', 10.00, 2),"
                    + " (" + orgA + ", NULL, 'globex', 'chat.completion', DATE '2026-11-19', 'usd', 35.50, 3),"
                    + " (" + orgA + ", 'cus_initech', NULL, 'chat.completion', DATE '2026-11-20', 'usd', 3.00, 1),"
                    + " (" + orgA + ", 'cus_initech', NULL, 'embeddings', DATE '2026-11-20', 'usd', 1.00, 1),"
                    + " (" + orgA + ", 'cus_acme', 'acme-robotics', 'chat.completion', DATE '2026-10-01', 'usd', 1.00, 1),"
                    + " (" + orgB + ", 'cus_b', 'b-secret-customer', 'b-secret-feature', DATE '2026-11-19', 'usd', 1.00, 1)");
            // gpt-4o: 10.00 + 35.50 (two deltas of 11-19) + 3.00 = 48.50 in 6 calls; the embedding model 13.345 in 5.
            sql.execute("INSERT INTO marginal.analytics.model_cost_deltas VALUES"
                    + " (" + orgA + ", 'openai', 'gpt-4o', DATE '2026-11-19', 'usd', 1000, 0, 500, 45.50, 5),"
                    + " (" + orgA + ", 'openai', 'gpt-4o', DATE '2026-11-20', 'usd', 400, 0, 100, 3.00, 1),"
                    + " (" + orgA + ", 'openai', 'text-embedding-3-large', DATE '2026-11-18', 'usd', 9000, 0, 0, 12.345, 4),"
                    + " (" + orgA + ", 'openai', 'text-embedding-3-large', DATE '2026-11-20', 'usd', 800, 0, 0, 1.00, 1),"
                    + " (" + orgA + ", 'openai', 'gpt-4o', DATE '2026-10-01', 'usd', 100, 0, 10, 1.00, 1),"
                    + " (" + orgB + ", 'openai', 'b-secret-model', DATE '2026-11-19', 'usd', 1, 0, 1, 1.00, 1)");
        }
        // The job also writes what it derives from these (customer_day_deltas, subscription_lines).
        WarehouseBackfill.forOrganisations(platform, List.of(a, b));
    }

    private static String event(String id, String org, String timestamp, String ingestedAt) {
        return "('" + id + "', '" + org + "', NULL, 'someone', '" + id + "', 'chat.completion', " + timestamp + ", '{}', 'api', "
                + ingestedAt + ", 'c', NULL, " + ingestedAt + ", NULL)";
    }

    private static String customer(long lsn, String org, String id, String externalIdJson) {
        String data = "{\"id\":\"" + id + "\",\"organization_id\":\"" + org + "\",\"external_id\":" + externalIdJson
                + ",\"email\":\"" + id + "@example.com\",\"created_at\":\"2026-09-01T00:00:00Z\"}";
        return change("customers", id, org, lsn, data);
    }

    /** A subscription's fixed order line for the period [start, end) (UTC midnights), amount in minor units. */
    private static String fixedLine(long lsn, String org, String order, String item, long amount, String start, String end) {
        String data = "{\"id\":\"" + item + "\",\"order_id\":\"" + order + "\",\"position\":0,\"label\":\"Plan\",\"kind\":\"fixed\","
                + "\"quantity\":\"1\",\"amount\":\"" + amount + "\",\"tax_amount\":\"0\",\"discount_amount\":\"0\",\"net_amount\":\""
                + amount + "\",\"start_timestamp\":\"" + start + "T00:00:00Z\",\"end_timestamp\":\"" + end + "T00:00:00Z\","
                + "\"created_at\":\"" + start + "T00:00:00Z\"}";
        return change("order_items", item, org, lsn, data);
    }

    private static String change(String table, String id, String org, long lsn, String data) {
        return "('" + table + "', '" + id + "', '" + org + "', 'r', " + lsn + ", TIMESTAMP '2026-11-20 00:00:00 UTC', '" + data + "')";
    }

    /** One subscription fact per UTC day of [start, end), {@code perDay} each: a period of whole amounts per day. */
    private static String subscription(String org, String customer, String order, String item, String start, String end,
                                       String perDay) {
        return "INSERT INTO marginal.analytics.revenue_facts"
                + " SELECT '" + org + "', '" + customer + "', 'prod_plan', 'sub_" + customer + "', '" + order + "', '" + item
                + "', 'subscription', 'fixed', day, TIMESTAMP '" + start + " 00:00:00 UTC', 'usd', " + perDay + ", 0, 0"
                + " FROM UNNEST(sequence(DATE '" + start + "', DATE '" + end + "' - INTERVAL '1' DAY, INTERVAL '1' DAY)) AS t (day)";
    }

    private static String fact(String org, String customer, String order, String source, String type, String kind, String day,
                               String revenue, String fees) {
        return " ('" + org + "', '" + customer + "', NULL, NULL, '" + order + "', '" + source + "', '" + type + "', '" + kind
                + "', DATE '" + day + "', TIMESTAMP '" + day + " 12:00:00 UTC', 'usd', " + revenue + ", 0, " + fees + ")";
    }
}
