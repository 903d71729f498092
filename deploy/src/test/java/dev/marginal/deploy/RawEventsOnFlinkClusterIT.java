package dev.marginal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.RawEventsTable;
import dev.marginal.pipelines.it.S3MockServer;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipelines' job jar, unchanged, on a standalone Flink cluster instead of its own
 * mini-cluster, in both of Flink's ways of running it, with JobManagers and TaskManagers from
 * Flink's own jars. PostgreSQL (billing-core's schema, from its Flyway files) → CDC runner → Kafka
 * → raw-events on the cluster → Iceberg {@code raw.events}, every event exactly once.
 * <ol>
 *   <li>Session mode: the jar submitted with {@code flink run} and {@code Main raw-events}, the
 *       command docs/operations.md gives. Mid-stream the TaskManager is {@code kill -9}-ed and a new
 *       one started: the job must restart on it from its last checkpoint.
 *   <li>Application mode, as deploy/k8s/flink-raw-events.yaml asks the Kubernetes operator for: the
 *       jar uploaded to the manifest's {@code jarURI} on S3-compatible storage (S3Mock) and fetched
 *       from there by the JobManager through Flink's S3 file system plugin, the manifest's entry
 *       class and arguments run by the JobManager, the manifest's Flink configuration. Then the
 *       operator's savepoint upgrade: stop with a savepoint, start a new application cluster from
 *       it, and nothing is lost or doubled.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RawEventsOnFlinkClusterIT {

    static final int PG_PORT = 23432;
    static final int KAFKA_PORT = 23092;
    static final int KAFKA_CONTROLLER_PORT = 23093;
    static final int BILLING_PORT = 23080;
    static final int CDC_HEALTH = 23191;
    static final int JOB_CLIENT_HEALTH = 23192;
    static final StandaloneFlinkCluster.Ports FLINK_PORTS = new StandaloneFlinkCluster.Ports(
            23123, 23081, 23100, 23130, 23140, 23150, 23160);
    /** The two application clusters: before and after the savepoint upgrade. */
    static final StandaloneFlinkCluster.Ports APPLICATION_PORTS = new StandaloneFlinkCluster.Ports(
            23223, 23281, 23200, 23230, 23240, 23250, 23260);
    static final StandaloneFlinkCluster.Ports UPGRADED_PORTS = new StandaloneFlinkCluster.Ports(
            23323, 23381, 23300, 23330, 23340, 23350, 23360);
    static final int S3_HTTP = 23490;
    static final int S3_HTTPS = 23491;
    static final Path MANIFEST = KubernetesManifestsTest.K8S.resolve("flink-raw-events.yaml");

    static final String ACME = "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    static final Instant JUNE_FIRST = Instant.parse("2024-06-01T00:00:00Z");
    static final Path MIGRATIONS = DeployFiles.root().resolve("billing-core/service/src/main/resources/db/migration");

    static Path home;
    static PostgresServer postgres;
    static KafkaBroker kafka;
    static StackConfig stack;
    static JavaService cdc;
    static StandaloneFlinkCluster cluster;
    static StandaloneFlinkCluster applicationCluster;
    static S3MockServer s3;
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
        if (applicationCluster != null) {
            applicationCluster.close();
        }
        if (cdc != null) {
            cdc.stop();
        }
        if (s3 != null) {
            s3.close();
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
    void theJobJarRunsOnAStandaloneClusterSurvivesLosingItsTaskManagerAndWritesEveryEventOnce() throws Exception {
        Path jar = JavaService.pipelinesJar(stack);
        assertThat(jar).as("the pipelines module's shaded jar").isRegularFile();
        List<String> snapshotted = insertEvents(30);

        cdc = JavaService.cdc(stack);
        cdc.start();

        cluster = StandaloneFlinkCluster.start(flinkLib(), home.resolve("flink-cluster"), FLINK_PORTS);
        FlinkRest rest = cluster.rest();
        // flink run, as docs/operations.md gives it: the client runs main, which owns checkpoints and health.
        JvmProcess client = cluster.run(jar, "dev.marginal.pipelines.Main", List.of("raw-events"), environment);

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

        Map<String, Record> byId = assertEveryEventOnce(table, source);
        for (String id : source.keySet()) {
            assertThat(byId.get(id).getField("cdc_op")).as("cdc_op of %s", id).isEqualTo(snapshotted.contains(id) ? "r" : "c");
        }
        assertThat(committingJobs(table)).as("the Flink job ids that committed to raw.events").containsExactly(jobId);

        rest.cancel(jobId);
        Await.until("job " + jobId + " canceled", Duration.ofSeconds(60),
                () -> rest.job(jobId).map(j -> j.state().equals("CANCELED")).orElse(false));
        client.awaitExit(Duration.ofSeconds(60));
        cluster.close();
        assertThat(cluster.processes()).as("cluster JVMs left running").noneMatch(JvmProcess::isAlive);
    }

    @Test
    @Order(2)
    void theManifestsJobRunsInApplicationModeAndUpgradesThroughASavepointWritingEveryEventOnce() throws Exception {
        JsonNode spec = DeployFiles.yaml(MANIFEST).path("spec");
        JsonNode job = spec.path("job");
        Path jar = JavaService.pipelinesJar(stack);
        // The job jar where the manifest says it is: an object on S3-compatible storage, uploaded
        // as docs/operations.md says, and fetched from there by the JobManager.
        URI jarUri = URI.create(job.path("jarURI").asText());
        assertThat(jarUri.getScheme()).as("the manifest's jarURI: the job jar on S3").isEqualTo("s3");
        s3 = S3MockServer.start(Path.of(System.getProperty("marginal.s3mock.jar", "target/s3mock/s3mock.jar")).toAbsolutePath(),
                home, S3_HTTP, S3_HTTPS, jarUri.getHost());
        s3.put(jarUri.getHost(), jarUri.getPath().substring(1), jar);
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        StandaloneFlinkCluster.Application application =
                new StandaloneFlinkCluster.Application(jarUri.toString(), job.path("entryClass").asText(), args, Optional.empty());
        Path flinkState = home.resolve("flink-state");
        Map<String, String> configuration = applicationConfiguration(spec.path("flinkConfiguration"), flinkState);
        // The manifest's S3 settings, pointed at S3Mock; the credentials come from the environment,
        // as the manifest's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY give them.
        configuration.put("s3.endpoint", s3.endpoint());
        configuration.put("s3.path.style.access", spec.path("flinkConfiguration").path("s3.path.style.access").asText());
        Map<String, String> jobManagerEnvironment = new LinkedHashMap<>(environment);
        jobManagerEnvironment.put("AWS_ACCESS_KEY_ID", "marginal-it");
        jobManagerEnvironment.put("AWS_SECRET_ACCESS_KEY", "marginal-it");
        if (cdc == null) {
            cdc = JavaService.cdc(stack);
            cdc.start();
        }
        // The application job starts without the session job's state (an operator moves between the two
        // through a savepoint; these tests do not), so changes the session job had written but not yet
        // acknowledged to Kafka when it was cancelled (offsets are committed after each checkpoint,
        // asynchronously), or that the CDC runner re-sent, are read and written again: seen in CI, the
        // session job's last 10. From this test's own first event on, through the savepoint upgrade,
        // every event must be in raw.events exactly once.
        Set<String> own = new HashSet<>(insertEvents(20));

        applicationCluster = StandaloneFlinkCluster.startApplication(flinkLib(), flinkPlugins(), home.resolve("flink-application"),
                APPLICATION_PORTS, configuration, application, jobManagerEnvironment);
        FlinkRest rest = applicationCluster.rest();
        String jobId = awaitRunningJob(rest, applicationCluster.jobManager());
        Table table = awaitTable();
        awaitEvents(table, readPostgres().keySet());
        own.addAll(insertEvents(10));
        awaitEvents(table, readPostgres().keySet());

        // The operator's savepoint upgrade: stop with a savepoint, then a new cluster restores it.
        String trigger = rest.stopWithSavepoint(jobId, flinkState.resolve("upgrade-savepoints").toUri().toString());
        List<String> savepoint = new ArrayList<>();
        Await.until("the savepoint of " + jobId, Duration.ofSeconds(120),
                () -> rest.savepointLocation(jobId, trigger).map(savepoint::add).orElse(false));
        Await.until(jobId + " FINISHED", Duration.ofSeconds(60),
                () -> rest.job(jobId).map(j -> j.state().equals("FINISHED")).orElse(false));
        applicationCluster.close();
        own.addAll(insertEvents(10)); // while no job runs: the next one reads them from the savepoint's offsets

        applicationCluster = StandaloneFlinkCluster.startApplication(flinkLib(), flinkPlugins(), home.resolve("flink-application-upgraded"),
                UPGRADED_PORTS, configuration,
                new StandaloneFlinkCluster.Application(application.jarUri(), application.entryClass(), args, Optional.of(savepoint.get(0))),
                jobManagerEnvironment);
        FlinkRest upgraded = applicationCluster.rest();
        String upgradedId = awaitRunningJob(upgraded, applicationCluster.jobManager());
        Await.until(upgradedId + " restored from the savepoint", Duration.ofSeconds(60),
                () -> upgraded.restoredFromSavepoint(upgradedId));
        Map<String, Map<String, Object>> source = readPostgres();
        awaitEvents(table, source.keySet());
        long checkpoints = upgraded.completedCheckpoints(upgradedId);
        Await.until("two more checkpoints", Duration.ofSeconds(90), () -> upgraded.completedCheckpoints(upgradedId) >= checkpoints + 2);
        assertEveryEvent(table, source, own);

        upgraded.cancel(upgradedId);
        Await.until("job " + upgradedId + " canceled", Duration.ofSeconds(60),
                () -> upgraded.job(upgradedId).map(j -> j.state().equals("CANCELED")).orElse(false));
        applicationCluster.close();
        assertThat(applicationCluster.processes()).as("cluster JVMs left running").noneMatch(JvmProcess::isAlive);
    }

    /**
     * The manifest's {@code flinkConfiguration} as this machine can run it: what needs Kubernetes
     * or S3 goes (Kubernetes HA, S3 credentials, the Prometheus reporter plugin, the operator's own
     * keys), the {@code s3://marginal-flink/} directories become local ones, and the heap state
     * backend stands in for RocksDB, which flink-dist bundles but lib/ here is not assembled with.
     * Every other key (checkpoint interval, mode, retention, restart strategy) is the manifest's.
     * As the operator does, the JobManager stays up once the job ended, so its savepoint can be read.
     */
    static Map<String, String> applicationConfiguration(JsonNode manifestConfiguration, Path stateDir) {
        Map<String, String> c = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = manifestConfiguration.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            c.put(e.getKey(), e.getValue().asText());
        }
        assertThat(c).containsKeys("execution.checkpointing.interval", "execution.checkpointing.dir");
        c.keySet().removeIf(k -> k.startsWith("high-availability") || k.startsWith("s3.") || k.startsWith("metrics.reporter.")
                || k.startsWith("kubernetes.") || k.startsWith("state.backend."));
        String bucket = "s3://marginal-flink/";
        c.replaceAll((k, v) -> v.startsWith(bucket) ? stateDir.resolve(v.substring(bucket.length())).toUri().toString() : v);
        c.put("state.backend.type", "hashmap");
        c.put("execution.shutdown-on-application-finish", "false");
        return c;
    }

    /** raw.events holds each PostgreSQL event once, every mirrored column equal; returns its rows by id. */
    static Map<String, Record> assertEveryEventOnce(Table table, Map<String, Map<String, Object>> source) {
        return assertEveryEvent(table, source, source.keySet());
    }

    /**
     * Every event of {@code source} in raw.events with its columns; those in {@code exactlyOnce} once
     * each, the others at least once.
     */
    static Map<String, Record> assertEveryEvent(Table table, Map<String, Map<String, Object>> source, Set<String> exactlyOnce) {
        List<Record> rows = readRows(table);
        Map<String, Long> copies = rows.stream().collect(Collectors.groupingBy(r -> (String) r.getField("id"), Collectors.counting()));
        assertThat(exactlyOnce.stream().filter(id -> copies.getOrDefault(id, 0L) != 1).toList())
                .as("events not in raw.events exactly once, of %d that must be", exactlyOnce.size()).isEmpty();
        Map<String, Record> byId = new HashMap<>();
        rows.forEach(r -> byId.put((String) r.getField("id"), r));
        assertThat(byId.keySet()).as("event ids in raw.events").isEqualTo(source.keySet());
        for (Map.Entry<String, Map<String, Object>> event : source.entrySet()) {
            Record row = byId.get(event.getKey());
            for (Map.Entry<String, Object> column : event.getValue().entrySet()) {
                assertThat(row.getField(column.getKey())).as("%s of %s", column.getKey(), event.getKey()).isEqualTo(column.getValue());
            }
        }
        return byId;
    }

    /** Until every one of these events is in raw.events (copies of others do not count). */
    static void awaitEvents(Table table, Set<String> ids) {
        Await.until(ids.size() + " events in " + RawEventsTable.IDENTIFIER, Duration.ofSeconds(120),
                () -> readRows(table).stream().map(r -> (String) r.getField("id")).collect(Collectors.toSet()).containsAll(ids));
    }

    static Path flinkLib() {
        return Path.of(System.getProperty("marginal.flink.lib", "target/flink/lib")).toAbsolutePath();
    }

    static Path flinkPlugins() {
        return Path.of(System.getProperty("marginal.flink.plugins", "target/flink/plugins")).toAbsolutePath();
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
                    INSERT INTO events (id, organization_id, external_customer_id, external_id, name, "timestamp", metadata, trace_id)
                    VALUES (?::uuid, ?::uuid, ?, ?, ?, ?, ?::jsonb, ?)""")) {
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
                    // billing-core's ingest request trace id; none on every 4th, as before its V22 migration.
                    insert.setString(8, i % 4 == 0 ? null : UUID.randomUUID().toString().replace("-", ""));
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
             ResultSet rs = sql.executeQuery(
                     "SELECT id::text, organization_id::text, external_customer_id, external_id, name, trace_id FROM events")) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (String column : List.of("organization_id", "external_customer_id", "external_id", "name", "trace_id")) {
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
