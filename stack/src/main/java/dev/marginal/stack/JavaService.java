package dev.marginal.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of our own jars run as a service: billing-core, the CDC runner, the Flink job runner, the
 * demo's usage generator. Configuration reaches them only as the environment variables of
 * docs/architecture.md, so the same jars run unchanged against a cluster.
 *
 * @param launch    what follows the JVM flags: {@code -jar <jar> args…} or {@code -cp <classpath> <main> args…}
 * @param jar       the jar that must exist before start, to say clearly which build is missing
 * @param healthUrl the URL that answers 200 once the service is ready, or empty when running is enough
 */
public record JavaService(
        StackConfig config,
        String name,
        Path jar,
        List<String> jvmFlags,
        List<String> launch,
        Map<String, String> environment,
        Optional<URI> healthUrl,
        Duration startTimeout) implements Service {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The JDK 17 module opens Flink needs (from Flink's env.java.default-opts.all); harmless for
     * the other services. Public for deploy's standalone Flink cluster, whose JVMs need the same.
     */
    public static final List<String> FLINK_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    public JavaService {
        jvmFlags = List.copyOf(jvmFlags);
        launch = List.copyOf(launch);
        environment = Map.copyOf(environment);
    }

    public static Path billingJar(StackConfig config) {
        return config.root().resolve("billing-core/service/target/marginal-billing-service.jar");
    }

    public static Path pipelinesJar(StackConfig config) {
        return config.root().resolve("pipelines/target/marginal-pipelines.jar");
    }

    /** billing-core: Spring Boot on PostgreSQL; ready when actuator health says 200. */
    public static JavaService billingCore(StackConfig config, String platformToken, String invoiceSigningSecret) {
        Map<String, String> env = new LinkedHashMap<>(environment(config));
        env.put("MARGINAL_PLATFORM_TOKEN", platformToken);
        env.put("MARGINAL_INVOICE_SIGNING_SECRET", invoiceSigningSecret);
        env.put("SERVER_PORT", Integer.toString(config.billingPort()));
        Path jar = billingJar(config);
        return new JavaService(config, "billing-core", jar, List.of("-Xmx512m"), List.of("-jar", jar.toString()), env,
                Optional.of(URI.create(config.billingUrl() + "/actuator/health")), Duration.ofSeconds(180));
    }

    /** The CDC runner: Debezium embedded → Kafka. */
    public static JavaService cdc(StackConfig config) {
        Path jar = pipelinesJar(config);
        return new JavaService(config, "cdc", jar, Commands.concat(List.of("-Xmx384m"), FLINK_OPENS),
                List.of("-jar", jar.toString(), "cdc"), environment(config),
                Optional.of(URI.create("http://127.0.0.1:" + config.cdcHealthPort() + "/health")), Duration.ofSeconds(120));
    }

    /** The Flink job runner (mini-cluster) for the raw-events job: Kafka → Iceberg. */
    public static JavaService rawEvents(StackConfig config) {
        Path jar = pipelinesJar(config);
        return new JavaService(config, "flink", jar, Commands.concat(List.of("-Xmx1g"), FLINK_OPENS),
                List.of("-jar", jar.toString(), "raw-events"), environment(config),
                Optional.of(URI.create("http://127.0.0.1:" + config.flinkHealthPort() + "/health")), Duration.ofSeconds(180));
    }

    /**
     * Day close (pipelines' dayclose.DayClose): every few minutes rewrites each past UTC day of the
     * delta and fact tables into one sorted row per key, which the margin views read far faster than
     * the job's per-checkpoint deltas. Its own process: a day of rows is held in memory while it is
     * rewritten, and a slow close never holds up the job. Running is its health.
     */
    public static JavaService dayClose(StackConfig config) {
        Path jar = pipelinesJar(config);
        return new JavaService(config, "day-close", jar, Commands.concat(List.of("-Xmx768m"), FLINK_OPENS),
                List.of("-jar", jar.toString(), "day-close"), environment(config), Optional.empty(), Duration.ofSeconds(30));
    }

    public static Path stackJar(StackConfig config) {
        return config.root().resolve("stack/target/marginal-stack.jar");
    }

    /**
     * Iceberg table maintenance (warehouse's MaintenanceRunner) as a process of its own: a slow or
     * failing round never holds up billing, CDC or the Flink job, and it can be stopped or restarted
     * alone. It talks to Trino as the platform user; running is its health.
     */
    public static JavaService maintenance(StackConfig config, String platformPassword) {
        Map<String, String> env = new LinkedHashMap<>(environment(config));
        env.putAll(trinoClientEnvironment(config, platformPassword));
        Path jar = stackJar(config);
        String classpath = jar + ":" + config.root().resolve("stack/target/lib") + "/*";
        return new JavaService(config, "maintenance", jar, List.of("-Xmx96m", "-XX:+UseSerialGC"),
                List.of("-cp", classpath, "dev.marginal.warehouse.maintenance.MaintenanceRunner"), env,
                Optional.empty(), Duration.ofSeconds(30));
    }

    public static Path dashboardJar(StackConfig config) {
        return config.root().resolve("warehouse/dashboard/target/marginal-dashboard.jar");
    }

    /**
     * The founder dashboard (warehouse/dashboard) on MARGINAL_DASHBOARD_PORT. It gets Trino's URL but
     * no Trino password: every query runs as the founder who logged in, under Trino's row filters.
     */
    public static JavaService dashboard(StackConfig config) {
        Map<String, String> env = new LinkedHashMap<>(environment(config));
        env.put("MARGINAL_TRINO_URL", config.trinoJdbcUrl());
        env.put("MARGINAL_DASHBOARD_PORT", Integer.toString(config.dashboardPort()));
        Path jar = dashboardJar(config);
        String classpath = jar + ":" + config.root().resolve("warehouse/dashboard/target/lib") + "/*";
        return new JavaService(config, "dashboard", jar, List.of("-Xmx128m", "-XX:+UseSerialGC"),
                List.of("-cp", classpath, "dev.marginal.dashboard.DashboardServer"), env,
                Optional.of(URI.create(config.dashboardUrl() + "/health")), Duration.ofSeconds(60));
    }

    /**
     * How a process of ours reaches Trino as the platform user: {@code MARGINAL_TRINO_URL} (JDBC, HTTPS,
     * trusting the stack's certificate), {@code MARGINAL_TRINO_USER}, {@code MARGINAL_TRINO_PASSWORD}.
     * Only for processes that need the platform's rights (maintenance, reconcile); not in {@link #environment}.
     */
    public static Map<String, String> trinoClientEnvironment(StackConfig config) {
        return trinoClientEnvironment(config, new TrinoSecurity(config).password(TrinoSecurity.PLATFORM_USER));
    }

    static Map<String, String> trinoClientEnvironment(StackConfig config, String platformPassword) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MARGINAL_TRINO_URL", config.trinoJdbcUrl());
        env.put("MARGINAL_TRINO_USER", TrinoSecurity.PLATFORM_USER);
        env.put("MARGINAL_TRINO_PASSWORD", platformPassword);
        return env;
    }

    /** The environment every service of ours receives (docs/architecture.md). */
    public static Map<String, String> environment(StackConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MARGINAL_HOME", config.home().toString());
        env.put("MARGINAL_DB_URL", config.jdbcUrl(StackConfig.BILLING_DB));
        env.put("MARGINAL_DB_USER", StackConfig.DB_USER);
        env.put("MARGINAL_DB_PASSWORD", StackConfig.DB_PASSWORD);
        env.put("MARGINAL_KAFKA_BOOTSTRAP", config.kafkaBootstrap());
        env.put("MARGINAL_CATALOG_URL", config.jdbcUrl(StackConfig.CATALOG_DB));
        env.put("MARGINAL_CATALOG_USER", StackConfig.DB_USER);
        env.put("MARGINAL_CATALOG_PASSWORD", StackConfig.DB_PASSWORD);
        env.put("MARGINAL_WAREHOUSE", config.warehouseUri());
        env.put("MARGINAL_BILLING_PORT", Integer.toString(config.billingPort()));
        env.put("MARGINAL_CDC_HEALTH_PORT", Integer.toString(config.cdcHealthPort()));
        env.put("MARGINAL_FLINK_HEALTH_PORT", Integer.toString(config.flinkHealthPort()));
        env.put("MARGINAL_TRINO_PORT", Integer.toString(config.trinoPort()));
        return env;
    }

    private Daemon daemon() {
        return Daemon.of(config, name);
    }

    @Override
    public void start() {
        Daemon daemon = daemon();
        if (daemon.isRunning()) {
            Readiness.await(daemon, startTimeout, this::answers);
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new StackException(name + ": " + jar + " is missing; build it first (./mvnw -DskipTests package)");
        }
        healthUrl.ifPresent(url -> Readiness.requireFree(url.getPort(), portVariable(), name));
        Progress.say("starting " + name + healthUrl.map(url -> " (" + url + ")").orElse("") + "…");
        List<String> command = new ArrayList<>();
        command.add(JavaRuntime.current().toString());
        command.addAll(jvmFlags);
        command.add("-Dmarginal.home=" + config.home()); // marks the process as this home's
        command.addAll(launch);
        daemon.launch(command, environment, config.home().resolve("run"));
        Readiness.await(daemon, startTimeout, this::answers);
    }

    private String portVariable() {
        return switch (name) {
            case "billing-core" -> "MARGINAL_BILLING_PORT";
            case "cdc" -> "MARGINAL_CDC_HEALTH_PORT";
            case "flink" -> "MARGINAL_FLINK_HEALTH_PORT";
            case "dashboard" -> "MARGINAL_DASHBOARD_PORT";
            default -> "its port variable";
        };
    }

    /**
     * For the Flink job: how old the newest row committed to Iceberg is (its /metrics gauge), the
     * warehouse's freshness as an operator reads it in {@code status}.
     */
    private String freshness() {
        if (!name.equals("flink") || healthUrl.isEmpty()) {
            return "";
        }
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(healthUrl.get().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines()
                    .filter(line -> line.startsWith(FRESHNESS_GAUGE + " "))
                    .map(line -> line.substring(line.indexOf(' ') + 1).trim())
                    .findFirst()
                    .map(value -> value.equals("NaN") ? " · no rows committed yet"
                            : String.format(java.util.Locale.ROOT, " · newest committed row %.1f s old", Double.parseDouble(value)))
                    .orElse("");
        } catch (Exception e) {
            return "";
        }
    }

    private static final String FRESHNESS_GAUGE = "marginal_raw_events_newest_committed_age_seconds";

    private boolean answers() throws Exception {
        if (healthUrl.isEmpty()) {
            return daemon().isRunning();
        }
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(healthUrl.get()).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    @Override
    public void stop() {
        daemon().stop(Duration.ofSeconds(30));
    }

    @Override
    public Health health() {
        if (!daemon().isRunning()) {
            return Health.down(name, "not running");
        }
        try {
            return answers() ? Health.up(name, healthUrl.map(URI::toString).orElse("running") + freshness())
                    : Health.down(name, "running but " + healthUrl.get() + " is not 200");
        } catch (Exception e) {
            return Health.down(name, "running but not answering: " + e.getMessage());
        }
    }
}
