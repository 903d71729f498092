package dev.marginal.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marginal.dashboard.DashboardServer;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;
import dev.marginal.warehouse.access.Analysts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's "a seeded organisation's numbers agree across the dashboard, the views and the report":
 * acme's facts of {@link SeededRevenue} (plus the per-model deltas of the same LLM cost), read as
 * revenue, LLM cost, fees and gross margin in USD, rounded half-even to cents, four ways:
 * the founder dashboard's JSON route (as acme's founder), the analyst views queried directly
 * (customer_margins; feature_margins and model_costs for the parts they carry), and the nightly
 * report's row of reports.daily_revenue. For the report's day and for the month to date, all agree
 * with each other and with the hand-worked figures. Ports: PostgreSQL 22452, Trino 22108 (+1),
 * dashboard 22110. (The same agreement with reconcile, on orders and ledger rows billing-core itself
 * made on the real stack: e2e ScriptedMonthIT.)
 */
class FiguresAgreeIT {

    static final int POSTGRES = 22452;
    static final int TRINO = 22108;
    static final int DASHBOARD = 22110;
    static final String ACME = "11111111-1111-1111-1111-111111111111";
    static final LocalDate DAY = LocalDate.of(2026, 11, 20);
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path home;
    static PostgresServer postgres;
    static TrinoServer trino;
    static DashboardServer dashboard;
    static String cookie;

    /** One figure set in cents: what every source must show. */
    record Cents(long revenue, long llmCost, long fees, long grossMargin) {

        static Cents of(BigDecimal revenue, BigDecimal cost, BigDecimal fees, BigDecimal margin) {
            return new Cents(cents(revenue), cents(cost), cents(fees), cents(margin));
        }

        private static long cents(BigDecimal major) {
            return major.setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.startForTests(home, POSTGRES);
        trino = TrinoServer.startForTests(home, TRINO, POSTGRES);
        try (Connection billing = postgres.connect("marginal"); Connection platform = trino.connect();
             Statement sql = platform.createStatement()) {
            SeededRevenue.seed(billing, platform);
            // The dashboard also shows the freshest event's age: raw.events, created by the raw-events job
            // (RawEventsTable.SCHEMA) when it first runs, with one event of acme's.
            sql.execute("CREATE TABLE IF NOT EXISTS marginal.raw.events (id varchar NOT NULL, organization_id varchar NOT NULL,"
                    + " customer_id varchar, external_customer_id varchar, external_id varchar, name varchar NOT NULL,"
                    + " \"timestamp\" timestamp(6) with time zone NOT NULL, metadata varchar NOT NULL, source varchar NOT NULL,"
                    + " ingested_at timestamp(6) with time zone NOT NULL, cdc_op varchar NOT NULL, cdc_lsn bigint,"
                    + " cdc_ts timestamp(6) with time zone, trace_id varchar)"
                    + " WITH (format_version = 2, partitioning = ARRAY['day(timestamp)'])");
            sql.execute("INSERT INTO marginal.raw.events VALUES ('e1', '" + ACME + "', 'cus_1', 'acme-1', 'e1', 'chat.completion',"
                    + " TIMESTAMP '2026-11-20 11:00:00 UTC', '{}', 'api', TIMESTAMP '2026-11-20 11:00:01 UTC', 'c', NULL, NULL, NULL)");
            // The same LLM cost per model: 3.0000 + 0.3333 on the 20th, 4.00 on the 19th, 10.00 on the 1st.
            sql.execute("INSERT INTO marginal.analytics.model_cost_deltas VALUES"
                    + " ('" + ACME + "', 'openai', 'gpt-4o', DATE '2026-11-20', 'usd', 3000, 0, 900, 3.0000, 3),"
                    + " ('" + ACME + "', 'openai', 'text-embedding-3-large', DATE '2026-11-20', 'usd', 5000, 0, 0, 0.3333, 1),"
                    + " ('" + ACME + "', 'openai', 'gpt-4o', DATE '2026-11-19', 'usd', 4000, 0, 1200, 4.00, 2),"
                    + " ('" + ACME + "', 'openai', 'gpt-4o', DATE '2026-11-01', 'usd', 10000, 0, 3000, 10.00, 5)");
            Analysts.assign(platform, "founder-acme", ACME);
        }
        String password = trino.security().addUser("founder-acme");
        awaitLogin("founder-acme", password);

        Map<String, String> env = Map.of("MARGINAL_TRINO_URL", trino.jdbcUrl(), "MARGINAL_TRINO_USER", "platform",
                "MARGINAL_TRINO_PASSWORD", trino.security().password("platform"),
                "MARGINAL_DB_URL", "jdbc:postgresql://127.0.0.1:" + POSTGRES + "/marginal",
                "MARGINAL_DB_USER", PostgresServer.USER, "MARGINAL_DB_PASSWORD", PostgresServer.PASSWORD,
                "MARGINAL_HOME", home.toString());
        assertThat(ReportCli.run(List.of("--date", DAY.toString(), "--org", "acme", "--out", home.resolve("reports").toString()),
                env, NOW)).isZero();

        Clock noonOfDay = Clock.fixed(DAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        dashboard = new DashboardServer("127.0.0.1", DASHBOARD, trino.jdbcUrl(), 30, noonOfDay);
        dashboard.start();
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=founder-acme&password=" + password)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (trino != null) {
            trino.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theReportsDayIsTheSameEverywhere() throws Exception {
        // recognised 1.000000000001 + 12.35 − 5.00 − 2.00 = 6.350000000001 → 6.35; cost 3.3333 → 3.33; fees 1.16;
        // margin 6.350000000001 − 3.3333 − 1.16 = 1.856700000001 → 1.86.
        Cents expected = new Cents(635, 333, 116, 186);
        assertThat(dashboard(1)).isEqualTo(expected);
        assertThat(views(DAY, DAY)).isEqualTo(expected);
        assertThat(report("recognised", "llm_cost", "fees_recognised", "margin")).isEqualTo(expected);
        assertThat(featuresAndModels(DAY, DAY)).isEqualTo(List.of(expected.revenue(), expected.llmCost()));
    }

    @Test
    void theMonthToDateIsTheSameEverywhere() throws Exception {
        // 11-01 … 11-20: recognised 100.00 + 10.00 + 6.350000000001 = 116.350000000001 → 116.35; cost 10.00 + 4.00 +
        // 3.3333 = 17.3333 → 17.33; fees 0.50 + 1.16 = 1.66; margin 116.350000000001 − 17.3333 − 1.66 = 97.356700000001 → 97.36.
        // The report keeps no month-to-date fees column: they are what its identity leaves, recognised − cost − margin.
        Cents expected = new Cents(11635, 1733, 166, 9736);
        assertThat(dashboard(DAY.getDayOfMonth())).isEqualTo(expected);
        assertThat(views(DAY.withDayOfMonth(1), DAY)).isEqualTo(expected);
        assertThat(report("mtd_recognised", "mtd_llm_cost", "mtd_recognised - mtd_llm_cost - mtd_margin", "mtd_margin"))
                .isEqualTo(expected);
        assertThat(featuresAndModels(DAY.withDayOfMonth(1), DAY)).isEqualTo(List.of(expected.revenue(), expected.llmCost()));
    }

    /** The dashboard's window totals for the last {@code days} days up to DAY, in USD. */
    private static Cents dashboard(int days) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base() + "/orgs/" + ACME + "/figures?currency=usd&days=" + days))
                        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode totals = new ObjectMapper().readTree(response.body()).get("totals");
        return new Cents(totals.at("/revenue/minor").asLong(), totals.at("/llmCost/minor").asLong(),
                totals.at("/fees/minor").asLong(), totals.at("/grossMargin/minor").asLong());
    }

    /** analytics.customer_margins summed over the range, as an analyst would ask. */
    private static Cents views(LocalDate from, LocalDate to) throws SQLException {
        try (Connection platform = trino.connect(); PreparedStatement sql = platform.prepareStatement("""
                SELECT sum(revenue), sum(cost), sum(fees), sum(gross_margin)
                FROM marginal.analytics.customer_margins
                WHERE organization_id = ? AND currency = 'usd' AND day BETWEEN ? AND ?""")) {
            sql.setString(1, ACME);
            sql.setDate(2, Date.valueOf(from));
            sql.setDate(3, Date.valueOf(to));
            try (ResultSet row = sql.executeQuery()) {
                row.next();
                return Cents.of(row.getBigDecimal(1), row.getBigDecimal(2), row.getBigDecimal(3), row.getBigDecimal(4));
            }
        }
    }

    /** Revenue as feature_margins allocates it and LLM cost as model_costs adds it up, in cents. */
    private static List<Long> featuresAndModels(LocalDate from, LocalDate to) throws SQLException {
        try (Connection platform = trino.connect(); PreparedStatement sql = platform.prepareStatement("""
                SELECT (SELECT sum(revenue) FROM marginal.analytics.feature_margins
                        WHERE organization_id = ? AND currency = 'usd' AND day BETWEEN ? AND ?),
                       (SELECT sum(cost) FROM marginal.analytics.model_costs
                        WHERE organization_id = ? AND currency = 'usd' AND day BETWEEN ? AND ?)""")) {
            for (int i : new int[] {0, 3}) {
                sql.setString(i + 1, ACME);
                sql.setDate(i + 2, Date.valueOf(from));
                sql.setDate(i + 3, Date.valueOf(to));
            }
            try (ResultSet row = sql.executeQuery()) {
                row.next();
                Cents c = Cents.of(row.getBigDecimal(1), row.getBigDecimal(2), BigDecimal.ZERO, BigDecimal.ZERO);
                return List.of(c.revenue(), c.llmCost());
            }
        }
    }

    /** The report's USD row for DAY: four of its columns (or expressions over them), exact, then rounded. */
    private static Cents report(String revenue, String cost, String fees, String margin) throws SQLException {
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement();
             ResultSet row = sql.executeQuery("SELECT " + String.join(", ", revenue, cost, fees, margin)
                     + " FROM marginal.reports.daily_revenue WHERE organization_id = '" + ACME + "' AND report_date = DATE '"
                     + DAY + "' AND currency = 'usd'")) {
            assertThat(row.next()).isTrue();
            Cents cents = Cents.of(row.getBigDecimal(1), row.getBigDecimal(2), row.getBigDecimal(3), row.getBigDecimal(4));
            assertThat(row.next()).as("one USD row per organisation and date").isFalse();
            return cents;
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + DASHBOARD;
    }

    private static void awaitLogin(String user, String password) throws InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            try (Connection login = trino.connect(user, password); Statement sql = login.createStatement()) {
                sql.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("Trino never accepted " + user + "'s password");
    }
}
