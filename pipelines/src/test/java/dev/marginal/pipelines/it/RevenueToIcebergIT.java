package dev.marginal.pipelines.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.IcebergTables;
import dev.marginal.pipelines.flink.accrual.UsageAccrualsTable;
import dev.marginal.pipelines.flink.billing.CdcChangesTable;
import dev.marginal.pipelines.flink.billing.RevenueFactsTable;
import dev.marginal.stack.Directories;
import dev.marginal.stack.KafkaBroker;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * billing-core's own schema (its Flyway files, V1…) in a real PostgreSQL; a scripted two months of
 * one customer's orders, payments, fees and a refund written as billing-core writes them, and the
 * LLM tokens March's usage line bills; the CDC runner and the raw-events job from the shaded jar;
 * then the Iceberg facts and the Trino views must show exactly the hand-computed figures, and the
 * usage accrued during March must be, to the cent, the metered line April's renewal invoiced.
 */
class RevenueToIcebergIT {

    static final int PG_PORT = 19433;
    static final int KAFKA_PORT = 19094;
    static final int KAFKA_CONTROLLER_PORT = 19095;
    static final int CDC_HEALTH = 19193;
    static final int FLINK_HEALTH = 19194;
    static final int TRINO_PORT = 18096;

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";
    static final String ADA = "0190a000-0000-7000-8000-00000000ada1";
    static final String BEA = "0190a000-0000-7000-8000-00000000bea1";
    static final String PRO = "0190a000-0000-7000-8000-0000000000b1";
    static final String PRO_PRICE = "0190a000-0000-7000-8000-0000000000c1";
    static final String TOKENS_PRICE = "0190a000-0000-7000-8000-0000000000c2";
    static final String TOKENS_METER = "0190a000-0000-7000-8000-0000000000f1";
    static final String SUB = "0190a000-0000-7000-8000-0000000000d1";
    static final String MARCH = "0190a000-0000-7000-8000-0000000000e1";
    static final String APRIL = "0190a000-0000-7000-8000-0000000000e2";
    static final String DECLINED = "0190a000-0000-7000-8000-0000000000e3";
    static final Path MIGRATIONS = Path.of("..", "billing-core", "service", "src", "main", "resources", "db", "migration");
    static final Path WAREHOUSE_SQL = Path.of("..", "warehouse", "src", "main", "resources", "sql");

    static Path home;
    static PostgresServer postgres;
    static KafkaBroker kafka;
    static RunnerProcess cdc;
    static RunnerProcess job;
    static PipelinesConfig config;

    @BeforeAll
    static void startStack() throws Exception {
        home = Path.of(System.getProperty("marginal.pipelines.it.home", "target/it-home")).toAbsolutePath().resolveSibling("it-home-revenue");
        Directories.deleteTree(home);
        Files.createDirectories(home);
        postgres = PostgresServer.startForTests(home, PG_PORT);
        kafka = KafkaBroker.startForTests(home, KAFKA_PORT, KAFKA_CONTROLLER_PORT);
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            for (Path migration : migrations()) {
                sql.execute(Files.readString(migration));
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("MARGINAL_HOME", home.toString());
        env.put("MARGINAL_DB_URL", postgres.jdbcUrl("marginal"));
        env.put("MARGINAL_DB_USER", PostgresServer.USER);
        env.put("MARGINAL_DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("MARGINAL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("MARGINAL_CATALOG_URL", postgres.jdbcUrl("marginal_catalog"));
        env.put("MARGINAL_CATALOG_USER", PostgresServer.USER);
        env.put("MARGINAL_CATALOG_PASSWORD", PostgresServer.PASSWORD);
        env.put("MARGINAL_WAREHOUSE", home.resolve("warehouse").toUri().toString());
        env.put("MARGINAL_CDC_HEALTH_PORT", Integer.toString(CDC_HEALTH));
        env.put("MARGINAL_FLINK_HEALTH_PORT", Integer.toString(FLINK_HEALTH));
        config = PipelinesConfig.from(env);
        Path jar = Path.of(System.getProperty("marginal.pipelines.jar", "target/marginal-pipelines.jar"));
        cdc = new RunnerProcess("cdc", jar, env, CDC_HEALTH, List.of("-Xmx256m"), home.resolve("logs/cdc.log"));
        job = new RunnerProcess("raw-events", jar, env, FLINK_HEALTH, List.of("-Xmx640m", "-XX:MaxDirectMemorySize=192m"),
                home.resolve("logs/raw-events.log"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        for (RunnerProcess runner : new RunnerProcess[] {job, cdc}) {
            if (runner != null) {
                runner.stop();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** billing-core's migrations in version order (V2 before V10). */
    static List<Path> migrations() throws Exception {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
    }

    @Test
    void aScriptedTwoMonthsReachesTheWarehouseToTheCent() throws Exception {
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO organizations (id, name, slug) VALUES ('" + ACME + "', 'Acme', 'acme')");
            sql.execute("INSERT INTO customers (id, organization_id, external_id, email, created_at) VALUES ('" + ADA + "', '"
                    + ACME + "', 'ada', 'ada@example.com', '2024-02-28T10:00:00Z')");
            sql.execute("INSERT INTO products (id, organization_id, name, recurring_interval, recurring_interval_count) VALUES ('"
                    + PRO + "', '" + ACME + "', 'Pro', 'month', 1)");
            sql.execute("INSERT INTO product_prices (id, organization_id, product_id, amount_type, price_currency, price_amount) VALUES ('"
                    + PRO_PRICE + "', '" + ACME + "', '" + PRO + "', 'fixed', 'usd', 2900)");
            sql.execute("INSERT INTO meters (id, organization_id, name, filter, aggregation, unit) VALUES ('" + TOKENS_METER + "', '"
                    + ACME + "', 'LLM tokens', '{\"conjunction\": \"and\", \"clauses\": [{\"property\": \"name\","
                    + " \"operator\": \"eq\", \"value\": \"completion\"}]}', '{\"func\": \"sum\","
                    + " \"property\": \"metadata._llm.total_tokens\"}', 'token')");
            // 0.001 ¢ per token.
            sql.execute("INSERT INTO product_prices (id, organization_id, product_id, amount_type, price_currency, unit_amount, meter_id)"
                    + " VALUES ('" + TOKENS_PRICE + "', '" + ACME + "', '" + PRO + "', 'metered_unit', 'usd', 0.001, '" + TOKENS_METER + "')");
            sql.execute("INSERT INTO subscriptions (id, organization_id, customer_id, product_id, currency, amount, recurring_interval,"
                    + " recurring_interval_count, status, billing_anchor, current_period_start, current_period_end, started_at) VALUES ('"
                    + SUB + "', '" + ACME + "', '" + ADA + "', '" + PRO + "', 'usd', 2900, 'month', 1, 'active',"
                    + " '2024-03-01T00:00:00Z', '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', '2024-03-01T00:00:00Z')");
        }
        // Subscription created on 1 March: $29.00 for March, paid at once (order, items, payment,
        // ledger and "paid" in one transaction, as billing-core's Orders does), before CDC starts.
        billAndPay(MARCH, "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z", 0, 114, 42, true);
        cdc.start();
        job.start();

        // March's usage: 1,000,000 + 2,000,000 + 1,321,000 = 4,321,000 tokens × 0.001 ¢ = 4,321 ¢.
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            String[][] calls = {{"2024-03-05T10:00:00Z", "1000000"}, {"2024-03-18T10:00:00Z", "2000000"}, {"2024-03-31T23:59:59Z", "1321000"}};
            for (String[] call : calls) {
                sql.execute("INSERT INTO events (id, organization_id, external_customer_id, name, timestamp, metadata) VALUES ("
                        + "gen_random_uuid(), '" + ACME + "', 'ada', 'completion', '" + call[0] + "', '{\"_llm\": {\"vendor\": \"openai\","
                        + " \"model\": \"gpt-4o\", \"total_tokens\": " + call[1] + "}}')");
            }
        }
        awaitRows(UsageAccrualsTable.IDENTIFIER, 3);

        // Renewal on 1 April: $29.00 for April and $43.21 of March's usage, declined first and
        // collected in a later transaction. An order never paid books nothing.
        billAndPay(APRIL, "2024-04-01T00:00:00Z", "2024-05-01T00:00:00Z", 4321, 239, 90, false);
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            sql.execute("UPDATE subscriptions SET period_index = 1, current_period_start = '2024-04-01T00:00:00Z',"
                    + " current_period_end = '2024-05-01T00:00:00Z' WHERE id = '" + SUB + "'");
        }
        billAndPay(DECLINED, "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z", 0, 0, 0, false);
        pay(APRIL, 7221, 239, 90, "2024-04-01T06:00:00Z");
        // A $10.00 refund of March's order on 20 March (no tax: it is all revenue).
        ledger(MARCH, "2024-03-20T09:00:00Z", new String[][] {{"refund", "merchant:" + ACME, "-1000"}, {"refund", "customer:" + ADA, "1000"}});

        // By hand: March's fee 2900 / 31 days = 93 a day, the 17 cents left to the first 17 days;
        // April's 2900 / 30 = 96, 20 cents left to the first 20 days.
        Map<LocalDate, BigDecimal> expected = new TreeMap<>();
        for (int d = 1; d <= 31; d++) {
            expected.put(LocalDate.of(2024, 3, d), new BigDecimal(d <= 17 ? "0.94" : "0.93"));
        }
        for (int d = 1; d <= 30; d++) {
            expected.put(LocalDate.of(2024, 4, d), new BigDecimal(d <= 20 ? "0.97" : "0.96"));
        }
        expected.merge(LocalDate.of(2024, 4, 1), new BigDecimal("43.21"), BigDecimal::add); // usage, when invoiced
        expected.merge(LocalDate.of(2024, 3, 20), new BigDecimal("-10.00"), BigDecimal::add); // the refund's day

        List<Record> facts = awaitFacts(31 + 30 + 1 + 4 + 1);
        Map<LocalDate, BigDecimal> revenueByDay = new TreeMap<>();
        BigDecimal fees = BigDecimal.ZERO;
        for (Record f : facts) {
            revenueByDay.merge((LocalDate) f.getField("day"), (BigDecimal) f.getField("revenue"), BigDecimal::add);
            fees = fees.add((BigDecimal) f.getField("fees"));
            assertThat(f.getField("customer_id")).isEqualTo(ADA);
            assertThat(f.getField("order_id")).isNotEqualTo(DECLINED);
        }
        assertThat(revenueByDay).hasSameSizeAs(expected);
        expected.forEach((day, amount) -> assertThat(revenueByDay.get(day)).as("revenue of %s", day).isEqualByComparingTo(amount));
        // Fees: 114 + 42 on March's $29.00, 239 + 90 on April's $72.21.
        assertThat(fees).isEqualByComparingTo("4.85");

        List<Record> items = readAll(CdcChangesTable.IDENTIFIER).stream()
                .filter(r -> r.getField("table_name").equals("order_items")).toList();
        assertThat(items).as("order items mirrored with their order's organisation").hasSize(4)
                .allSatisfy(r -> assertThat(r.getField("organization_id")).isEqualTo(ACME));

        // A customer deleted by hand (billing-core never deletes one): the delete's CDC record names
        // its organisation (replica identity (id, organization_id), V26), so raw.customers, which keeps
        // the newest version per organisation and customer, hides it.
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            sql.execute("INSERT INTO customers (id, organization_id, external_id, email, created_at) VALUES ('" + BEA + "', '"
                    + ACME + "', 'bea', 'bea@example.com', '2024-03-02T10:00:00Z')");
            sql.execute("DELETE FROM customers WHERE id = '" + BEA + "'");
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        List<Record> beaChanges = List.of();
        while (beaChanges.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            beaChanges = readAll(CdcChangesTable.IDENTIFIER).stream().filter(r -> BEA.equals(r.getField("id"))).toList();
        }
        assertThat(beaChanges).extracting(r -> r.getField("cdc_op")).containsExactlyInAnyOrder("c", "d");
        assertThat(beaChanges).allSatisfy(r -> assertThat(r.getField("organization_id")).isEqualTo(ACME));

        try (TrinoServer trino = TrinoServer.startForTests(home, TRINO_PORT, PG_PORT);
             Connection connection = trino.connect(); Statement sql = connection.createStatement()) {
            for (String file : List.of("schemas.sql", "model_costs.sql", "raw_mirrors.sql", "revenue.sql", "mrr.sql",
                    "accrued_usage.sql")) {
                for (String statement : EventsToIcebergIT.sqlStatements(Files.readString(WAREHOUSE_SQL.resolve(file)))) {
                    sql.execute(statement);
                }
            }
            assertThat(scalar(sql, "SELECT status FROM marginal.raw.orders WHERE id = '" + APRIL + "'")).isEqualTo("paid");
            assertThat(scalar(sql, "SELECT array_join(array_agg(external_id), ',') FROM marginal.raw.customers"
                    + " WHERE organization_id = '" + ACME + "'")).as("bea deleted").isEqualTo("ada");
            assertThat(scalar(sql, "SELECT count(*) FROM marginal.raw.order_items WHERE organization_id = '" + ACME + "'")).isEqualTo("4");
            assertThat(scalar(sql, "SELECT CAST(revenue AS varchar) || ' ' || CAST(fees AS varchar) || ' ' || external_customer_id"
                    + " FROM marginal.analytics.customer_margins WHERE day = DATE '2024-04-01'"))
                    .isEqualTo("44.180000000000 3.290000000000 ada");
            assertThat(scalar(sql, "SELECT CAST(sum(revenue) AS varchar) FROM marginal.analytics.customer_margins"))
                    .isEqualTo("91.210000000000");
            assertThat(scalar(sql, "SELECT CAST(sum(gross_margin) AS varchar) FROM marginal.analytics.customer_margins"))
                    .as("91.21 revenue - 4.85 fees, no LLM cost").isEqualTo("86.360000000000");
            assertThat(scalar(sql, "SELECT CAST(mrr AS varchar) || ' ' || CAST(new_mrr AS varchar) FROM marginal.analytics.mrr"
                    + " WHERE month = DATE '2024-03-01'")).isEqualTo("29.000000000000 29.000000000000");
            assertThat(scalar(sql, "SELECT CAST(churned_mrr AS varchar) || ' ' || CAST(mrr AS varchar) FROM marginal.analytics.mrr"
                    + " WHERE month = DATE '2024-05-01'")).as("not renewed in May").isEqualTo("29.000000000000 0.000000000000");
            assertThat(scalar(sql, "SELECT CAST(sum(revenue) AS varchar) FROM marginal.analytics.feature_margins"))
                    .as("no usage cost: all revenue unallocated").isEqualTo("91.210000000000");
            assertThat(scalar(sql, "SELECT status || ' ' || CAST(quantity AS varchar) || ' ' || CAST(amount AS varchar) || ' '"
                    + " || CAST(invoiced_amount AS varchar) || ' ' || CAST(events AS varchar) FROM marginal.analytics.accrued_usage"
                    + " WHERE period_start = TIMESTAMP '2024-03-01 00:00:00 UTC' AND price_id = '" + TOKENS_PRICE + "'"))
                    .as("accrued during March = the line April's renewal invoiced")
                    .isEqualTo("closed 4321000.000000000000 43.210000000000 43.210000000000 3");
        }
    }

    /** An order with a fixed line for its period and, when given, a metered line; paid now or left pending. */
    static void billAndPay(String order, String start, String end, long usage, long processorFee, long platformFee, boolean payNow)
            throws Exception {
        long total = 2900 + usage;
        try (Connection db = postgres.connect("marginal")) {
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                sql.execute("INSERT INTO orders (id, organization_id, customer_id, product_id, subscription_id, status, billing_reason,"
                        + " currency, subtotal_amount, discount_amount, net_amount, tax_amount, total_amount, period_start, period_end,"
                        + " created_at) VALUES ('" + order + "', '" + ACME + "', '" + ADA + "', '" + PRO + "', '" + SUB + "', 'pending',"
                        + " 'subscription_cycle', 'usd', " + total + ", 0, " + total + ", 0, " + total + ", '" + start + "', '" + end
                        + "', '" + start + "')");
                sql.execute("INSERT INTO order_items (id, order_id, position, label, kind, quantity, unit, amount, tax_amount,"
                        + " product_price_id, start_timestamp, end_timestamp, created_at) VALUES (gen_random_uuid(), '" + order
                        + "', 0, 'Pro', 'fixed', 1, 'unit', 2900, 0, '" + PRO_PRICE + "', '" + start + "', '" + end + "', '" + start + "')");
                if (usage > 0) {
                    sql.execute("INSERT INTO order_items (id, order_id, position, label, kind, quantity, unit, amount, tax_amount,"
                            + " product_price_id, start_timestamp, end_timestamp, created_at) VALUES (gen_random_uuid(), '" + order
                            + "', 1, 'Pro — tokens', 'metered', 4321000, 'token', " + usage + ", 0, '" + TOKENS_PRICE + "',"
                            + " '2024-03-01T00:00:00Z', '2024-04-01T00:00:00Z', '" + start + "')");
                }
            }
            db.commit();
        }
        if (payNow) {
            pay(order, total, processorFee, platformFee, start);
        }
    }

    /** A succeeded payment: its row, the ledger movement and the order turning paid, in one transaction. */
    static void pay(String order, long total, long processorFee, long platformFee, String at) throws Exception {
        ledger(order, at, new String[][] {
                {"payment", "customer:" + ADA, Long.toString(-total)}, {"payment", "merchant:" + ACME, Long.toString(total)},
                {"processor_fee", "merchant:" + ACME, Long.toString(-processorFee)}, {"processor_fee", "processor", Long.toString(processorFee)},
                {"platform_fee", "merchant:" + ACME, Long.toString(-platformFee)}, {"platform_fee", "platform", Long.toString(platformFee)}},
                "UPDATE orders SET status = 'paid', platform_fee_amount = " + platformFee + ", modified_at = '" + at + "' WHERE id = '"
                        + order + "'");
    }

    static void ledger(String order, String at, String[][] rows, String... alsoInTheTransaction) throws Exception {
        try (Connection db = postgres.connect("marginal")) {
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                String movement = java.util.UUID.randomUUID().toString();
                for (String[] r : rows) {
                    sql.execute("INSERT INTO transactions (id, organization_id, correlation_key, type, account, amount, currency,"
                            + " order_id, created_at) VALUES (gen_random_uuid(), '" + ACME + "', '" + movement + "', '" + r[0] + "', '"
                            + r[1] + "', " + r[2] + ", 'usd', '" + order + "', '" + at + "')");
                }
                for (String statement : alsoInTheTransaction) {
                    sql.execute(statement);
                }
            }
            db.commit();
        }
    }

    static List<Record> awaitFacts(int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<Record> facts = List.of();
        while (System.nanoTime() < deadline) {
            facts = readAll(RevenueFactsTable.IDENTIFIER);
            if (facts.size() >= atLeast) {
                Thread.sleep(5000); // a few more checkpoints: a double count would show now
                return readAll(RevenueFactsTable.IDENTIFIER);
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("revenue_facts has " + facts.size() + " rows, expected at least " + atLeast
                + "; see " + home.resolve("logs"));
    }

    static void awaitRows(TableIdentifier id, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (readAll(id).size() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " has fewer than " + atLeast + " rows; see " + home.resolve("logs"));
            }
            Thread.sleep(1000);
        }
    }

    static List<Record> readAll(TableIdentifier id) throws Exception {
        Catalog catalog = IcebergTables.catalogLoader(config).loadCatalog();
        if (!catalog.tableExists(id)) {
            return List.of();
        }
        Table table = catalog.loadTable(id);
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> all = IcebergGenerics.read(table).build()) {
            all.forEach(r -> rows.add(r.copy()));
        }
        return rows;
    }

    static String scalar(Statement sql, String query) throws Exception {
        try (ResultSet rs = sql.executeQuery(query)) {
            assertThat(rs.next()).as(query).isTrue();
            return rs.getString(1);
        }
    }
}
