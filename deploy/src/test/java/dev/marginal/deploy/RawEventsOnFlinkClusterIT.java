package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.RawEventsTable;
import dev.marginal.stack.Directories;
import dev.marginal.stack.JavaService;
import dev.marginal.stack.KafkaBroker;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipelines' job jar, unchanged, on a standalone Flink cluster instead of its own
 * mini-cluster: a JobManager and a TaskManager from Flink's own jars, the jar submitted with
 * {@code flink run} and the entry class and arguments deploy/k8s/flink-raw-events.yaml gives the
 * Kubernetes operator. PostgreSQL (billing-core's schema, from its Flyway files) → CDC runner →
 * Kafka → raw-events on the cluster → Iceberg {@code raw.events}. Mid-stream the TaskManager is
 * {@code kill -9}-ed and a new one started: the job must restart on it from its last checkpoint,
 * and every event must be in the table exactly once.
 */
class RawEventsOnFlinkClusterIT {

    static final int PG_PORT = 23432;
    static final int KAFKA_PORT = 23092;
    static final int KAFKA_CONTROLLER_PORT = 23093;
    static final int BILLING_PORT = 23080;
    static final int CDC_HEALTH = 23191;
    static final int JOB_CLIENT_HEALTH = 23192;
    static final StandaloneFlinkCluster.Ports FLINK_PORTS = new StandaloneFlinkCluster.Ports(
            23123, 23081, 23100, 23130, 23140, 23150, 23160);

    static final String ACME = "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    static final Instant JUNE_FIRST = Instant.parse("2024-06-01T00:00:00Z");
    static final Path MIGRATIONS = DeployFiles.root().resolve("billing-core/service/src/main/resources/db/migration");

    static Path home;
    static PostgresServer postgres;
    static KafkaBroker kafka;
    static StackConfig stack;
    static JavaService cdc;
    static StandaloneFlinkCluster cluster;
    static PipelinesConfig config;
    static Map<String, String> environment;
    static final AtomicInteger sequence = new AtomicInteger();

    @BeforeAll
    static void startPostgresAndKafka() throws Exception {
        home = Path.of(System.getProperty("marginal.deploy.it.home", "target/it-home")).toAbsolutePath();
        Directories.deleteTree(home);
        Files.createDirectories(home);
        postgres = PostgresServer.startForTests(home, PG_PORT);
        kafka = KafkaBroker.startForTests(home, KAFKA_PORT, KAFKA_CONTROLLER_PORT);
        applyBillingCoreMigrations();
        // The same settings the stack gives its services; the job's client reports health on the Flink port.
        stack = StackConfig.fromEnvironment().withHome(home).withPostgresPort(PG_PORT)
                .withKafkaPorts(KAFKA_PORT, KAFKA_CONTROLLER_PORT).withServicePorts(BILLING_PORT, CDC_HEALTH, JOB_CLIENT_HEALTH);
        environment = JavaService.environment(stack);
        config = PipelinesConfig.from(environment);
    }

    @AfterAll
    static void stopEverything() {
        if (cluster != null) {
            cluster.close();
        }
        if (cdc != null) {
            cdc.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theJobJarRunsOnAStandaloneClusterSurvivesLosingItsTaskManagerAndWritesEveryEventOnce() throws Exception {
        Path jar = JavaService.pipelinesJar(stack);
        assertThat(jar).as("the pipelines module's shaded jar").isRegularFile();
        List<String> snapshotted = insertEvents(30);

        cdc = JavaService.cdc(stack);
        cdc.start();

        cluster = StandaloneFlinkCluster.start(flinkLib(), home.resolve("flink-cluster"), FLINK_PORTS);
        FlinkRest rest = cluster.rest();
        JsonNode job = DeployFiles.yaml(KubernetesManifestsTest.K8S.resolve("flink-raw-events.yaml")).path("spec").path("job");
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        JvmProcess client = cluster.run(jar, job.path("entryClass").asText(), args, environment);

        String jobId = awaitRunningJob(rest, client);
        Await.until("every subtask running, on taskmanager-1", Duration.ofSeconds(120),
                () -> rest.taskManagersRunning(jobId).equals(Set.of("taskmanager-1")));
        Await.until("the jar's own /health, which asks the cluster for the job's status", Duration.ofSeconds(30),
                () -> healthy(JOB_CLIENT_HEALTH));

        Table table = awaitTable();
        awaitRows(table, snapshotted.size());

        // Stream while the TaskManager dies: rows read since the last checkpoint are read again
        // after the restore, and their uncommitted data files are never committed.
        Thread inserter = new Thread(() -> insertTransactions(40, 5, Duration.ofMillis(150)), "inserter");
        inserter.start();
        long committedBeforeKill = rest.completedCheckpoints(jobId);
        Await.until("a checkpoint with streamed rows committed", Duration.ofSeconds(60),
                () -> rest.completedCheckpoints(jobId) > committedBeforeKill && countRows(table) > snapshotted.size());
        cluster.taskManager("taskmanager-1").kill9();
        String replacement = cluster.startTaskManager();
        Await.until("the job running again, on " + replacement, Duration.ofSeconds(120), () ->
                rest.job(jobId).map(j -> j.state().equals("RUNNING")).orElse(false)
                        && rest.taskManagersRunning(jobId).equals(Set.of(replacement)));
        inserter.join();
        insertEvents(10);
        // Restored from a checkpoint taken after the stream began, not started over.
        Await.until("the job's restore showing in its checkpoint statistics", Duration.ofSeconds(30),
                () -> rest.restoredCheckpoint(jobId).isPresent());
        assertThat(rest.restoredCheckpoint(jobId).getAsLong()).as("checkpoint restored after losing taskmanager-1")
                .isGreaterThan(committedBeforeKill);

        Map<String, Map<String, Object>> source = readPostgres();
        awaitRows(table, source.size());
        // Two more checkpoints commit: a replayed row written twice would show up by then.
        long checkpoints = rest.completedCheckpoints(jobId);
        Await.until("two more checkpoints", Duration.ofSeconds(60), () -> rest.completedCheckpoints(jobId) >= checkpoints + 2);

        List<Record> rows = readRows(table);
        assertThat(rows).as("rows in raw.events, duplicates included").hasSize(source.size());
        Map<String, Record> byId = new HashMap<>();
        rows.forEach(r -> byId.put((String) r.getField("id"), r));
        assertThat(byId.keySet()).as("event ids in raw.events").isEqualTo(source.keySet());
        for (Map.Entry<String, Map<String, Object>> event : source.entrySet()) {
            Record row = byId.get(event.getKey());
            for (Map.Entry<String, Object> column : event.getValue().entrySet()) {
                assertThat(row.getField(column.getKey())).as("%s of %s", column.getKey(), event.getKey()).isEqualTo(column.getValue());
            }
            assertThat(row.getField("cdc_op")).as("cdc_op of %s", event.getKey())
                    .isEqualTo(snapshotted.contains(event.getKey()) ? "r" : "c");
        }
        assertThat(committingJobs(table)).as("the Flink job ids that committed to raw.events").containsExactly(jobId);

        rest.cancel(jobId);
        Await.until("job " + jobId + " canceled", Duration.ofSeconds(60),
                () -> rest.job(jobId).map(j -> j.state().equals("CANCELED")).orElse(false));
        client.awaitExit(Duration.ofSeconds(60));
        cluster.close();
        assertThat(cluster.processes()).as("cluster JVMs left running").noneMatch(JvmProcess::isAlive);
    }

    static Path flinkLib() {
        return Path.of(System.getProperty("marginal.flink.lib", "target/flink/lib")).toAbsolutePath();
    }

    /** The one job on the cluster, once RUNNING: submitted by the client, not run inside it. */
    static String awaitRunningJob(FlinkRest rest, JvmProcess client) {
        Await.until("job 'marginal raw-events' RUNNING on the cluster", Duration.ofSeconds(180), () -> {
            client.requireAlive();
            return rest.jobs().stream().anyMatch(j -> j.name().equals("marginal raw-events") && j.state().equals("RUNNING"));
        });
        List<FlinkRest.Job> jobs = rest.jobs();
        assertThat(jobs).as("jobs on the cluster").hasSize(1);
        return jobs.get(0).id();
    }

    // ---- PostgreSQL side -------------------------------------------------------------------

    /** billing-core's schema as Flyway would leave it: every V<n>__*.sql in version order. */
    static void applyBillingCoreMigrations() throws IOException, SQLException {
        List<Path> migrations;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
        assertThat(migrations).as("billing-core migrations in " + MIGRATIONS).isNotEmpty();
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement()) {
            for (Path migration : migrations) {
                sql.execute(Files.readString(migration));
            }
            sql.execute("INSERT INTO organizations (id, name, slug) VALUES ('" + ACME + "', 'Acme Robotics', 'acme-robotics')");
        }
    }

    static void insertTransactions(int transactions, int eventsEach, Duration pause) {
        for (int t = 0; t < transactions; t++) {
            insertEvents(eventsEach);
            Await.sleep(pause);
        }
    }

    /** One transaction of {@code n} usage events; returns their ids. */
    static List<String> insertEvents(int n) {
        List<String> ids = new ArrayList<>();
        try (Connection db = postgres.connect("marginal")) {
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("""
                    INSERT INTO events (id, organization_id, external_customer_id, external_id, name, "timestamp", metadata)
                    VALUES (?::uuid, ?::uuid, ?, ?, ?, ?, ?::jsonb)""")) {
                for (int k = 0; k < n; k++) {
                    int i = sequence.incrementAndGet();
                    String id = UUID.randomUUID().toString();
                    insert.setString(1, id);
                    insert.setString(2, ACME);
                    insert.setString(3, "acme-customer-" + i % 7);
                    insert.setString(4, i % 5 == 0 ? null : "call-" + i);
                    insert.setString(5, "llm.completion");
                    insert.setObject(6, java.time.OffsetDateTime.ofInstant(JUNE_FIRST.plus(13L * i, ChronoUnit.MINUTES), java.time.ZoneOffset.UTC));
                    insert.setString(7, "{\"_llm\": {\"vendor\": \"openai\", \"model\": \"gpt-4o\", \"input_tokens\": " + 10 * i
                            + ", \"output_tokens\": " + i + "}}");
                    insert.addBatch();
                    ids.add(id);
                }
                insert.executeBatch();
            }
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** Each event's columns that raw.events mirrors as text, by id. */
    static Map<String, Map<String, Object>> readPostgres() throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection db = postgres.connect("marginal"); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT id::text, organization_id::text, external_customer_id, external_id, name FROM events")) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String column : List.of("organization_id", "external_customer_id", "external_id", "name")) {
                    row.put(column, rs.getString(column));
                }
                rows.put(rs.getString("id"), row);
            }
        }
        return rows;
    }

    // ---- Iceberg side ----------------------------------------------------------------------

    static Table awaitTable() {
        Catalog catalog = RawEventsTable.catalogLoader(config).loadCatalog();
        Await.until(RawEventsTable.IDENTIFIER + " created by the job", Duration.ofSeconds(60),
                () -> catalog.tableExists(RawEventsTable.IDENTIFIER));
        return catalog.loadTable(RawEventsTable.IDENTIFIER);
    }

    static void awaitRows(Table table, long atLeast) {
        Await.until(atLeast + " rows in " + RawEventsTable.IDENTIFIER, Duration.ofSeconds(120), () -> countRows(table) >= atLeast);
    }

    static long countRows(Table table) {
        return readRows(table).size();
    }

    static List<Record> readRows(Table table) {
        table.refresh();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            List<Record> list = new ArrayList<>();
            rows.forEach(r -> list.add(r.copy()));
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code flink.job-id} of every snapshot: Iceberg's Flink committer writes it into each commit. */
    static List<String> committingJobs(Table table) {
        table.refresh();
        List<String> jobs = new ArrayList<>();
        for (Snapshot s : table.snapshots()) {
            String job = s.summary().get("flink.job-id");
            if (!jobs.contains(job)) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    static boolean healthy(int port) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
