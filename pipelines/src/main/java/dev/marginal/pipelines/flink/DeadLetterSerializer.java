package dev.marginal.pipelines.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code marginal.dlq.<job>} record: key = the original key; value = JSON with the reason, where
 * the record came from, and the original value verbatim (so it can be replayed once fixed).
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String job;
    private final String topic;

    public DeadLetterSerializer(String job, String topic) {
        this.job = job;
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp,
                letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8),
                toJson(job, letter).getBytes(StandardCharsets.UTF_8));
    }

    static String toJson(String job, DeadLetter letter) {
        ObjectNode node = JSON.createObjectNode()
                .put("job", job)
                .put("reason", letter.reason())
                .put("topic", letter.topic())
                .put("partition", letter.partition())
                .put("offset", letter.offset())
                .put("key", letter.key())
                .put("value", letter.value())
                .put("rejected_at", Instant.now().toString());
        return node.toString();
    }
}
