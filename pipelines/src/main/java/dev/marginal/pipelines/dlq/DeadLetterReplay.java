package dev.marginal.pipelines.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.flink.RawEventsJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code replay-dlq [--dry-run]}: sends each dead letter of {@code marginal.dlq.raw-events} back to
 * the topic it came from — its original key and value, verbatim — once the job has been fixed to
 * read it. The job de-duplicates events by id, so a letter replayed twice, or a change that also
 * reached the warehouse another way, is counted once.
 *
 * <p>Replays the letters present when it starts (a letter the job rejects again lands behind them
 * and waits for the next replay, so a replay never loops), under consumer group
 * {@value #GROUP}, whose committed offsets make the next replay start after the last one. A letter
 * that is not a dead letter of ours (no source topic or value) is listed and skipped; the exit code
 * is then 1. {@code --dry-run} lists what would be replayed and commits nothing.
 */
public final class DeadLetterReplay {

    public static final String GROUP = "marginal-dlq-replay";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one replay did: letters replayed per source topic, and the ones it could not read. */
    public record Outcome(Map<String, Integer> replayed, List<String> unreadable) {
    }

    private DeadLetterReplay() {
    }

    public static int run(PipelinesConfig config, List<String> args) {
        boolean dryRun = args.contains("--dry-run");
        Outcome outcome = replay(config.kafkaBootstrap(), RawEventsJob.DLQ_TOPIC, dryRun);
        outcome.replayed().forEach((topic, n) -> System.out.printf("%s %d dead letter(s) to %s%n",
                dryRun ? "would replay" : "replayed", n, topic));
        if (outcome.replayed().isEmpty()) {
            System.out.println("no dead letters to replay in " + RawEventsJob.DLQ_TOPIC);
        }
        outcome.unreadable().forEach(u -> System.out.println("skipped, not a dead letter: " + u));
        return outcome.unreadable().isEmpty() ? 0 : 1;
    }

    public static Outcome replay(String bootstrap, String dlqTopic, boolean dryRun) {
        Map<String, Integer> replayed = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            List<TopicPartition> partitions = consumer.partitionsFor(dlqTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                return new Outcome(replayed, unreadable);
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition p : partitions) {
                OffsetAndMetadata from = committed.get(p);
                if (from == null) {
                    consumer.seekToBeginning(List.of(p));
                } else {
                    consumer.seek(p, from.offset());
                }
            }
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofSeconds(1))) {
                    TopicPartition p = new TopicPartition(letter.topic(), letter.partition());
                    if (letter.offset() >= end.get(p)) {
                        continue; // rejected again during this replay: the next replay's
                    }
                    String where = letter.topic() + "-" + letter.partition() + "@" + letter.offset();
                    JsonNode body = parse(letter.value());
                    if (body == null || !body.path("topic").isTextual() || !body.path("value").isTextual()) {
                        unreadable.add(where);
                    } else {
                        String topic = body.get("topic").asText();
                        byte[] key = body.path("key").isTextual() ? body.get("key").asText().getBytes(StandardCharsets.UTF_8) : null;
                        if (!dryRun) {
                            producer.send(new ProducerRecord<>(topic, key, body.get("value").asText().getBytes(StandardCharsets.UTF_8)));
                        }
                        replayed.merge(topic, 1, Integer::sum);
                    }
                    done.put(p, new OffsetAndMetadata(letter.offset() + 1));
                }
            }
            if (!dryRun) {
                // Offsets only after every replayed record is acknowledged: a crash replays again, never skips.
                producer.flush();
                consumer.commitSync(done);
            }
        }
        return new Outcome(replayed, unreadable);
    }

    private static JsonNode parse(byte[] value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    private static Properties consumerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
