package dev.marginal.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The soak: a running stack ({@code bin/marginal up}) takes usage events at a share of its measured
 * ingest capacity for a while, and every {@code --kill-every} seconds one component is
 * {@code kill -9}-ed in rotation and started again with {@code bin/marginal up}, while the load goes
 * on. At the end: availability as the SLO counts it, latency, and {@code bin/marginal reconcile},
 * which must find the warehouse equal to billing-core, and PostgreSQL holding every event once.
 *
 * <p>{@code SoakBenchmark [--minutes 10] [--kill-every 120] [--share 0.5] [--rate EVENTS/S]
 * [--capacity-seconds 30] [--batch 500] [--clients 8] [--kill cdc,flink,kafka,billing-core]
 * [--settle 900]}; the stack's ports and home come from the same variables as {@code bin/marginal}.
 * bench/soak/run.sh starts and stops the stack around it.
 */
public final class SoakBenchmark {

    static final double SLO = 0.999; // deploy/slo: ingest availability objective

    private final Path root;
    private final Path home;
    private final String billingUrl;
    private final Map<String, String> options;
    private long eventsBefore; // sent while measuring the capacity, to the same organisation

    SoakBenchmark(Map<String, String> env, Map<String, String> options) {
        this.root = Path.of(env.getOrDefault("MARGINAL_ROOT", ".")).toAbsolutePath();
        this.home = Path.of(env.getOrDefault("MARGINAL_HOME", root.resolve(".marginal").toString())).toAbsolutePath();
        this.billingUrl = "http://127.0.0.1:" + env.getOrDefault("MARGINAL_BILLING_PORT", "8080");
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        System.exit(new SoakBenchmark(System.getenv(), options).run());
    }

    private String option(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    int run() throws Exception {
        Duration length = Duration.ofMinutes(Long.parseLong(option("minutes", "10")));
        Duration killEvery = Duration.ofSeconds(Long.parseLong(option("kill-every", "120")));
        int batch = Integer.parseInt(option("batch", "500"));
        int clients = Integer.parseInt(option("clients", "8"));
        List<String> rotation = List.of(option("kill", "cdc,flink,kafka,billing-core").split(","));
        Instant startedAt = Instant.now();
        String[] org = createOrganization();
        say("organisation %s, stack home %s", org[0], home);

        double capacity = Double.NaN;
        double rate;
        if (options.containsKey("rate")) {
            rate = Double.parseDouble(option("rate", "0"));
        } else {
            int seconds = Integer.parseInt(option("capacity-seconds", "30"));
            SoakLoad probe = new SoakLoad(billingUrl, org[1], "soak-capacity-" + UUID.randomUUID().toString().substring(0, 8));
            say("measuring ingest capacity: %d clients back to back, batches of %d, 10 s warm-up, then %d s", 4, batch, seconds);
            probe.capacity(4, batch, Duration.ofSeconds(10));
            probe.resetLatencies();
            capacity = probe.capacity(4, batch, Duration.ofSeconds(seconds));
            rate = capacity * Double.parseDouble(option("share", "0.5"));
            say("capacity %.0f events/s (p99 batch %.0f ms); soaking at %.0f events/s", capacity, probe.answeredMillis(99), rate);
            eventsBefore += probe.events.get();
        }

        SoakLoad load = new SoakLoad(billingUrl, org[1], "soak-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> kills = new ArrayList<>();
        Thread killer = new Thread(() -> killInRotation(rotation, killEvery, length, kills), "killer");
        say("soak: %.0f events/s in batches of %d for %s, kill -9 every %d s: %s", rate, batch, length, killEvery.toSeconds(), rotation);
        long soakStart = System.nanoTime();
        killer.start();
        load.steady(rate, batch, clients, length);
        double soakSeconds = (System.nanoTime() - soakStart) / 1e9;
        killer.join();

        say("load done; every component up again? `bin/marginal status`:");
        Command status = marginal(Duration.ofMinutes(2), "status");
        System.out.println(status.output().strip());
        say("reconcile (settle up to %s s)…", option("settle", "900"));
        long reconcileStart = System.nanoTime();
        Command reconcile = marginal(Duration.ofMinutes(30), "reconcile", "--settle", option("settle", "900"));
        double reconcileSeconds = (System.nanoTime() - reconcileStart) / 1e9;
        System.out.println(reconcile.output().strip());
        long stored = eventsInPostgres(org[0]);

        long sent = eventsBefore + load.events.get();
        long attempts = load.attempts.get();
        long answered = attempts - load.unanswered.get();
        double sli = answered == 0 ? 0 : 1.0 - (double) load.server5xx.get() / answered;
        double all2xx = attempts == 0 ? 0 : (double) load.ok2xx.get() / attempts;
        double accepted = (double) load.batchesAccepted() / load.batches.get();
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "soak %s, %s on %s", startedAt, length, home));
        if (!Double.isNaN(capacity)) {
            report.add(String.format(Locale.ROOT, "measured ingest capacity (full stack, 4 clients, batches of %d): %.0f events/s", batch, capacity));
        }
        report.add(String.format(Locale.ROOT, "offered %.0f events/s; sent %d batches = %d events in %.0f s (%.0f events/s)",
                rate, load.batches.get(), load.events.get(), soakSeconds, load.events.get() / soakSeconds));
        report.add(String.format(Locale.ROOT, "requests %d: 2xx %d, 4xx %d, 5xx %d, unanswered (refused/reset/timeout) %d",
                attempts, load.ok2xx.get(), load.client4xx.get(), load.server5xx.get(), load.unanswered.get()));
        report.add(String.format(Locale.ROOT, "availability, the SLO's SLI (answered requests not 5xx): %.4f %% — objective %.1f %%: %s",
                100 * sli, 100 * SLO, sli >= SLO ? "met" : "NOT met"));
        report.add(String.format(Locale.ROOT, "availability, every attempt 2xx (unanswered count as failures): %.4f %% (%s the objective)",
                100 * all2xx, all2xx >= SLO ? "meets" : "below"));
        report.add(String.format(Locale.ROOT, "batches accepted after retries: %d of %d (%.4f %%), %d retried",
                load.batchesAccepted(), load.batches.get(), 100 * accepted, load.batchesRetried.get()));
        report.add(String.format(Locale.ROOT, "answered request latency p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                load.answeredMillis(50), load.answeredMillis(99), load.answeredMillis(100)));
        report.add(String.format(Locale.ROOT, "batch latency from due to accepted (queueing and retries included) p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                load.batchMillis(50), load.batchMillis(99), load.batchMillis(100)));
        report.add(String.format(Locale.ROOT, "responses: inserted %d, duplicates %d (retries of batches already stored)",
                load.inserted.get(), load.duplicates.get()));
        report.add(String.format(Locale.ROOT, "PostgreSQL holds %d events of the organisation; the client sent %d distinct: %s",
                stored, sent, stored == sent ? "each once" : "DIFFERENT"));
        kills.forEach(k -> report.add("kill: " + k));
        report.add(String.format(Locale.ROOT, "reconcile exit %d after %.0f s: %s", reconcile.exit(), reconcileSeconds,
                reconcile.output().lines().filter(l -> l.contains("difference(s)")).findFirst().orElse("?").strip()));
        Files.writeString(home.resolve("soak-report.txt"), String.join("\n", report) + "\n");
        System.out.println("\n=== soak report (also in " + home.resolve("soak-report.txt") + ")");
        report.forEach(System.out::println);
        return reconcile.exit() == 0 && stored == sent && accepted == 1.0 ? 0 : 1;
    }

    /** At every {@code every} after the start, while the load runs: the next component is killed, then {@code up}. */
    private void killInRotation(List<String> rotation, Duration every, Duration length, List<String> kills) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (int k = 1; every.multipliedBy(k).compareTo(length) < 0; k++) {
            long at = start + every.multipliedBy(k).toNanos();
            if (System.nanoTime() >= end) {
                kills.add("kill " + k + " not made: the previous restart ran past the end of the load");
                return;
            }
            while (System.nanoTime() < at) {
                sleep(Math.max(1, (at - System.nanoTime()) / 1_000_000));
            }
            String component = rotation.get((k - 1) % rotation.size());
            try {
                long pid = Long.parseLong(Files.readString(home.resolve("run").resolve(component + ".pid")).trim());
                long killedAt = System.nanoTime();
                new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
                ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
                say("t=%ds kill -9 %s (pid %d); bin/marginal up…", (killedAt - start) / 1_000_000_000, component, pid);
                Command up = marginal(Duration.ofMinutes(10), "up");
                double upSeconds = (System.nanoTime() - killedAt) / 1e9;
                String line = String.format(Locale.ROOT, "t=%ds %s (pid %d): up again after %.0f s (exit %d)",
                        (killedAt - start) / 1_000_000_000, component, pid, upSeconds, up.exit());
                say("%s", line);
                if (up.exit() != 0) {
                    System.out.println(up.output());
                }
                kills.add(line);
            } catch (IOException | InterruptedException e) {
                kills.add(component + ": could not kill: " + e);
            }
        }
    }

    record Command(int exit, String output) {}

    /** bin/marginal commands still running, stopped with their children if the benchmark is interrupted. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }), "stop bin/marginal commands"));
    }

    private Command marginal(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/marginal").toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("soak-" + args[0], ".log");
            Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            RUNNING.add(process);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            RUNNING.remove(process);
            String text = Files.readString(out);
            Files.delete(out);
            return new Command(process.isAlive() ? -1 : process.exitValue(), text);
        } catch (IOException e) {
            return new Command(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Command(-1, e.toString());
        }
    }

    private long eventsInPostgres(String organizationId) throws Exception {
        String port = System.getenv().getOrDefault("MARGINAL_POSTGRES_PORT", "15432");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/marginal", "marginal", "marginal");
             Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT count(*), count(DISTINCT external_id) FROM events WHERE organization_id = '"
                     + UUID.fromString(organizationId) + "'")) {
            rows.next();
            if (rows.getLong(1) != rows.getLong(2)) {
                say("PostgreSQL: %d events but %d distinct external ids", rows.getLong(1), rows.getLong(2));
                return -1;
            }
            return rows.getLong(1);
        }
    }

    private String[] createOrganization() throws Exception {
        String platformToken = Files.readString(home.resolve("platform-token")).trim();
        String slug = "soak-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(billingUrl + "/v1/platform/organizations"))
                        .header("Authorization", "Bearer " + platformToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"soak\",\"slug\":\"" + slug + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the soak organisation answered " + response.statusCode() + ": " + response.body());
        }
        return new String[] {FreshnessBenchmark.jsonField(response.body(), "id"), FreshnessBenchmark.jsonField(response.body(), "token")};
    }

    private static void say(String format, Object... args) {
        System.out.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), String.format(Locale.ROOT, format, args));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
