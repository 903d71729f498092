package dev.marginal.stack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@code bin/marginal rebuild}: the warehouse again from PostgreSQL, the source of truth. Everything
 * the pipelines derived goes — their Iceberg tables (every table of schemas {@code raw} and
 * {@code analytics}), the CDC topics and dead letters, the replication slot and the CDC offsets,
 * the Flink job's checkpoints and consumer groups — and the stack starts again: the CDC runner
 * snapshots every captured table, the job writes the tables anew, the day close closes the past
 * days again. What is not derived from PostgreSQL stays: {@code access.analysts} (the analysts'
 * grants), {@code reports.*} and {@code simulations.*} (written by their own commands), billing-core.
 */
final class Rebuild {

    static final String SLOT = "marginal_cdc";
    static final List<String> DERIVED_SCHEMAS = List.of("raw", "analytics");
    static final Set<String> CONSUMER_GROUPS = Set.of("marginal-raw-events", "marginal-billing-changes", "marginal-dlq-replay");

    private Rebuild() {}

    static int run(StackConfig config) {
        Stack stack = new Stack(config);
        for (Service infrastructure : List.of(stack.postgres(), stack.kafka(), stack.trino())) {
            if (!infrastructure.health().up()) {
                throw new StackException(infrastructure.name() + " is not running: start the stack (bin/marginal up) before a rebuild");
            }
        }
        Instant started = Instant.now();
        Progress.say("rebuild: stopping the pipelines (cdc, flink, day-close, maintenance)…");
        for (Service pipeline : List.of(JavaService.cdc(config), JavaService.rawEvents(config), JavaService.dayClose(config),
                JavaService.maintenance(config, ""))) {
            pipeline.stop();
        }
        dropReplicationSlot(config);
        Directories.deleteTree(config.home().resolve("cdc"));
        Directories.deleteTree(config.home().resolve("flink"));
        List<String> topics = deleteTopicsAndGroups(stack.kafka());
        List<String> tables = dropDerivedTables(stack.trino());
        Progress.say("rebuild: dropped " + tables.size() + " tables (" + String.join(", ", tables) + ") and "
                + topics.size() + " topics; starting again…");
        stack.up();
        System.out.printf("rebuild started in %d s: the CDC runner is taking a new snapshot of billing-core and the job is"
                + " writing the warehouse again. Run bin/marginal reconcile once `bin/marginal status` shows the"
                + " pipelines caught up.%n", Duration.between(started, Instant.now()).toSeconds());
        return 0;
    }

    /** The slot holds the stream's position: without it Debezium, with no offsets either, starts with a snapshot. */
    private static void dropReplicationSlot(StackConfig config) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try (Connection db = PostgresBootstrap.connect(config.postgresPort(), StackConfig.BILLING_DB, StackConfig.DB_USER);
                 Statement sql = db.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                         + " WHERE slot_name = '" + SLOT + "'")) {
                while (rows.next()) {
                    Progress.say("rebuild: dropped replication slot " + SLOT);
                }
                return;
            } catch (SQLException e) {
                // Still active for a moment after the CDC runner stopped.
                if (Instant.now().isAfter(deadline)) {
                    throw new StackException("could not drop replication slot " + SLOT + ": " + e.getMessage(), e);
                }
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private static List<String> deleteTopicsAndGroups(KafkaBroker kafka) {
        try (Admin admin = kafka.admin()) {
            List<String> topics = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith("marginal.cdc.") || t.startsWith("marginal.dlq."))
                    .sorted().toList();
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get();
                Instant deadline = Instant.now().plusSeconds(60);
                while (admin.listTopics().names().get().stream().anyMatch(topics::contains)) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new StackException("Kafka did not delete the topics " + topics + " within 60 s");
                    }
                    sleep(Duration.ofMillis(500));
                }
            }
            List<String> groups = admin.listConsumerGroups().all().get().stream()
                    .map(g -> g.groupId()).filter(CONSUMER_GROUPS::contains).toList();
            if (!groups.isEmpty()) {
                try {
                    admin.deleteConsumerGroups(groups).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
            }
            return topics;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of();
            }
            throw new StackException("Kafka: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    /** Every table (not view) of the derived schemas, dropped with its files; `up` declares them again. */
    private static List<String> dropDerivedTables(TrinoServer trino) {
        List<String> tables = new ArrayList<>();
        try (Connection platform = trino.connect(); Statement sql = platform.createStatement()) {
            try (ResultSet rows = sql.executeQuery("SELECT table_schema || '.' || table_name FROM marginal.information_schema.tables"
                    + " WHERE table_type = 'BASE TABLE' AND table_schema IN ('" + String.join("', '", DERIVED_SCHEMAS)
                    + "') ORDER BY 1")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                sql.execute("DROP TABLE marginal." + table);
            }
            return tables;
        } catch (SQLException e) {
            throw new StackException("dropping the warehouse's derived tables failed: " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
