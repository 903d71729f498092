package dev.marginal.stack;

import dev.marginal.warehouse.access.Analysts;
import dev.marginal.warehouse.maintenance.MaintenancePolicy;
import dev.marginal.warehouse.maintenance.TableMaintenance;
import dev.marginal.warehouse.maintenance.TableName;
import dev.marginal.warehouse.maintenance.TableState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The whole local stack: PostgreSQL, Kafka and Trino, then billing-core, the demo organisation,
 * the CDC runner, the Flink job and the founder dashboard. {@code up} starts what is not running yet; {@code down} stops
 * everything in reverse order and leaves no process behind.
 */
public final class Stack {

    private final StackConfig config;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final TrinoServer trino;

    public Stack(StackConfig config) {
        this.config = config;
        this.postgres = new PostgresServer(config);
        this.kafka = new KafkaBroker(config);
        this.trino = new TrinoServer(config);
    }

    public StackConfig config() {
        return config;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public TrinoServer trino() {
        return trino;
    }

    /** Starts everything; fails before starting anything when one of our jars has not been built. */
    public void up() {
        requireJars();
        upInfrastructure();
        String platformToken = Bootstrap.platformToken(config);
        JavaService.billingCore(config, platformToken, Bootstrap.invoiceSigningSecret(config)).start();
        Bootstrap.ensureDemoOrganisation(config, platformToken);
        inParallel(JavaService.cdc(config)::start, JavaService.rawEvents(config)::start, JavaService.dashboard(config)::start);
        maintenance().start();
        JavaService.dayClose(config).start();
    }

    private JavaService maintenance() {
        // Stopping or probing does not need the password; do not create one just for that.
        return JavaService.maintenance(config,
                trino.security().existingPassword(TrinoSecurity.PLATFORM_USER).orElse(""));
    }

    /**
     * PostgreSQL, Kafka and Trino, concurrently: Kafka beside PostgreSQL-then-Trino (Trino's catalog
     * lives in PostgreSQL, which is up in about a second).
     */
    public void upInfrastructure() {
        inParallel(() -> {
            postgres.start();
            trino.start();
        }, kafka::start);
    }

    private void requireJars() {
        List<String> missing = new ArrayList<>();
        for (Path jar : List.of(JavaService.billingJar(config), JavaService.pipelinesJar(config), JavaService.dashboardJar(config))) {
            if (!Files.isRegularFile(jar)) {
                missing.add(jar.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new StackException("not built yet: " + String.join(", ", missing)
                    + "\nbuild them with ./mvnw -DskipTests package (or bin/marginal build)");
        }
    }

    /** Every service of the stack, in start order. */
    public List<Service> services() {
        // Stopping or probing a service does not need the token; do not create one just for that.
        String token = Bootstrap.existingPlatformToken(config).orElse("");
        String invoiceKey = Bootstrap.existingInvoiceSigningSecret(config).orElse("");
        return List.of(postgres, kafka, trino, JavaService.billingCore(config, token, invoiceKey), JavaService.cdc(config),
                JavaService.rawEvents(config), JavaService.dashboard(config), maintenance(),
                JavaService.dayClose(config), DemoGenerator.service(config));
    }

    /** Stops everything in reverse start order; one failure does not keep the others running. */
    public void down() {
        List<Service> reverse = new ArrayList<>(services());
        java.util.Collections.reverse(reverse);
        List<String> failures = new ArrayList<>();
        for (Service service : reverse) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                failures.add(service.name() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new StackException("some services did not stop cleanly:\n" + String.join("\n", failures));
        }
    }

    /** The health of each component, probed concurrently; the demo generator only when it runs. */
    public List<Health> status() {
        List<Service> services = services();
        ExecutorService threads = Executors.newFixedThreadPool(services.size());
        try {
            List<CompletableFuture<Health>> probes = services.stream()
                    .map(service -> CompletableFuture.supplyAsync(service::health, threads))
                    .toList();
            return probes.stream()
                    .map(CompletableFuture::join)
                    // optional: only `demo` starts it
                    .filter(health -> health.up() || !health.component().equals(DemoGenerator.NAME))
                    .toList();
        } finally {
            threads.shutdown();
        }
    }

    /** The SLIs now, from billing-core's and the runners' metrics (each empty when it does not answer). */
    public String serviceLevels() {
        Optional<PrometheusText> billing = scrape(config.billingUrl() + "/actuator/prometheus");
        Optional<PrometheusText> rawEvents = scrape("http://127.0.0.1:" + config.flinkHealthPort() + "/metrics");
        Optional<PrometheusText> cdc = scrape("http://127.0.0.1:" + config.cdcHealthPort() + "/metrics");
        return ServiceLevels.table(ServiceLevels.of(billing, rawEvents, lastReconcile(), Instant.now())) + "\n"
                + ServiceLevels.figures(ServiceLevels.pipelineFigures(rawEvents, cdc));
    }

    /** What the last reconcile of every organisation found (written by the pipelines' DriftMetrics). */
    private Optional<PrometheusText> lastReconcile() {
        Path file = config.home().resolve("metrics/reconcile.prom");
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(PrometheusText.parse(Files.readString(file))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<PrometheusText> scrape(String url) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(PrometheusText.parse(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Per Iceberg table: live data files and the oldest kept snapshot, what maintenance bounds.
     * Empty when Trino does not answer.
     */
    public List<TableState> tableStates() {
        if (!trino.health().up()) {
            return List.of();
        }
        MaintenancePolicy policy = MaintenancePolicy.load(Optional.of(config.home()), System.getProperties());
        try {
            List<TableName> tables = new TableMaintenance(trino::connect, policy).tables();
            return TableState.of(trino::connect, tables);
        } catch (SQLException e) {
            throw new StackException("Trino is up but reading table metadata failed: " + e.getMessage(), e);
        }
    }

    /** One maintenance round now, in this process (what the maintenance process does every interval). */
    public TableMaintenance.Round maintainOnce() {
        MaintenancePolicy policy = MaintenancePolicy.load(Optional.of(config.home()), System.getProperties());
        try {
            return new TableMaintenance(trino::connect, policy).run(0);
        } catch (SQLException e) {
            throw new StackException("could not list the tables to maintain: " + e.getMessage(), e);
        }
    }

    /**
     * Creates (or keeps) Trino user {@code user} and lets it read organisation {@code organization}'s
     * rows, and only those; {@code organization} is an id or a slug of billing-core. Returns the password.
     */
    public String addAnalyst(String user, String organization) {
        TrinoSecurity.requireUserName(user);
        if (user.equals(TrinoSecurity.PLATFORM_USER) || user.equals(TrinoSecurity.FINANCE_USER)) {
            throw new IllegalArgumentException(user + " is a built-in Trino user, not an analyst");
        }
        String organizationId = organizationId(organization);
        try (Connection platform = trino.connect()) {
            Analysts.assign(platform, user, organizationId);
        } catch (SQLException e) {
            throw new StackException("could not record analyst " + user + " in marginal.access.analysts: " + e.getMessage(), e);
        }
        return trino.security().addUser(user);
    }

    private String organizationId(String idOrSlug) {
        try (Connection db = postgres.connect(StackConfig.BILLING_DB);
             PreparedStatement query = db.prepareStatement("SELECT id::text FROM organizations WHERE id::text = ? OR slug = ?")) {
            query.setString(1, idOrSlug);
            query.setString(2, idOrSlug);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("no organisation with id or slug '" + idOrSlug + "'");
                }
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new StackException("could not look up organisation " + idOrSlug + ": " + e.getMessage(), e);
        }
    }

    public Optional<String> demoToken() {
        return Bootstrap.demoToken(config);
    }

    /** Runs the steps on threads of their own (the common pool has one thread on a 2-core machine). */
    private static void inParallel(Runnable... steps) {
        ExecutorService threads = Executors.newFixedThreadPool(steps.length);
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (Runnable step : steps) {
                running.add(CompletableFuture.runAsync(step, threads));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        } finally {
            threads.shutdown();
        }
    }
}
