package dev.marginal.pipelines.cdc;

import dev.marginal.pipelines.KafkaTopics;
import dev.marginal.pipelines.PipelinesConfig;
import dev.marginal.pipelines.health.HealthServer;
import dev.marginal.pipelines.health.Metrics;
import dev.marginal.pipelines.health.ReplicationSlotProbe;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar marginal-pipelines.jar cdc}: PostgreSQL's WAL → Debezium embedded → Kafka
 * topics {@code marginal.cdc.<table>}. Runs until killed; exits non-zero if the engine fails, so
 * the supervisor restarts it and Debezium resumes from the last acknowledged offset.
 *
 * <p>Memory: a few hundred MB at most; the stack can start it with {@code -Xmx256m}.
 */
public final class CdcRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CdcRunner.class);

    private CdcRunner() {
    }

    public static int run(PipelinesConfig config) throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(config.cdcDir());
        KafkaTopics.ensureTopics(config.kafkaBootstrap(), CdcTables.topics());

        Metrics metrics = Metrics.global();
        ReplicationSlotProbe.register(metrics, config.dbUrl(), config.dbUser(), config.dbPassword(), ConnectorProperties.SLOT);
        AtomicBoolean running = new AtomicBoolean(false);
        AtomicBoolean stopping = new AtomicBoolean(false);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);

        KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(config));
        DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
                .using(ConnectorProperties.of(config))
                .notifying(new KafkaChangeConsumer(producer, metrics))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        running.set(true);
                        LOG.info("CDC streaming {} after {} ms", CdcTables.CAPTURED,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    }

                    @Override
                    public void taskStopped() {
                        running.set(false);
                    }
                })
                .using((success, message, error) -> {
                    running.set(false);
                    if (!success && !stopping.get()) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                        LOG.error("CDC engine stopped: {}", message, error);
                    }
                    finished.countDown();
                })
                .build();

        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-engine"));
        try (HealthServer health = HealthServer.start(config.cdcHealthPort(), running::get, metrics)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                try {
                    engine.close();
                    finished.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("CDC engine did not stop cleanly", e);
                }
                producer.close();
            }, "cdc-shutdown"));
            LOG.info("CDC runner health on :{}, offsets in {}", health.port(), config.cdcDir());
            executor.execute(engine);
            finished.await();
        } finally {
            executor.shutdown();
        }
        if (failure.get() != null) {
            producer.close();
            return 1;
        }
        return 0;
    }

    static Properties producerProperties(PipelinesConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "marginal-cdc");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }
}
