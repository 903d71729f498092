package dev.marginal.pipelines.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marginal.pipelines.health.Metrics;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaChangeConsumerTest {

    record Change(String key, String value, String destination) implements ChangeEvent<String, String> {
        @Override
        public Integer partition() {
            return null;
        }
    }

    /** Records what the consumer acknowledged to Debezium, and when. */
    static final class Acks implements DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> {
        final List<String> log = new ArrayList<>();

        @Override
        public void markProcessed(ChangeEvent<String, String> record) {
            log.add("processed " + record.key());
        }

        @Override
        public void markBatchFinished() {
            log.add("batch finished");
        }

        @Override
        public void markProcessed(ChangeEvent<String, String> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            return null;
        }
    }

    static final Change INSERT_A = new Change("{\"id\":\"a\"}", "{\"op\":\"c\"}", "marginal.public.events");
    static final Change INSERT_B = new Change("{\"id\":\"b\"}", "{\"op\":\"c\"}", "marginal.public.events");
    static final Change HEARTBEAT = new Change("{\"serverName\":\"marginal\"}", "{\"ts_ms\":1}", "__debezium-heartbeat.marginal");

    @Test
    void changesGoToTheirTableTopicKeyedByPrimaryKeyAndHeartbeatsAreOnlyAcknowledged() throws Exception {
        MockProducer<String, String> kafka = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        Acks acks = new Acks();

        new KafkaChangeConsumer(kafka, new Metrics()).handleBatch(List.of(INSERT_A, HEARTBEAT, INSERT_B), acks);

        assertThat(kafka.history()).extracting(ProducerRecord::topic, ProducerRecord::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("marginal.cdc.events", "{\"id\":\"a\"}"),
                        org.assertj.core.groups.Tuple.tuple("marginal.cdc.events", "{\"id\":\"b\"}"));
        // The heartbeat is acknowledged too: its offset is what lets the slot advance.
        assertThat(acks.log).containsExactly("processed {\"id\":\"a\"}", "processed {\"serverName\":\"marginal\"}",
                "processed {\"id\":\"b\"}", "batch finished");
    }

    @Test
    void nothingIsAcknowledgedToDebeziumUnlessKafkaAckedTheWholeBatch() {
        MockProducer<String, String> kafka = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer()) {
            @Override
            public synchronized void flush() {
                completeNext();
                errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("broker down"));
            }
        };
        Acks acks = new Acks();

        assertThatThrownBy(() -> new KafkaChangeConsumer(kafka, new Metrics()).handleBatch(List.of(INSERT_A, INSERT_B), acks))
                .hasMessageContaining("Kafka did not acknowledge");
        assertThat(acks.log).isEmpty();
    }

    @Test
    void theCountOnMetricsIsOfChangesSentNotHeartbeats() throws Exception {
        MockProducer<String, String> kafka = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        Metrics metrics = new Metrics();

        new KafkaChangeConsumer(kafka, metrics).handleBatch(List.of(INSERT_A, HEARTBEAT, INSERT_B), new Acks());

        assertThat(metrics.render())
                .contains("marginal_cdc_records_total 2\n")
                .contains("marginal_cdc_skipped_total 1\n")
                .contains("marginal_cdc_dlq_records_total 0\n");
    }
}
