package dev.marginal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marginal.warehouse.access.Analysts;
import dev.marginal.warehouse.maintenance.MaintenancePolicy;
import dev.marginal.warehouse.maintenance.TableMaintenance;
import dev.marginal.warehouse.maintenance.TableName;
import dev.marginal.warehouse.maintenance.TableState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PostgreSQL and Trino (ports 27xxx): who may log in and read what, that one maintenance
 * round compacts many small commits without changing a row, and that {@code up} fills a new
 * derived table from the tables it sums on a warehouse from before it.
 */
class TrinoAccessAndMaintenanceIT {

    static final int POSTGRES = 27432;
    static final int TRINO = 27088;

    @TempDir
    static Path home;
    static PostgresServer postgres;
    static TrinoServer trino;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.startForTests(home, POSTGRES);
        trino = TrinoServer.startForTests(home, TRINO, POSTGRES);
    }

    @AfterAll
    static void stop() {
        if (trino != null) {
            trino.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void onlyTheRightPasswordOverTlsLogsIn() {
        assertThatThrownBy(() -> query(trino.connect(TrinoSecurity.PLATFORM_USER, "wrong"), "SELECT 1"))
                .isInstanceOf(SQLException.class);
        // The plain-HTTP port takes no client logins: without TLS a user name would be taken on trust.
        assertThatThrownBy(() -> query(DriverManager.getConnection(
                "jdbc:trino://127.0.0.1:" + (TRINO + 1) + "/marginal", "platform", null), "SELECT 1"))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void analystSeesOnlyItsOrganisationsRowsAndWritesNothing() throws Exception {
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            sql.execute("CREATE TABLE analytics.access_probe (organization_id varchar, amount decimal(38,12))");
            sql.execute("INSERT INTO analytics.access_probe VALUES ('org-a', 1.5), ('org-a', 2), ('org-b', 100)");
            sql.execute("CREATE VIEW analytics.access_probe_totals AS"
                    + " SELECT organization_id, sum(amount) AS amount FROM analytics.access_probe GROUP BY organization_id");
            Analysts.assign(platform, "alice", "org-a");
        }
        String password = trino.security().addUser("alice");
        String nobody = trino.security().addUser("mallory"); // a login with no organisation
        awaitLogin("alice", password);

        assertThat(query(trino.connect("alice", password), "SELECT organization_id, CAST(amount AS varchar) FROM analytics.access_probe ORDER BY 2"))
                .containsExactly("org-a|1.500000000000", "org-a|2.000000000000");
        assertThat(query(trino.connect("alice", password), "SELECT organization_id FROM analytics.access_probe_totals"))
                .containsExactly("org-a");
        assertThat(query(trino.connect("alice", password), "SELECT count(*) FROM analytics.access_probe WHERE organization_id = 'org-b'"))
                .containsExactly("0");
        assertThat(query(trino.connect("alice", password), "SELECT organization_id FROM access.analysts"))
                .containsExactly("org-a");
        assertThat(query(trino.connect("mallory", nobody), "SELECT count(*) FROM analytics.access_probe"))
                .containsExactly("0");
        assertThatThrownBy(() -> query(trino.connect("alice", password), "INSERT INTO analytics.access_probe VALUES ('org-b', 1)"))
                .hasMessageContaining("Access Denied");
        assertThatThrownBy(() -> query(trino.connect("alice", password), "INSERT INTO access.analysts VALUES ('alice', 'org-b')"))
                .hasMessageContaining("Access Denied");
        assertThatThrownBy(() -> query(trino.connect("alice", password), "DELETE FROM analytics.access_probe"))
                .hasMessageContaining("Access Denied");
        // Trino refuses table procedures on a row-filtered table before it checks privileges.
        assertThatThrownBy(() -> query(trino.connect("alice", password), "ALTER TABLE analytics.access_probe EXECUTE optimize"))
                .hasMessageContaining("row filter");
    }

    @Test
    void upFillsTheDerivedTablesOnceOnAWarehouseFromBeforeThem() throws Exception {
        String org = "org-before-customer-days";
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            // The previous release's warehouse: revenue facts, cost deltas and order items, neither
            // customer_day_deltas nor subscription_lines.
            sql.execute("DROP TABLE marginal.analytics.customer_day_deltas");
            sql.execute("DROP TABLE marginal.analytics.subscription_lines");
            sql.execute("INSERT INTO marginal.raw.cdc_changes VALUES ('order_items', 'item1', '" + org + "', 'r', 1,"
                    + " TIMESTAMP '2026-11-01 00:00:00 UTC', '{\"id\":\"item1\",\"order_id\":\"ord1\",\"position\":0,"
                    + "\"label\":\"Plan\",\"kind\":\"fixed\",\"quantity\":\"1\",\"amount\":\"100\",\"tax_amount\":\"0\","
                    + "\"discount_amount\":\"0\",\"net_amount\":\"100\",\"start_timestamp\":\"2026-11-01T00:00:00Z\","
                    + "\"end_timestamp\":\"2026-11-03T00:00:00Z\",\"created_at\":\"2026-11-01T00:00:00Z\"}')");
            sql.execute("INSERT INTO marginal.analytics.revenue_facts VALUES"
                    + " ('" + org + "', 'cus_1', NULL, NULL, 'ord1', 'item1', 'subscription', 'fixed', DATE '2026-11-01',"
                    + "  TIMESTAMP '2026-11-01 00:00:00 UTC', 'usd', 1.000000000001, 0.19, 0),"
                    + " ('" + org + "', 'cus_1', NULL, NULL, 'ord1', 'item1', 'subscription', 'fixed', DATE '2026-11-02',"
                    + "  TIMESTAMP '2026-11-01 00:00:00 UTC', 'usd', 0.999999999999, 0.19, 0),"
                    + " ('" + org + "', 'cus_1', NULL, NULL, 'ord1', 'txn1', 'fee', 'processor_fee', DATE '2026-11-01',"
                    + "  TIMESTAMP '2026-11-01 00:00:00 UTC', 'usd', 0, 0, 1.16),"
                    + " ('" + org + "', 'cus_1', NULL, NULL, 'ord2', 'item2', 'usage', 'metered', DATE '2026-11-02',"
                    + "  TIMESTAMP '2026-11-02 00:00:00 UTC', 'usd', 12.35, 2.35, 0)");
            sql.execute("INSERT INTO marginal.analytics.usage_cost_deltas VALUES"
                    + " ('" + org + "', NULL, 'acme-1', 'chat', DATE '2026-11-01', 'usd', 2.50, 3),"
                    + " ('" + org + "', NULL, 'acme-1', 'embed', DATE '2026-11-01', 'usd', 0.50, 1),"
                    + " ('" + org + "', NULL, 'acme-1', 'signup', DATE '2026-11-01', NULL, NULL, 1)");
        }
        trino.applySchemas();
        trino.applySchemas(); // the next `up` finds the table and adds nothing

        assertThat(query(trino.connect(), "SELECT coalesce(customer_id, '-'), coalesce(external_customer_id, '-'), day,"
                + " coalesce(currency, '-'), CAST(revenue AS varchar), CAST(subscription_revenue AS varchar),"
                + " CAST(usage_revenue AS varchar), CAST(cost AS varchar), CAST(fees AS varchar), events"
                + " FROM marginal.analytics.customer_day_deltas WHERE organization_id = '" + org + "' ORDER BY 1, 2, 3, 4"))
                .containsExactly(
                        "-|acme-1|2026-11-01|-|0.000000000000|0.000000000000|0.000000000000|0.000000000000|0.000000000000|1",
                        "-|acme-1|2026-11-01|usd|0.000000000000|0.000000000000|0.000000000000|3.000000000000|0.000000000000|4",
                        "cus_1|-|2026-11-01|usd|1.000000000001|1.000000000001|0.000000000000|0.000000000000|1.160000000000|0",
                        "cus_1|-|2026-11-02|usd|13.349999999999|0.999999999999|12.350000000000|0.000000000000|0.000000000000|0");
        assertThat(query(trino.connect(), "SELECT CAST(sum(revenue) AS varchar), CAST(sum(cost) AS varchar),"
                + " CAST(sum(gross_margin) AS varchar), sum(events) FROM marginal.analytics.customer_margins"
                + " WHERE organization_id = '" + org + "'"))
                .containsExactly("14.350000000000|3.000000000000|10.190000000000|5");
        // The line is its two days of facts: 1.000000000001 + 0.999999999999 over [1 Nov, 3 Nov).
        assertThat(query(trino.connect(), "SELECT customer_id, order_id, item_id, currency, CAST(period_start AS varchar),"
                + " CAST(period_end AS varchar), CAST(amount AS varchar) FROM marginal.analytics.subscription_lines"
                + " WHERE organization_id = '" + org + "'"))
                .containsExactly("cus_1|ord1|item1|usd|2026-11-01 00:00:00.000000 UTC|2026-11-03 00:00:00.000000 UTC|2.000000000000");
    }

    @Test
    void rawCustomersIsEachCustomersNewestVersionAndReadsOnlyTheOrganisationAsked() throws Exception {
        String org = "org-customer-versions";
        String other = "org-customer-versions-other";
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            sql.execute("INSERT INTO marginal.raw.cdc_changes VALUES"
                    // Snapshot without a WAL position, then an update that sets the external id.
                    + " ('customers', 'cus_v1', '" + org + "', 'r', NULL, TIMESTAMP '2026-11-01 00:00:00 UTC', '{\"external_id\":null}'),"
                    + " ('customers', 'cus_v1', '" + org + "', 'u', 7, TIMESTAMP '2026-11-01 00:00:01 UTC', '{\"external_id\":\"v1\"}'),"
                    // Created, then deleted: the delete names the organisation (replica identity (id, organization_id)).
                    + " ('customers', 'cus_v2', '" + org + "', 'c', 5, TIMESTAMP '2026-11-01 00:00:00 UTC', '{\"external_id\":\"v2\"}'),"
                    + " ('customers', 'cus_v2', '" + org + "', 'd', 9, TIMESTAMP '2026-11-01 00:00:02 UTC', '{}'),"
                    // Appended out of order: the higher WAL position wins, not the later row.
                    + " ('customers', 'cus_v3', '" + org + "', 'u', 12, TIMESTAMP '2026-11-01 00:00:03 UTC', '{\"external_id\":\"v3-new\"}'),"
                    + " ('customers', 'cus_v3', '" + org + "', 'c', 11, TIMESTAMP '2026-11-01 00:00:04 UTC', '{\"external_id\":\"v3-old\"}'),"
                    + " ('customers', 'cus_w1', '" + other + "', 'c', 6, TIMESTAMP '2026-11-01 00:00:00 UTC', '{\"external_id\":\"w1\"}')");
        }
        assertThat(query(trino.connect(), "SELECT id, coalesce(external_id, '-') FROM marginal.raw.customers"
                + " WHERE organization_id IN ('" + org + "', '" + other + "') ORDER BY id"))
                .containsExactly("cus_v1|v1", "cus_v3|v3-new", "cus_w1|w1");
        // The organisation reaches the scan of cdc_changes (a window over every customer's history would stop it).
        assertThat(String.join("\n", query(trino.connect(), "EXPLAIN SELECT id FROM marginal.raw.customers"
                + " WHERE organization_id = '" + org + "'")))
                .containsPattern("ScanFilterProject\\[table = marginal:raw.cdc_changes[^\\n]*filterPredicate = \\(organization_id = varchar '" + org + "'\\)");
    }

    @Test
    void oneRoundCompactsManySmallCommitsAndKeepsEveryRow() throws Exception {
        TableName table = new TableName("raw", "small_commits");
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            sql.execute("CREATE TABLE raw.small_commits (organization_id varchar, day date, cost decimal(38,12))"
                    + " WITH (partitioning = ARRAY['day'])");
            // 12 commits, as the Flink job makes one per checkpoint: 12 files per day, 2 days.
            for (int i = 1; i <= 12; i++) {
                sql.execute("INSERT INTO raw.small_commits VALUES ('org-a', DATE '2026-11-01', " + i + ".000000000001),"
                        + " ('org-a', DATE '2026-11-02', " + i + ")");
            }
        }
        String sums = "SELECT day, count(*), CAST(sum(cost) AS varchar) FROM raw.small_commits GROUP BY day ORDER BY day";
        List<String> before = query(trino.connect(), sums);
        // 1 + … + 12 = 78; twelve times 0.000000000001 on the first day.
        assertThat(before).containsExactly("2026-11-01|12|78.000000000012", "2026-11-02|12|78.000000000000");
        assertThat(state(table).dataFiles()).isEqualTo(24);

        MaintenancePolicy policy = MaintenancePolicy.load(Optional.empty(), new Properties());
        TableMaintenance maintenance = new TableMaintenance(trino::connect, policy);
        assertThat(maintenance.tables()).contains(table, new TableName("access", "analysts"))
                .doesNotContain(new TableName("analytics", "model_costs")); // a view
        TableMaintenance.Round round = maintenance.run(0);

        assertThat(round.failures()).isEmpty();
        assertThat(round.outcomes()).filteredOn(o -> o.table().equals(table)).extracting(TableMaintenance.Outcome::step)
                .containsExactly(TableMaintenance.Step.OPTIMIZE, TableMaintenance.Step.EXPIRE_SNAPSHOTS,
                        TableMaintenance.Step.REMOVE_ORPHAN_FILES);
        assertThat(state(table).dataFiles()).isEqualTo(2); // one per day partition
        assertThat(query(trino.connect(), sums)).isEqualTo(before);
        // An hour of snapshots is kept: the 12 inserts (plus create and the rewrite) are all younger.
        assertThat(state(table).snapshots()).isGreaterThanOrEqualTo(13);
        assertThat(state(table).oldestSnapshotAge()).hasValueSatisfying(age -> assertThat(age).isLessThan(Duration.ofHours(1)));
    }

    @Test
    void aRoundBesideConcurrentAppendsLosesNothingAndAFailedStepIsOnlyReported() throws Exception {
        TableName table = new TableName("analytics", "appended_while_compacting");
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            sql.execute("CREATE TABLE analytics.appended_while_compacting (organization_id varchar, cost decimal(38,12))");
            for (int i = 1; i <= 10; i++) {
                sql.execute("INSERT INTO analytics.appended_while_compacting VALUES ('org-a', " + i + ")");
            }
        }
        // A writer appends 15 more commits, as the Flink job does, while the round compacts and expires.
        Thread writer = new Thread(() -> {
            try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
                for (int i = 11; i <= 25; i++) {
                    sql.execute("INSERT INTO analytics.appended_while_compacting VALUES ('org-a', " + i + ")");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        TableMaintenance maintenance = new TableMaintenance(trino::connect,
                MaintenancePolicy.load(Optional.empty(), new Properties()));
        List<Throwable> writerFailures = new ArrayList<>();
        writer.setUncaughtExceptionHandler((t, e) -> writerFailures.add(e));
        writer.start();
        List<TableMaintenance.Outcome> concurrent = maintenance.maintain(table, 0); // never throws
        writer.join();

        assertThat(writerFailures).isEmpty();
        assertThat(concurrent).hasSize(3);
        // 1 + … + 25 = 325: every appended row is there, whatever the round's commits met.
        String totals = "SELECT count(*), CAST(sum(cost) AS varchar) FROM analytics.appended_while_compacting";
        assertThat(query(trino.connect(), totals)).containsExactly("25|325.000000000000");

        // The next round (nothing appending now) compacts whatever is left into one file.
        assertThat(maintenance.maintain(table, 1)).allMatch(TableMaintenance.Outcome::ok);
        assertThat(state(table).dataFiles()).isEqualTo(1);
        assertThat(query(trino.connect(), totals)).containsExactly("25|325.000000000000");
    }

    private static TableState state(TableName table) throws SQLException {
        return TableState.of(trino::connect, List.of(table)).get(0);
    }

    /** Trino re-reads the password file every few seconds; a fresh user can log in after that. */
    private static void awaitLogin(String user, String password) throws Exception {
        SQLException last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                query(trino.connect(user, password), "SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw last;
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        try (connection; Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                values.add(String.join("|", row));
            }
            return values;
        }
    }
}
