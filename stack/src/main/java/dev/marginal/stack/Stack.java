package dev.marginal.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The whole local stack: PostgreSQL, Kafka and Trino, then billing-core, the demo organisation,
 * the CDC runner and the Flink job. {@code up} starts what is not running yet; {@code down} stops
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
        JavaService.billingCore(config, platformToken).start();
        Bootstrap.ensureDemoOrganisation(config, platformToken);
        inParallel(JavaService.cdc(config)::start, JavaService.rawEvents(config)::start);
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
        for (Path jar : List.of(JavaService.billingJar(config), JavaService.pipelinesJar(config))) {
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
        return List.of(postgres, kafka, trino, JavaService.billingCore(config, token), JavaService.cdc(config),
                JavaService.rawEvents(config), DemoGenerator.service(config));
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
