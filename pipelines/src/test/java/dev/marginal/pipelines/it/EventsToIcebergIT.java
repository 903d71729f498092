package dev.marginal.pipelines.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.IcebergTables;
import dev.marginal.pipelines.flink.IcebergTablesTest;
import dev.marginal.pipelines.flink.ModelCostDeltasTable;
import dev.marginal.pipelines.flink.RawEventsTable;
import dev.marginal.pipelines.flink.UsageCostsTable;
import dev.marginal.stack.Directories;
import dev.marginal.stack.KafkaBroker;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * PostgreSQL → CDC runner → Kafka → raw-events job → Iceberg, with both runners started from the
 * shaded jar as real processes and {@code kill -9}-ed while rows are being inserted. The table must
 * end up with exactly the rows PostgreSQL has, field for field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventsToIcebergIT {

    static final int PG_PORT = 19432;
    static final int KAFKA_PORT = 19092;
    static final int KAFKA_CONTROLLER_PORT = 19093;
    static final int CDC_HEALTH = 19191;
    static final int FLINK_HEALTH = 19192;

    static final String ACME = "5f0e8a3b-1f4c-4d7e-8a2b-3c4d5e6f7a8b";
    static final Instant MAY_FIRST = Instant.parse("2024-05-01T00:00:00Z");

    static final String EVENTS_DDL = """
            CREATE TABLE events (
              id uuid PRIMARY KEY,
              organization_id uuid NOT NULL,
              customer_id uuid NULL,
              external_customer_id text NULL,
              external_id text NULL,
              name text NOT NULL,
              "timestamp" timestamptz NOT NULL,
              metadata jsonb NOT NULL DEFAULT '{}',
              source text NOT NULL DEFAULT 'user',
              ingested_at timestamptz NOT NULL DEFAULT now(),
              cost_amount numeric(38,12),
              cost_currency text,
              cost_source text,
              model_price_id uuid,
              trace_id text,
              UNIQUE (organization_id, external_id))""";

    static Path home;
    static PostgresServer postgres;
    static KafkaBroker kafka;
    static RunnerProcess cdc;
    static RunnerProcess rawEvents;
    static PipelinesConfig config;
    static final AtomicInteger sequence = new AtomicInteger();
    static final ExpectedCosts costs = new ExpectedCosts();

    @BeforeAll
    static void startStack() throws Exception {
        home = Path.of(System.getProperty("marginal.pipelines.it.home", "target/it-home")).toAbsolutePath();
        Directories.deleteTree(home);
        Files.createDirectories(home);
        postgres = PostgresServer.startForTests(home, PG_PORT);
        kafka = KafkaBroker.startForTests(home, KAFKA_PORT, KAFKA_CONTROLLER_PORT);
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            sql.execute(EVENTS_DDL);
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

        // raw.events as the previous release's job left it: this release's job must add trace_id to it.
        Catalog catalog = RawEventsTable.catalogLoader(config).loadCatalog();
        ((org.apache.iceberg.catalog.SupportsNamespaces) catalog).createNamespace(RawEventsTable.NAMESPACE);
        catalog.buildTable(RawEventsTable.IDENTIFIER, IcebergTablesTest.RAW_EVENTS_BEFORE_TRACE_ID)
                .withPartitionSpec(PartitionSpec.builderFor(IcebergTablesTest.RAW_EVENTS_BEFORE_TRACE_ID).day("timestamp").build())
                .withProperties(IcebergTables.PROPERTIES).create();

        Path jar = Path.of(System.getProperty("marginal.pipelines.jar", "target/marginal-pipelines.jar"));
        cdc = new RunnerProcess("cdc", jar, env, CDC_HEALTH, 
                // Heartbeat every second so the WAL check below does not wait the default 10 s.
                List.of("-Xmx256m", "-Ddebezium.heartbeat.interval.ms=1000"), home.resolve("logs/cdc.log"));
        rawEvents = new RunnerProcess("raw-events", jar, env, FLINK_HEALTH,
                List.of("-Xmx640m", "-XX:MaxDirectMemorySize=192m"), home.resolve("logs/raw-events.log"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        for (RunnerProcess runner : new RunnerProcess[] {rawEvents, cdc}) {
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

    @Test
    @Order(1)
    void everyEventReachesIcebergExactlyOnceThroughKillsOfBothRunners() throws Exception {
        // Rows that exist before CDC starts arrive through the snapshot (op r).
        List<String> beforeCdc = new ArrayList<>();
        beforeCdc.addAll(insertTransaction(40));
        beforeCdc.addAll(insertTransaction(40));

        Duration cdcStartup = cdc.start();
        Duration flinkStartup = rawEvents.start();
        System.out.printf("startup to /health 200: cdc %d ms, raw-events %d ms%n", cdcStartup.toMillis(), flinkStartup.toMillis());

        Table table = table();
        awaitRowCount(table, beforeCdc.size(), Duration.ofSeconds(60));
        table.refresh();
        assertThat(table.schema().columns().get(table.schema().columns().size() - 1).name())
                .as("the previous release's raw.events, evolved by the job").isEqualTo("trace_id");

        // Stream while killing each runner mid-stream: CDC first (its unflushed offsets make it
        // redeliver), then the Flink job, and the Flink job again while it catches up.
        Thread inserter = new Thread(() -> insertTransactions(80, 10, Duration.ofMillis(200)), "inserter");
        inserter.start();
        Thread.sleep(2500);
        sampleRss();
        cdc.kill9();
        Thread.sleep(1000);
        Duration cdcRestart = cdc.start();
        Thread.sleep(1000);
        rawEvents.kill9();
        Thread.sleep(1000);
        Duration flinkRestart = rawEvents.start();
        Thread.sleep(1500);
        rawEvents.kill9();
        rawEvents.start();
        inserter.join();
        System.out.printf("restart to /health 200: raw-events %d ms, cdc %d ms%n", flinkRestart.toMillis(), cdcRestart.toMillis());

        // And one redelivery for certain, whatever the kills' timing: a change published twice.
        republishFirstChange();

        String poisonKey = publishPoisonRecord();
        List<String> afterPoison = insertTransaction(20);

        int expected = sequence.get();
        awaitRowCount(table, expected, Duration.ofSeconds(60));
        Thread.sleep(5000); // three more checkpoints: late duplicates would show up now
        sampleRss();

        Map<String, Record> warehouse = readAll(table);
        Map<String, Map<String, Object>> source = readPostgres();
        assertThat(countRows(table)).as("rows in Iceberg (duplicates included)").isEqualTo(expected);
        assertThat(warehouse.keySet()).as("ids in Iceberg").isEqualTo(source.keySet()).hasSize(expected);
        for (Map.Entry<String, Map<String, Object>> row : source.entrySet()) {
            assertSameEvent(warehouse.get(row.getKey()), row.getValue(), beforeCdc.contains(row.getKey()) ? "r" : "c");
        }
        assertThat(afterPoison).allMatch(warehouse::containsKey);
        assertEveryEventCostOnceAndModelTotalsExact();

        // Minus the poison record and the deliberate republish.
        long changes = cdcTopicRecords() - 2;
        System.out.printf("marginal.cdc.events holds %d changes for %d distinct events: CDC redelivered %d%n",
                changes, expected, changes - expected);
        assertThat(deadLetterFor(poisonKey)).contains("\"reason\":\"not JSON");
        assertThat(rawEvents.metrics()).containsPattern("marginal_raw_events_dlq_total [1-9]")
                .contains("marginal_raw_events_newest_committed_age_seconds");
        assertThat(cdc.metrics()).containsPattern("marginal_cdc_records_total [1-9]");

        measureLatency(table, 8);
        System.out.printf("peak RSS: cdc %d MB, raw-events %d MB%n", cdc.peakRssMb(), rawEvents.peakRssMb());
        System.out.println("raw-events /metrics:\n" + rawEvents.metrics() + "cdc /metrics:\n" + cdc.metrics());
    }

    @Test
    @Order(2)
    void writesToUncapturedTablesDoNotPinWalBehindTheSlot() throws Exception {
        if (!cdc.healthy()) {
            cdc.start();
        }
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS ledger_scratch (id bigserial PRIMARY KEY, note text)");
            for (int i = 0; i < 20; i++) {
                sql.execute("INSERT INTO ledger_scratch (note) SELECT repeat('x', 200) FROM generate_series(1, 500)");
            }
            String walEnd = scalar(sql, "SELECT pg_current_wal_lsn()::text");
            long deadline = System.currentTimeMillis() + 20_000;
            boolean caughtUp = false;
            while (!caughtUp && System.currentTimeMillis() < deadline) {
                caughtUp = "t".equals(scalar(sql, "SELECT (confirmed_flush_lsn >= '" + walEnd
                        + "'::pg_lsn)::text FROM pg_replication_slots WHERE slot_name = 'marginal_cdc'").substring(0, 1));
                Thread.sleep(250);
            }
            assertThat(caughtUp).as("slot confirmed past %s while only an uncaptured table changed", walEnd).isTrue();
        }
    }

    /** The Trino view of the deltas, from the warehouse's SQL file as the stack applies it. */
    @Test
    @Order(3)
    void modelCostsInTrinoAreTheHandComputedTotals() throws Exception {
        awaitModelCallsInDeltas(costs.modelCalls());
        Map<String, ExpectedCosts.Totals> expected = costs.perModelAndDay();
        try (TrinoServer trino = TrinoServer.startForTests(home, TRINO_PORT, PG_PORT);
             Connection connection = trino.connect(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS marginal.analytics");
            for (String statement : sqlStatements(Files.readString(MODEL_COSTS_SQL))) {
                sql.execute(statement);
            }
            Map<String, ExpectedCosts.Totals> view = new java.util.TreeMap<>();
            try (ResultSet rs = sql.executeQuery("""
                    SELECT organization_id, vendor, model, day, currency, input_tokens, output_tokens, cost, events
                    FROM marginal.analytics.model_costs""")) {
                assertThat(rs.getMetaData().getColumnTypeName(8)).isEqualTo("decimal(38,12)");
                while (rs.next()) {
                    view.put(ExpectedCosts.key(rs.getString(1), rs.getString(2), rs.getString(3),
                                    java.time.LocalDate.parse(rs.getString(4)), rs.getString(5)),
                            new ExpectedCosts.Totals(rs.getLong(6), rs.getLong(7), rs.getBigDecimal(8), rs.getLong(9)));
                }
            }
            assertThat(view).isEqualTo(expected);
            System.out.printf("analytics.model_costs: %d rows (model, day), %d calls%n", view.size(), costs.modelCalls());
        }
    }

    static final int TRINO_PORT = 18088;
    static final Path MODEL_COSTS_SQL = Path.of("..", "warehouse", "src", "main", "resources", "sql", "model_costs.sql");

    /** As the stack's SqlScript: comment lines dropped, statements end with ';' at a line end. */
    static List<String> sqlStatements(String script) {
        String code = script.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n"));
        return java.util.Arrays.stream(code.split(";\\s*(\\n|$)")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** usage_costs has one row per event with its exact cost; summing the deltas per key gives the hand-computed totals. */
    static void assertEveryEventCostOnceAndModelTotalsExact() throws Exception {
        Map<String, ExpectedCosts.Fact> expected = costs.byEvent();
        Table usage = table(UsageCostsTable.IDENTIFIER);
        awaitRowCount(usage, expected.size(), Duration.ofSeconds(60));
        awaitModelCallsInDeltas(costs.modelCalls());

        List<Record> rows = readRecords(usage);
        assertThat(rows).as("usage_costs rows (duplicates included)").hasSize(expected.size());
        Map<String, Record> byEvent = rows.stream().collect(Collectors.toMap(r -> (String) r.getField("event_id"), r -> r));
        assertThat(byEvent.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, ExpectedCosts.Fact> e : expected.entrySet()) {
            Record row = byEvent.get(e.getKey());
            ExpectedCosts.Fact f = e.getValue();
            assertThat(row.getField("cost")).as("cost of %s", e.getKey()).isEqualTo(f.dollars());
            assertThat(row.getField("currency")).as("currency of %s", e.getKey()).isEqualTo(f.currency());
            assertThat(row.getField("cost_source")).as("cost_source of %s", e.getKey()).isEqualTo(f.source());
            assertThat(row.getField("model")).as("model of %s", e.getKey()).isEqualTo(f.model());
            assertThat(row.getField("day")).as("day of %s", e.getKey()).isEqualTo(f.day());
            assertThat(row.getField("input_tokens")).isEqualTo(f.vendor() == null ? null : f.inputTokens());
        }

        Map<String, ExpectedCosts.Totals> summed = new java.util.TreeMap<>();
        for (Record d : readRecords(table(ModelCostDeltasTable.IDENTIFIER))) {
            summed.merge(ExpectedCosts.key((String) d.getField("organization_id"), (String) d.getField("vendor"),
                            (String) d.getField("model"), (java.time.LocalDate) d.getField("day"), (String) d.getField("currency")),
                    new ExpectedCosts.Totals((Long) d.getField("input_tokens"), (Long) d.getField("output_tokens"),
                            (java.math.BigDecimal) d.getField("cost"), (Long) d.getField("events")),
                    (a, b) -> a.plus(b.inputTokens(), b.outputTokens(), b.cost(), b.events()));
        }
        assertThat(summed).isEqualTo(costs.perModelAndDay());
        System.out.printf("usage_costs: %d rows; model_cost_deltas sum to %d (model, day) totals%n", rows.size(), summed.size());
    }

    /** Waits until the deltas count at least this many calls (more would fail the comparison after). */
    static void awaitModelCallsInDeltas(long calls) {
        Table deltas = table(ModelCostDeltasTable.IDENTIFIER);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            n = readRecords(deltas).stream().mapToLong(r -> (Long) r.getField("events")).sum();
            if (n >= calls) {
                return;
            }
            sleep(500);
        }
        throw new AssertionError("model_cost_deltas count " + n + " calls, expected " + calls);
    }

    static List<Record> readRecords(Table table) {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            List<Record> list = new ArrayList<>();
            rows.forEach(r -> list.add(r.copy()));
            return list;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String scalar(Statement sql, String query) throws java.sql.SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void assertSameEvent(Record iceberg, Map<String, Object> pg, String op) {
        assertThat(iceberg).as("row %s", pg.get("id")).isNotNull();
        for (String column : List.of("id", "organization_id", "customer_id", "external_customer_id", "external_id",
                "name", "metadata", "source", "trace_id")) {
            assertThat(iceberg.getField(column)).as("%s of %s", column, pg.get("id")).isEqualTo(pg.get(column));
        }
        for (String column : List.of("timestamp", "ingested_at")) {
            assertThat(((OffsetDateTime) iceberg.getField(column)).toInstant()).as("%s of %s", column, pg.get("id"))
                    .isEqualTo(pg.get(column));
        }
        assertThat(iceberg.getField("cdc_op")).as("cdc_op of %s", pg.get("id")).isEqualTo(op);
        assertThat(iceberg.getField("cdc_lsn")).as("cdc_lsn").isNotNull();
        assertThat(iceberg.getField("cdc_ts")).as("cdc_ts").isNotNull();
    }

    // ---- PostgreSQL side -------------------------------------------------------------------

    /** One transaction of {@code n} LLM-call events; timestamps spread over days, with microseconds. */
    static List<String> insertTransaction(int n) {
        List<String> ids = new ArrayList<>();
        try (Connection db = postgres.connect("marginal")) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO events (id, organization_id, customer_id, external_customer_id, external_id, name,
                                        "timestamp", metadata, source, cost_amount, cost_currency, cost_source, model_price_id,
                                        trace_id)
                    VALUES (?::uuid, ?::uuid, ?::uuid, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::uuid, ?)""")) {
                for (int k = 0; k < n; k++) {
                    int i = sequence.incrementAndGet();
                    String id = UUID.randomUUID().toString();
                    Instant at = MAY_FIRST.plus(47L * i, ChronoUnit.MINUTES).plus(i, ChronoUnit.MICROS);
                    ExpectedCosts.Fact cost = costOf(i, at);
                    insert.setString(1, id);
                    insert.setString(2, ACME);
                    insert.setString(3, i % 3 == 0 ? null : UUID.nameUUIDFromBytes(("customer-" + i % 5).getBytes()).toString());
                    insert.setString(4, i % 2 == 0 ? null : "acme-customer-" + i % 5);
                    insert.setString(5, i % 4 == 0 ? null : "call-" + i);
                    insert.setString(6, i % 10 == 0 ? "signup" : "llm.completion");
                    // 47 min and i µs apart: ~20 daily partitions, and microseconds that are never zero.
                    insert.setObject(7, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                    insert.setString(8, metadataOf(i, cost));
                    insert.setString(9, i % 7 == 0 ? "system" : "user");
                    // As billing-core records it at ingest: the event's own _cost, or the catalog's price, or nothing.
                    boolean recorded = cost.cents() != null;
                    insert.setBigDecimal(10, recorded ? cost.cents() : null);
                    insert.setString(11, recorded ? cost.currency() : null);
                    insert.setString(12, recorded ? cost.source() : null);
                    insert.setString(13, "catalog".equals(cost.source()) ? UUID.nameUUIDFromBytes(cost.model().getBytes()).toString() : null);
                    // As billing-core's ingest writes it (a W3C trace id); every 6th has none, as
                    // events written before its V22 migration or by its previous release.
                    insert.setString(14, i % 6 == 0 ? null : UUID.randomUUID().toString().replace("-", ""));
                    costs.add(id, cost);
                    insert.addBatch();
                    ids.add(id);
                }
                insert.executeBatch();
            }
            db.commit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /**
     * Event i's cost: every 10th is a signup (no _llm, no cost); of the LLM calls, a third carry
     * their own _cost, a third were priced from the catalog, a third used a model nobody prices.
     * Cents have up to 12 decimals, so some lose their last two digits in dollars (half-even).
     */
    static ExpectedCosts.Fact costOf(int i, Instant at) {
        if (i % 10 == 0) {
            return new ExpectedCosts.Fact(ACME, null, null, at, 0, 0, null, null, "none");
        }
        String[][] models = {{"openai", "gpt-4o"}, {"anthropic", "claude-sonnet-4-5"}, {"openai", "gpt-4o-mini"}};
        String[] model = models[i % 3];
        long in = 100L * i;
        long out = 7L * i;
        // i × 0.0137 cents, plus i mod 9 trillionths of a cent.
        BigDecimal cents = new BigDecimal("0.0137").multiply(BigDecimal.valueOf(i))
                .add(BigDecimal.valueOf(i % 9).movePointLeft(12));
        return switch (i % 3) {
            case 0 -> new ExpectedCosts.Fact(ACME, model[0], model[1], at, in, out, cents, "usd", "event");
            case 1 -> new ExpectedCosts.Fact(ACME, model[0], model[1], at, in, out, cents, "usd", "catalog");
            default -> new ExpectedCosts.Fact(ACME, model[0], "unpriced-" + model[1], at, in, out, null, null, "none");
        };
    }

    static String metadataOf(int i, ExpectedCosts.Fact cost) {
        String note = "\"note\": \"ünïcødé ✓\"";
        if (cost.vendor() == null) {
            return "{" + note + "}";
        }
        String llm = """
                "_llm": {"vendor": "%s", "model": "%s", "input_tokens": %d, "output_tokens": %d}"""
                .formatted(cost.vendor(), cost.model(), cost.inputTokens(), cost.outputTokens());
        String own = "event".equals(cost.source())
                ? ", \"_cost\": {\"amount\": \"" + cost.cents().toPlainString() + "\", \"currency\": \"usd\"}"
                : "";
        return "{" + llm + own + ", " + note + "}";
    }

    static void insertTransactions(int transactions, int rowsEach, Duration pause) {
        for (int t = 0; t < transactions; t++) {
            insertTransaction(rowsEach);
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Map<String, Map<String, Object>> readPostgres() throws Exception {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("""
                     SELECT id::text, organization_id::text, customer_id::text, external_customer_id, external_id, name,
                            "timestamp", metadata::text, source, ingested_at, trace_id FROM events""")) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String c : List.of("id", "organization_id", "customer_id", "external_customer_id", "external_id",
                        "name", "metadata", "source", "trace_id")) {
                    row.put(c, rs.getString(c));
                }
                row.put("timestamp", rs.getObject("timestamp", OffsetDateTime.class).toInstant());
                row.put("ingested_at", rs.getObject("ingested_at", OffsetDateTime.class).toInstant());
                rows.put(rs.getString("id"), row);
            }
        }
        return rows;
    }

    // ---- Kafka side ------------------------------------------------------------------------

    static String publishPoisonRecord() throws Exception {
        String key = "{\"id\":\"poison-" + UUID.randomUUID() + "\"}";
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("marginal.cdc.events", key, "{this is not json")).get();
        }
        return key;
    }

    static long cdcTopicRecords() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition events = new TopicPartition("marginal.cdc.events", 0);
            return consumer.endOffsets(List.of(events)).get(events) - consumer.beginningOffsets(List.of(events)).get(events);
        }
    }

    static void republishFirstChange() throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        ConsumerRecord<String, String> first;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition events = new TopicPartition("marginal.cdc.events", 0);
            consumer.assign(List.of(events));
            consumer.seekToBeginning(List.of(events));
            first = consumer.poll(Duration.ofSeconds(10)).iterator().next();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("marginal.cdc.events", first.key(), first.value())).get();
        }
    }

    static String deadLetterFor(String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition dlq = new TopicPartition("marginal.dlq.raw-events", 0);
            consumer.assign(List.of(dlq));
            consumer.seekToBeginning(List.of(dlq));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        return r.value();
                    }
                }
            }
        }
        return "";
    }

    // ---- Iceberg side ----------------------------------------------------------------------

    static Table table() {
        return table(RawEventsTable.IDENTIFIER);
    }

    static Table table(TableIdentifier id) {
        Catalog catalog = RawEventsTable.catalogLoader(config).loadCatalog();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!catalog.tableExists(id)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(id + " was not created");
            }
            sleep(200);
        }
        return catalog.loadTable(id);
    }

    static long countRows(Table table) {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select(table.schema().columns().get(0).name()).build()) {
            long n = 0;
            for (Record ignored : rows) {
                n++;
            }
            return n;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, Record> readAll(Table table) throws Exception {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            List<Record> list = new ArrayList<>();
            rows.forEach(r -> list.add(r.copy()));
            return list.stream().collect(Collectors.toMap(r -> (String) r.getField("id"), Function.identity(), (a, b) -> a));
        }
    }

    static void awaitRowCount(Table table, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            n = countRows(table);
            if (n >= expected) {
                return;
            }
            sampleRss();
            sleep(500);
        }
        throw new AssertionError("Iceberg has " + n + " rows after " + timeout + ", expected " + expected);
    }

    /** Insert one row at a time and time until Iceberg shows it: the end-to-end freshness. */
    static void measureLatency(Table table, int samples) {
        List<Long> millis = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            String id = insertTransaction(1).get(0);
            long t0 = System.nanoTime();
            while (true) {
                table.refresh();
                try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(Expressions.equal("id", id)).select("id").build()) {
                    if (rows.iterator().hasNext()) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (System.nanoTime() - t0 > Duration.ofSeconds(30).toNanos()) {
                    throw new AssertionError("row " + id + " not visible after 30 s");
                }
                sleep(100);
            }
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("insert → visible in Iceberg (ms): %s; median %d, max %d%n", millis,
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        // Printed, not asserted: speed is measured by bench/ (docs/BENCHMARKS.md), tests assert behaviour.
    }

    static void sampleRss() {
        if (cdc != null) {
            cdc.sampleRss();
        }
        if (rawEvents != null) {
            rawEvents.sampleRss();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
