package dev.marginal.pipelines.health;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What waits in Kafka, read with the AdminClient at each scrape: the consumer lag of the Flink
 * job's group and the records held by a dead-letter topic.
 *
 * <p>Flink's Kafka source commits the group's offsets when a checkpoint completes (they are not
 * what Flink restores from, its checkpoint is), so the lag shown here is what is neither read nor
 * checkpointed yet: it includes up to one checkpoint interval of records already in flight.
 */
public final class KafkaBacklog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBacklog.class);
    private static final long TIMEOUT_SECONDS = 3;

    private final Admin admin;

    private KafkaBacklog(Admin admin) {
        this.admin = admin;
    }

    public static KafkaBacklog connect(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "marginal-metrics");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return new KafkaBacklog(Admin.create(p));
    }

    /**
     * Registers {@code marginal_raw_events_kafka_consumer_lag_records} (group {@code group} on
     * {@code topics}) and {@code marginal_raw_events_dlq_topic_records} (records in {@code dlqTopic}).
     */
    public static KafkaBacklog register(Metrics metrics, String bootstrap, String group, List<String> topics, String dlqTopic) {
        KafkaBacklog backlog = connect(bootstrap);
        metrics.gauge("marginal_raw_events_kafka_consumer_lag_records",
                "Records in the job's topics beyond the offsets group " + group + " committed at its last checkpoint",
                () -> backlog.consumerLag(group, topics));
        metrics.gauge("marginal_raw_events_dlq_topic_records",
                "Records held by " + dlqTopic + " (end minus earliest retained offset), surviving restarts",
                () -> backlog.recordsIn(dlqTopic));
        return backlog;
    }

    /** Sum over the topics' partitions of (end offset − committed offset); NaN if Kafka cannot be asked. */
    public double consumerLag(String group, List<String> topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<TopicPartition> partitions = partitionsOf(topics);
            Map<TopicPartition, Long> committedOffsets = new HashMap<>();
            committed.forEach((tp, om) -> {
                if (om != null) {
                    committedOffsets.put(tp, om.offset());
                }
            });
            return lag(offsets(partitions, OffsetSpec.latest()), offsets(partitions, OffsetSpec.earliest()), committedOffsets);
        } catch (Exception e) {
            LOG.debug("Could not read consumer lag of {}", group, e);
            return Double.NaN;
        }
    }

    /** Records a topic retains now: Σ (end − earliest). A dead letter is never consumed, so this is the DLQ's depth. */
    public double recordsIn(String topic) {
        try {
            List<TopicPartition> partitions = partitionsOf(List.of(topic));
            return retained(offsets(partitions, OffsetSpec.latest()), offsets(partitions, OffsetSpec.earliest()));
        } catch (Exception e) {
            LOG.debug("Could not read the offsets of {}", topic, e);
            return Double.NaN;
        }
    }

    /**
     * A partition the group has never committed counts from its earliest offset: the job starts
     * there ({@code committedOffsets(EARLIEST)}), so all of it is still to read.
     */
    static long lag(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> committed) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            long from = committed.getOrDefault(end.getKey(), earliest.getOrDefault(end.getKey(), 0L));
            lag += Math.max(0, end.getValue() - from);
        }
        return lag;
    }

    static long retained(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> earliest) {
        return lag(ends, earliest, Map.of());
    }

    private List<TopicPartition> partitionsOf(List<String> topics) throws Exception {
        return admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = admin
                .listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)))
                .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        info.forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }

    @Override
    public void close() {
        admin.close();
    }
}
