package dev.marginal.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node Kafka 4 broker in KRaft mode, in its own JVM, with data under
 * {@code $MARGINAL_HOME/kafka}. The jars come from {@code stack/target/kafka-libs}, which the stack
 * module's build fills from Maven Central.
 */
public final class KafkaBroker implements Service, AutoCloseable {

    static final String NAME = "kafka";

    private final StackConfig config;
    private final Daemon daemon;
    private final boolean discardDataOnClose;

    public KafkaBroker(StackConfig config) {
        this(config, false);
    }

    private KafkaBroker(StackConfig config, boolean discardDataOnClose) {
        this.config = config;
        this.daemon = Daemon.of(config, NAME);
        this.discardDataOnClose = discardDataOnClose;
    }

    /** A started broker for a test; closing it stops the broker and deletes its data. */
    public static KafkaBroker startForTests(Path home, int port, int controllerPort) {
        KafkaBroker broker = new KafkaBroker(StackConfig.fromEnvironment().withHome(home).withKafkaPorts(port, controllerPort), true);
        broker.start();
        return broker;
    }

    @Override
    public String name() {
        return NAME;
    }

    public String bootstrapServers() {
        return config.kafkaBootstrap();
    }

    Path kafkaDir() {
        return config.home().resolve("kafka");
    }

    Path libs() {
        return config.root().resolve("stack/target/kafka-libs");
    }

    @Override
    public synchronized void start() {
        if (daemon.isRunning()) {
            // Running but slow to answer (a loaded machine, a broker still recovering its logs):
            // wait for it. Starting another would only find its ports taken.
            Readiness.await(daemon, Duration.ofSeconds(90), this::answers);
            return;
        }
        if (!Files.isDirectory(libs())) {
            throw new StackException("Kafka jars not found in " + libs() + "; build the stack module first"
                    + " (./mvnw -pl stack -DskipTests package)");
        }
        Readiness.requireFree(config.kafkaPort(), "MARGINAL_KAFKA_PORT", "Kafka");
        Readiness.requireFree(config.kafkaControllerPort(), "MARGINAL_KAFKA_CONTROLLER_PORT", "Kafka's controller");
        Path serverProperties = writeConfig();
        Path data = kafkaDir().resolve("data");
        if (!Files.exists(data.resolve("meta.properties"))) {
            Progress.say("formatting Kafka storage in " + data + "…");
            Commands.runOrFail(javaCommand("kafka.tools.StorageTool", "-Xmx256m",
                    List.of("format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString())), kafkaDir(), 120);
        }
        Progress.say("starting Kafka on " + config.kafkaBootstrap() + "…");
        daemon.launch(javaCommand("kafka.Kafka", "-Xmx512m", List.of(serverProperties.toString())), Map.of(), kafkaDir());
        Readiness.await(daemon, Duration.ofSeconds(90), this::answers);
    }

    private Path writeConfig() {
        try {
            Files.createDirectories(kafkaDir().resolve("data"));
            Path serverProperties = kafkaDir().resolve("server.properties");
            Files.writeString(serverProperties, new KafkaConfig(config.kafkaPort(), config.kafkaControllerPort(),
                    kafkaDir().resolve("data")).render());
            try (InputStream log4j = KafkaBroker.class.getResourceAsStream("/kafka/log4j2.properties")) {
                Files.write(kafkaDir().resolve("log4j2.properties"), log4j.readAllBytes());
            }
            return serverProperties;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Kafka's configuration in " + kafkaDir(), e);
        }
    }

    private List<String> javaCommand(String mainClass, String heap, List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                JavaRuntime.current().toString(), heap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + kafkaDir().resolve("log4j2.properties"),
                "-Dmarginal.home=" + config.home(),
                "-cp", libs() + "/*", mainClass));
        command.addAll(args);
        return command;
    }

    private boolean answers() throws ExecutionException, InterruptedException, TimeoutException {
        try (Admin admin = admin()) {
            // A cold admin client on a loaded machine (a fresh `status` process) can take several
            // seconds to bootstrap; a broker that takes longer than this is not answering.
            return !admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).isEmpty();
        }
    }

    /** An admin client for this broker; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        return Admin.create(props);
    }

    /** Creates the topics that do not exist yet (one partition, one replica). */
    public void createTopics(Collection<String> topics) {
        try (Admin admin = admin()) {
            List<NewTopic> wanted = topics.stream().map(name -> new NewTopic(name, 1, (short) 1)).toList();
            admin.createTopics(wanted).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException("could not create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw new StackException("could not create topic " + name + ": " + e, e);
                }
            });
        }
    }

    public void createTopics(String... topics) {
        createTopics(List.of(topics));
    }

    @Override
    public synchronized void stop() {
        // A single-node controlled shutdown takes a few seconds; give it time to close its logs cleanly.
        daemon.stop(Duration.ofSeconds(30));
    }

    @Override
    public Health health() {
        if (!daemon.isRunning()) {
            return Health.down(NAME, "not running");
        }
        try {
            return answers() ? Health.up(NAME, config.kafkaBootstrap()) : Health.down(NAME, "no brokers");
        } catch (Exception e) {
            return Health.down(NAME, "running but not answering: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    @Override
    public void close() {
        stop();
        if (discardDataOnClose) {
            Directories.deleteTree(kafkaDir());
        }
    }
}
