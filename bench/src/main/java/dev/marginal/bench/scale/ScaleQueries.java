package dev.marginal.bench.scale;

import dev.marginal.bench.scale.ScaleData.Organisation;
import dev.marginal.dashboard.Panels;
import dev.marginal.stack.StackConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale queries on the data set {@link ScaleLoad} built (same parameters):
 * <ol>
 *   <li>one organisation's margins per customer over the window, from Trino's
 *       {@code analytics.customer_margins} (as the platform user) and from billing-core's own
 *       PostgreSQL tables (events with their recorded cost, paid orders recognised day by day), first
 *       with billing-core's own indexes, then with a covering index on events; the two answers'
 *       totals must agree to the 12th decimal;</li>
 *   <li>every query of the founder dashboard ({@code dev.marginal.dashboard.Panels}, read from the
 *       class so it is exactly the dashboard's SQL) as the organisation's analyst login, so Trino's
 *       row filter is in every query, for a 30-day (the page's default) and a 90-day window.</li>
 * </ol>
 * Each query runs {@code --warm-ups} times (default 1) unmeasured, then {@code --runs} times; every
 * row of the answer is read. A Trino just started compiles its operators as queries come: its first
 * few dozen queries run up to twice as slow as it does once warm, so figures of a warm server (one
 * that has served a while, as a dashboard's does) need more warm-up runs than the default.
 *
 * <pre>ScaleQueries [ScaleLoad's data set options] [--ranks 0,99] [--runs 20] [--dashboard-runs 20] [--windows 30,90]
 *                     [--warm-ups 1] [--skip-postgres] [--skip-dashboard]</pre>
 * An organisation's rank is its size order (0 = the biggest); its analyst login must exist as
 * {@code scale-<rank>} ({@code bin/marginal analyst scale-<rank> <organisation id>}; run.sh does it).
 */
public final class ScaleQueries {

    static final String TRINO_MARGINS = """
            SELECT customer_id, max(external_customer_id), sum(revenue), sum(cost), sum(fees), sum(gross_margin), sum(events)
            FROM marginal.analytics.customer_margins
            WHERE organization_id = ? AND day BETWEEN ? AND ?
            GROUP BY customer_id""";

    /**
     * The same question of billing-core: LLM cost and calls from events (cents, recorded at ingest),
     * revenue as each paid order's fixed fee recognised over the UTC days of its period (remainder cents
     * to the earliest days, like the pipelines' Recognition), platform fees on the order's day.
     * Parameters: organisation (uuid text), first day, last day (dates).
     */
    static final String POSTGRES_MARGINS = """
            WITH w AS (SELECT ?::uuid AS org, ?::date AS first_day, ?::date AS last_day),
            usage AS (
              SELECT e.external_customer_id, count(*) AS events, sum(e.cost_amount) / 100 AS cost
              FROM events e, w
              WHERE e.organization_id = w.org
                AND e.timestamp >= w.first_day::timestamp AT TIME ZONE 'UTC'
                AND e.timestamp < (w.last_day + 1)::timestamp AT TIME ZONE 'UTC'
              GROUP BY e.external_customer_id
            ),
            periods AS (
              SELECT o.customer_id, o.net_amount, o.platform_fee_amount,
                     (o.period_start AT TIME ZONE 'UTC')::date AS first,
                     (o.period_end AT TIME ZONE 'UTC')::date - (o.period_start AT TIME ZONE 'UTC')::date AS n
              FROM orders o, w
              WHERE o.organization_id = w.org AND o.status = 'paid'
                AND o.period_start < (w.last_day + 1)::timestamp AT TIME ZONE 'UTC'
                AND o.period_end > w.first_day::timestamp AT TIME ZONE 'UTC'
            ),
            revenue AS (
              SELECT p.customer_id,
                     sum(p.net_amount / p.n + CASE WHEN i < p.net_amount % p.n THEN 1 ELSE 0 END) / 100.0 AS revenue
              FROM periods p CROSS JOIN LATERAL generate_series(0, p.n - 1) AS i, w
              WHERE p.first + i BETWEEN w.first_day AND w.last_day
              GROUP BY p.customer_id
            ),
            fees AS (
              SELECT p.customer_id, sum(p.platform_fee_amount) / 100.0 AS fees
              FROM periods p, w WHERE p.first BETWEEN w.first_day AND w.last_day
              GROUP BY p.customer_id
            )
            SELECT c.id, c.external_id, coalesce(r.revenue, 0), coalesce(u.cost, 0), coalesce(f.fees, 0),
                   coalesce(r.revenue, 0) - coalesce(u.cost, 0) - coalesce(f.fees, 0), coalesce(u.events, 0)
            FROM w JOIN customers c ON c.organization_id = w.org
            LEFT JOIN usage u ON u.external_customer_id = c.external_id
            LEFT JOIN revenue r ON r.customer_id = c.id
            LEFT JOIN fees f ON f.customer_id = c.id
            WHERE r.revenue IS NOT NULL OR u.events IS NOT NULL OR f.fees IS NOT NULL""";

    /** How often each query runs: {@code warmUps} times unmeasured ({@code --warm-ups}), then {@code measured} times. */
    record Runs(int warmUps, int measured) {
        Runs {
            if (warmUps < 0) {
                throw new IllegalArgumentException("--warm-ups must be 0 or more, not " + warmUps);
            }
        }
    }

    private ScaleQueries() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = ScaleLoad.arguments(args);
        ScaleData data = ScaleLoad.data(a);
        StackConfig config = StackConfig.fromEnvironment();
        int warmUps = Integer.parseInt(a.getOrDefault("warm-ups", "1"));
        Runs runs = new Runs(warmUps, Integer.parseInt(a.getOrDefault("runs", "20")));
        List<Integer> ranks = new ArrayList<>();
        for (String r : a.getOrDefault("ranks", "0,99").split(",")) {
            ranks.add(Integer.parseInt(r.trim()));
        }
        System.out.printf("data set: %,d events, %d days %s..%s, %d organisations; %d runs after %d warm-up%s%n",
                data.totalEvents, data.days, data.firstDay, data.lastDay, data.organisations.size(), runs.measured(), warmUps, warmUps == 1 ? "" : "s");
        try (Connection trino = trino(config, "platform");
             Connection pg = DriverManager.getConnection(config.jdbcUrl(StackConfig.BILLING_DB), StackConfig.DB_USER, StackConfig.DB_PASSWORD)) {
            for (int rank : ranks) {
                Organisation org = data.organisations.get(rank);
                System.out.printf("%n== organisation rank %d (%s): %,d customers, %,d events in the window ==%n", rank, org.id(),
                        org.customers(), countEvents(trino, org, data));
                List<Object> params = List.of(org.id().toString(), Date.valueOf(data.firstDay), Date.valueOf(data.lastDay));
                Answer trinoAnswer = measure("trino customer_margins per customer, " + data.days + " days", trino, TRINO_MARGINS, params, runs);
                if (!a.containsKey("skip-postgres")) {
                    List<Object> pgParams = List.of(org.id().toString(), data.firstDay.toString(), data.lastDay.toString());
                    String sql = POSTGRES_MARGINS;
                    explain(pg, sql, pgParams);
                    Answer own = measure("postgres, billing-core's indexes", pg, sql, pgParams, runs);
                    compare(trinoAnswer, own);
                    ensureCoveringIndex(pg);
                    explain(pg, sql, pgParams);
                    Answer covering = measure("postgres, + covering index events_scale_org_time_cost", pg, sql, pgParams, runs);
                    compare(trinoAnswer, covering);
                }
                if (!a.containsKey("skip-dashboard")) {
                    Runs dashboardRuns = new Runs(warmUps,
                            Integer.parseInt(a.getOrDefault("dashboard-runs", Integer.toString(runs.measured()))));
                    for (String days : a.getOrDefault("windows", "30,90").split(",")) {
                        dashboard(config, data, rank, org, Integer.parseInt(days.trim()), dashboardRuns);
                    }
                }
            }
        }
    }

    private static void dashboard(StackConfig config, ScaleData data, int rank, Organisation org, int days, Runs runs) throws Exception {
        Map<String, String> panels = Panels.byName();
        try (Connection founder = trino(config, "scale-" + rank)) {
            {
                LocalDate from = data.lastDay.minusDays(days - 1);
                Map<String, Answer> answers = new LinkedHashMap<>();
                for (Map.Entry<String, String> panel : panels.entrySet()) {
                    List<Object> params = switch (panel.getKey()) {
                        case "CURRENCIES_EVER", "FRESHNESS_EVER" -> List.of(org.id().toString());
                        case "FRESHNESS" -> List.of(org.id().toString(),
                                data.lastDay.minusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString());
                        case "CURRENCIES" -> List.of(org.id().toString(), Date.valueOf(from), Date.valueOf(data.lastDay));
                        case "MRR" -> List.of(org.id().toString(), "usd", Date.valueOf(data.lastDay.withDayOfMonth(1).minusMonths(11)),
                                Date.valueOf(data.lastDay.withDayOfMonth(1)));
                        default -> List.of(org.id().toString(), "usd", Date.valueOf(from), Date.valueOf(data.lastDay));
                    };
                    if (days != 30 && params.size() < 4) {
                        continue; // no window: measured with the 30-day page
                    }
                    answers.put(panel.getKey(), measure("dashboard " + panel.getKey() + " as scale-" + rank + ", " + days + " days",
                            founder, panel.getValue(), params, runs));
                }
                Map.Entry<String, Answer> slowest = Collections.max(answers.entrySet(),
                        (x, y) -> Long.compare(x.getValue().p95(), y.getValue().p95()));
                System.out.printf("dashboard, %d-day window: slowest query %s, p95 %d ms%n", days, slowest.getKey(), slowest.getValue().p95());
            }
        }
    }

    static Connection trino(StackConfig config, String user) throws Exception {
        return DriverManager.getConnection(config.trinoJdbcUrl(), user, Files.readString(config.trinoPasswordFile(user)).trim());
    }

    private static long countEvents(Connection trino, Organisation org, ScaleData data) throws SQLException {
        try (PreparedStatement st = trino.prepareStatement(
                "SELECT sum(events) FROM marginal.analytics.usage_cost_deltas WHERE organization_id = ? AND day BETWEEN ? AND ?")) {
            st.setString(1, org.id().toString());
            st.setObject(2, Date.valueOf(data.firstDay));
            st.setObject(3, Date.valueOf(data.lastDay));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void ensureCoveringIndex(Connection pg) throws SQLException {
        try (Statement st = pg.createStatement()) {
            long t = System.nanoTime();
            st.execute("SET maintenance_work_mem = '512MB'");
            st.execute("""
                    CREATE INDEX IF NOT EXISTS events_scale_org_time_cost
                    ON events (organization_id, timestamp) INCLUDE (external_customer_id, cost_amount)""");
            st.execute("VACUUM (ANALYZE) events");
            System.out.printf("postgres: covering index ready (%d s)%n", (System.nanoTime() - t) / 1_000_000_000);
        }
    }

    private static void explain(Connection pg, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement st = pg.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String line = rs.getString(1);
                    if (line.contains("Scan") || line.contains("Execution Time") || line.contains("Workers")) {
                        System.out.println("  plan: " + line.trim());
                    }
                }
            }
        }
    }

    /**
     * Wall times of the runs, and for Trino the CPU time and rows its workers spent on each (from the
     * driver's query stats): CPU time depends far less than wall time on what else the machine runs.
     */
    record Answer(List<Long> millis, int rows, BigDecimal[] totals, List<Long> cpuMillis, long processedRows) {
        long p50() {
            return percentile(50);
        }

        long p95() {
            return percentile(95);
        }

        long percentile(int p) {
            return percentile(millis, p);
        }

        static long percentile(List<Long> values, int p) {
            if (values.isEmpty()) {
                return -1;
            }
            List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }
    }

    static Answer measure(String label, Connection db, String sql, List<Object> params, Runs runs) throws SQLException {
        List<Long> millis = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        Answer last = null;
        for (int run = 0; run < runs.warmUps() + runs.measured(); run++) {
            long t = System.nanoTime();
            last = run(db, sql, params);
            long ms = (System.nanoTime() - t) / 1_000_000;
            if (run >= runs.warmUps()) {
                millis.add(ms);
                cpu.addAll(last.cpuMillis());
            }
        }
        Answer answer = new Answer(millis, last.rows(), last.totals(), cpu, last.processedRows());
        System.out.printf("%-66s p50 %6d ms  p95 %6d ms  min %6d  max %6d  (%d rows)%s  load %s%n", label, answer.p50(), answer.p95(),
                Collections.min(millis), Collections.max(millis), answer.rows(),
                cpu.isEmpty() ? "" : "  trino cpu p50 %d ms, %,d rows read".formatted(Answer.percentile(cpu, 50), answer.processedRows()),
                loadAverage());
        return answer;
    }

    private static String loadAverage() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static Answer run(Connection db, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                BigDecimal[] totals = new BigDecimal[columns];
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    for (int c = 1; c <= columns; c++) {
                        Object v = rs.getObject(c);
                        if (v instanceof BigDecimal d) {
                            totals[c - 1] = totals[c - 1] == null ? d : totals[c - 1].add(d);
                        } else if (v instanceof Number n) {
                            BigDecimal d = BigDecimal.valueOf(n.longValue());
                            totals[c - 1] = totals[c - 1] == null ? d : totals[c - 1].add(d);
                        }
                    }
                }
                if (rs.isWrapperFor(io.trino.jdbc.TrinoResultSet.class)) {
                    io.trino.jdbc.QueryStats stats = rs.unwrap(io.trino.jdbc.TrinoResultSet.class).getStats();
                    return new Answer(List.of(), rows, totals, List.of(stats.getCpuTimeMillis()), stats.getProcessedRows());
                }
                return new Answer(List.of(), rows, totals, List.of(), 0);
            }
        }
    }

    private static void bind(PreparedStatement st, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Timestamp ts) {
                st.setTimestamp(i + 1, ts);
            } else {
                st.setObject(i + 1, p);
            }
        }
    }

    /** Revenue, cost, fees, margin and calls summed over every customer: the two stores must agree. */
    private static void compare(Answer trino, Answer postgres) {
        String[] names = {"revenue", "cost", "fees", "gross_margin", "events"};
        boolean same = trino.rows() == postgres.rows();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            BigDecimal t = trino.totals()[i + 2];
            BigDecimal p = postgres.totals()[i + 2];
            boolean equal = t != null && p != null && t.compareTo(p) == 0;
            same &= equal;
            text.append(" ").append(names[i]).append(' ').append(t == null ? "null" : t.stripTrailingZeros().toPlainString())
                    .append(equal ? "" : " vs postgres " + (p == null ? "null" : p.stripTrailingZeros().toPlainString()));
        }
        System.out.printf("  answers %s: %d customers;%s%n", same ? "agree" : "DIFFER", trino.rows(), text);
    }
}
