package dev.marginal.pipelines;

import dev.marginal.pipelines.cdc.CdcTables;
import dev.marginal.pipelines.cdc.ConnectorProperties;
import dev.marginal.pipelines.dlq.DeadLetterReplay;
import dev.marginal.pipelines.flink.CheckpointRecovery;
import dev.marginal.pipelines.flink.RawEventsJob;
import dev.marginal.pipelines.flink.billing.BillingPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;

/**
 * {@code reset}: forgets where the pipelines are, so that they start again from a new snapshot of
 * billing-core — the replication slot (without it and without offsets Debezium snapshots every
 * captured table), the CDC runner's offsets and the job's checkpoints (their directories), the CDC
 * topics and the dead letters, and the job's and the DLQ replay's consumer groups. Run with the CDC
 * runner and the job stopped; {@code bin/marginal rebuild} does, then drops the warehouse's tables.
 */
public final class Reset {

    static final Set<String> CONSUMER_GROUPS = Set.of(RawEventsJob.CONSUMER_GROUP, BillingPipeline.CONSUMER_GROUP,
            DeadLetterReplay.GROUP);

    private Reset() {
    }

    public static int run(PipelinesConfig config) throws Exception {
        dropReplicationSlot(config);
        for (Path dir : List.of(config.cdcDir(), config.flinkDir())) {
            if (Files.exists(dir)) {
                CheckpointRecovery.deleteRecursively(dir);
            }
        }
        List<String> topics = new ArrayList<>(CdcTables.topics());
        topics.add(RawEventsJob.DLQ_TOPIC);
        try (Admin admin = admin(config.kafkaBootstrap())) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> deleted = topics.stream().filter(existing::contains).sorted().toList();
            if (!deleted.isEmpty()) {
                admin.deleteTopics(deleted).all().get();
                Instant deadline = Instant.now().plusSeconds(60);
                while (admin.listTopics().names().get().stream().anyMatch(deleted::contains)) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka did not delete the topics " + deleted + " within 60 s");
                    }
                    Thread.sleep(500);
                }
            }
            List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
                    .filter(CONSUMER_GROUPS::contains).toList();
            if (!groups.isEmpty()) {
                admin.deleteConsumerGroups(groups).all().get();
            }
            System.out.printf("reset: deleted %d topics (%s) and consumer groups %s; removed %s and %s%n", deleted.size(),
                    String.join(", ", deleted), groups, config.cdcDir(), config.flinkDir());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka: " + e.getCause().getMessage(), e.getCause());
        }
        return 0;
    }

    /** The slot holds the stream's position; it stays active for a moment after the CDC runner stopped. */
    private static void dropReplicationSlot(PipelinesConfig config) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try (Connection db = DriverManager.getConnection(config.dbUrl(), config.dbUser(), config.dbPassword());
                 PreparedStatement drop = db.prepareStatement(
                         "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                drop.setString(1, ConnectorProperties.SLOT);
                try (ResultSet rows = drop.executeQuery()) {
                    while (rows.next()) {
                        System.out.println("reset: dropped replication slot " + ConnectorProperties.SLOT);
                    }
                }
                return;
            } catch (SQLException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not drop replication slot " + ConnectorProperties.SLOT + ": "
                            + e.getMessage(), e);
                }
                Thread.sleep(1_000);
            }
        }
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return Admin.create(props);
    }
}
