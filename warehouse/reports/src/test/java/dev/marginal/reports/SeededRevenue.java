package dev.marginal.reports;

import dev.marginal.stack.WarehouseBackfill;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Three organisations in billing-core's {@code organizations} table (its V1 columns) and the revenue
 * and cost facts of two of them in the warehouse, in the shapes of analytics.revenue_facts and
 * analytics.usage_cost_deltas (the pipelines' tables, declared by the warehouse's revenue SQL). The
 * report reads them and the stack's analytics.customer_margins view over them (revenue and fees by
 * recognition day, cost from the deltas, gross_margin = revenue − cost − fees).
 *
 * <p>acme in USD, booked on 2026-11-20: a 30.00 monthly fee (+6.00 tax) recognised 1.000000000001
 * on the 20th and the rest on the 21st; usage 12.35 (+2.47); a refund of 5.00 (+1.00); a dispute of
 * 2.00 (+0.40); fees 1.16. So gross 36.00 + 14.82 = 50.82, tax 0.20 + 5.80 + 2.47 − 1.00 − 0.40 = 7.07,
 * net 50.82 − 6.00 − 2.40 − 7.07 − 1.16 = 34.19 = billed 35.35 − fees 1.16; recognised
 * 1.000000000001 + 12.35 − 5.00 − 2.00 = 6.350000000001; LLM cost 3.3333; margin
 * 6.350000000001 − 3.3333 − 1.16 = 1.856700000001. On the 19th: usage 10.00 (+2.00), fees 0.50,
 * cost 4.00. On the 1st: a one-time 100.00 (+20.00), cost 10.00. In EUR on the 20th: usage 7.00 (+1.40).
 */
final class SeededRevenue {

    private SeededRevenue() {}

    static void seed(Connection billing, Connection platform) throws SQLException {
        try (Statement sql = billing.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS organizations (id uuid PRIMARY KEY, name text NOT NULL,"
                    + " slug text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())");
            sql.execute("INSERT INTO organizations (id, name, slug) VALUES"
                    + " ('11111111-1111-1111-1111-111111111111', 'Acme Robotics', 'acme'),"
                    + " ('22222222-2222-2222-2222-222222222222', 'Globex', 'globex'),"
                    + " ('33333333-3333-3333-3333-333333333333', 'Initech', 'initech')");
        }
        try (Statement sql = platform.createStatement()) {
            String acme = "'11111111-1111-1111-1111-111111111111'";
            String globex = "'22222222-2222-2222-2222-222222222222'";
            sql.execute("INSERT INTO marginal.analytics.revenue_facts VALUES"
                    + fact(acme, "ord1", "item1", "subscription", "2026-11-20", "2026-11-20 10:00:00", "usd", "1.000000000001", "0.20", "0")
                    + "," + fact(acme, "ord1", "item1", "subscription", "2026-11-21", "2026-11-20 10:00:00", "usd", "28.999999999999", "5.80", "0")
                    + "," + fact(acme, "ord2", "item2", "usage", "2026-11-20", "2026-11-20 11:00:00", "usd", "12.35", "2.47", "0")
                    + "," + fact(acme, "ord2", "ledger1", "refund", "2026-11-20", "2026-11-20 12:00:00", "usd", "-5.00", "-1.00", "0")
                    + "," + fact(acme, "ord1", "ledger2", "dispute", "2026-11-20", "2026-11-20 13:00:00", "usd", "-2.00", "-0.40", "0")
                    + "," + fact(acme, "ord2", "ledger3", "fee", "2026-11-20", "2026-11-20 11:00:00", "usd", "0", "0", "1.16")
                    // 23:59:59 UTC still books on the 19th.
                    + "," + fact(acme, "ord3", "item3", "usage", "2026-11-19", "2026-11-19 23:59:59", "usd", "10.00", "2.00", "0")
                    + "," + fact(acme, "ord3", "ledger4", "fee", "2026-11-19", "2026-11-19 23:59:59", "usd", "0", "0", "0.50")
                    + "," + fact(acme, "ord4", "item4", "one_time", "2026-11-01", "2026-11-01 09:00:00", "usd", "100.00", "20.00", "0")
                    + "," + fact(acme, "ord5", "item5", "usage", "2026-11-20", "2026-11-20 14:00:00", "eur", "7.00", "1.40", "0")
                    + "," + fact(globex, "ord6", "item6", "one_time", "2026-11-19", "2026-11-19 08:00:00", "usd", "1000.00", "0", "0"));
            sql.execute("INSERT INTO marginal.analytics.usage_cost_deltas VALUES"
                    + " (" + acme + ", 'cus_1', 'acme-1', 'chat.completion', DATE '2026-11-20', 'usd', 3.0000, 3),"
                    + " (" + acme + ", 'cus_1', 'acme-1', 'embeddings', DATE '2026-11-20', 'usd', 0.3333, 1),"
                    + " (" + acme + ", 'cus_1', 'acme-1', 'chat.completion', DATE '2026-11-19', 'usd', 4.00, 2),"
                    + " (" + acme + ", 'cus_1', 'acme-1', 'chat.completion', DATE '2026-11-01', 'usd', 10.00, 5)");
        }
        // The job also writes what it derives from these (customer_day_deltas, subscription_lines).
        WarehouseBackfill.forOrganisations(platform, List.of("11111111-1111-1111-1111-111111111111",
                "22222222-2222-2222-2222-222222222222"));
    }

    private static String fact(String org, String order, String source, String type, String day, String bookedAt,
                               String currency, String revenue, String tax, String fees) {
        return "(" + org + ", 'cus_1', NULL, NULL, '" + order + "', '" + source + "', '" + type + "', '" + lineKind(type) + "', DATE '" + day
                + "', TIMESTAMP '" + bookedAt + " UTC', '" + currency + "', " + revenue + ", " + tax + ", " + fees + ")";
    }

    /** The line_kind the pipelines' Recognition writes with each fact_type. */
    private static String lineKind(String type) {
        return switch (type) {
            case "subscription" -> "fixed";
            case "usage" -> "metered";
            case "fee" -> "processor_fee";
            default -> type;
        };
    }
}
