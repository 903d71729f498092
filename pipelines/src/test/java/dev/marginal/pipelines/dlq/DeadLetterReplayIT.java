package dev.marginal.pipelines.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pipelines.KafkaTopics;
import dev.marginal.pipelines.flink.DeadLetter;
import dev.marginal.pipelines.flink.DeadLetterSerializer;
import dev.marginal.pipelines.flink.RawEventsJob;
import dev.marginal.stack.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dead letters written as the raw-events job writes them, on a real Kafka broker: a dry run sends
 * nothing; a replay puts each original key and value back on its own topic, once; a second replay
 * finds nothing new; a letter that is not one of ours is reported and skipped.
 */
class DeadLetterReplayIT {

    static final int KAFKA_PORT = 19096;
    static final int KAFKA_CONTROLLER_PORT = 19097;
    static final String EVENTS = "marginal.cdc.public.events";
    static final String ORDERS = "marginal.cdc.public.orders";

    static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        Path home = Path.of("target", "it-home-dlq").toAbsolutePath();
        kafka = KafkaBroker.startForTests(home, KAFKA_PORT, KAFKA_CONTROLLER_PORT);
        KafkaTopics.ensureTopics(kafka.bootstrapServers(), List.of(RawEventsJob.DLQ_TOPIC, EVENTS, ORDERS));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void lettersGoBackToTheirTopicsOnceAndOnlyAfterADryRun() {
        String bootstrap = kafka.bootstrapServers();
        letter(new DeadLetter(EVENTS, 0, 41, "{\"id\":\"e1\"}", "{\"after\":{\"id\":\"e1\",\"bad\":true}}", "unparseable timestamp"));
        letter(new DeadLetter(EVENTS, 0, 42, "{\"id\":\"e2\"}", "{\"after\":{\"id\":\"e2\"}}", "no organization_id"));
        letter(new DeadLetter(ORDERS, 0, 7, null, "{\"after\":{\"id\":\"o1\"}}", "unknown currency"));
        raw("not a dead letter");

        DeadLetterReplay.Outcome dryRun = DeadLetterReplay.replay(bootstrap, RawEventsJob.DLQ_TOPIC, true);

        assertThat(dryRun.replayed()).isEqualTo(Map.of(EVENTS, 2, ORDERS, 1));
        assertThat(dryRun.unreadable()).containsExactly(RawEventsJob.DLQ_TOPIC + "-0@3");
        assertThat(read(EVENTS)).isEmpty();

        DeadLetterReplay.Outcome replay = DeadLetterReplay.replay(bootstrap, RawEventsJob.DLQ_TOPIC, false);

        assertThat(replay).isEqualTo(dryRun);
        assertThat(read(EVENTS)).containsExactly(
                List.of("{\"id\":\"e1\"}", "{\"after\":{\"id\":\"e1\",\"bad\":true}}"),
                List.of("{\"id\":\"e2\"}", "{\"after\":{\"id\":\"e2\"}}"));
        assertThat(read(ORDERS)).containsExactly(java.util.Arrays.asList(null, "{\"after\":{\"id\":\"o1\"}}"));

        DeadLetterReplay.Outcome again = DeadLetterReplay.replay(bootstrap, RawEventsJob.DLQ_TOPIC, false);
        assertThat(again.replayed()).isEmpty();
        assertThat(again.unreadable()).isEmpty();

        letter(new DeadLetter(EVENTS, 0, 43, "{\"id\":\"e3\"}", "{\"after\":{\"id\":\"e3\"}}", "rejected after the replay"));
        assertThat(DeadLetterReplay.replay(bootstrap, RawEventsJob.DLQ_TOPIC, false).replayed()).isEqualTo(Map.of(EVENTS, 1));
        assertThat(read(EVENTS)).hasSize(3);
    }

    private static void letter(DeadLetter letter) {
        send(new DeadLetterSerializer(RawEventsJob.JOB, RawEventsJob.DLQ_TOPIC).serialize(letter, null, null));
    }

    private static void raw(String value) {
        send(new ProducerRecord<>(RawEventsJob.DLQ_TOPIC, null, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static void send(ProducerRecord<byte[], byte[]> record) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(record);
        }
    }

    /** Every record of a topic, as [key, value]. */
    private static List<List<String>> read(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<List<String>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    records.add(java.util.Arrays.asList(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        return records;
    }
}
