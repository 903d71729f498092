package dev.marginal.pipelines.cdc;

import dev.marginal.pipelines.health.CdcLag;
import dev.marginal.pipelines.health.Metrics;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends each Debezium batch to Kafka and acknowledges it to Debezium only once Kafka has acked
 * every record of it. A crash between the two redelivers the batch (downstream de-duplicates);
 * nothing is ever acknowledged that Kafka does not hold.
 */
public final class KafkaChangeConsumer implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private final Producer<String, String> producer;
    private final Metrics.Counter sent;
    private final Metrics.Counter skipped;
    private final AtomicLong lastSentMillis = new AtomicLong();
    private final CdcLag lag;

    public KafkaChangeConsumer(Producer<String, String> producer, Metrics metrics) {
        this.producer = producer;
        this.sent = metrics.counter("marginal_cdc_records_total", "Changes sent to Kafka and acknowledged to Debezium");
        this.lag = CdcLag.register(metrics);
        this.skipped = metrics.counter("marginal_cdc_skipped_total", "Heartbeats and tombstones acknowledged without sending");
        metrics.counter("marginal_cdc_dlq_records_total",
                "Always 0: the CDC runner never diverts a change; one it cannot deliver stops it");
        metrics.gauge("marginal_cdc_seconds_since_last_record", "Seconds since a change was last sent",
                () -> lastSentMillis.get() == 0 ? Double.NaN : (System.currentTimeMillis() - lastSentMillis.get()) / 1000.0);
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        long skippedHere = 0;
        String newest = null;
        for (ChangeEvent<String, String> record : records) {
            Optional<String> topic = CdcTables.topicForDestination(record.destination());
            if (topic.isEmpty() || record.value() == null) {
                skippedHere++;
                continue;
            }
            acks.add(producer.send(new ProducerRecord<>(topic.get(), record.key(), record.value())));
            newest = record.value();
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                // Failing the batch stops the engine before any offset moves past it.
                throw new IllegalStateException("Kafka did not acknowledge a change; stopping before its offset is committed",
                        e.getCause());
            }
        }
        for (ChangeEvent<String, String> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        sent.add(acks.size());
        skipped.add(skippedHere);
        if (!acks.isEmpty()) {
            lastSentMillis.set(System.currentTimeMillis());
            lag.delivered(newest); // a batch is in WAL order: its last change committed last
        }
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return false;
    }
}
