package dev.marginal.billing.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;

import dev.marginal.billing.event.EventRepository;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.demo.LlmUsage;

/**
 * The ingest benchmark (docs/BENCHMARKS.md, "Ingest"); run it with {@code bench/ingest/run.sh}.
 *
 * <ol>
 *   <li>Starts a PostgreSQL of its own (port 25532 unless {@code --pg-port}) and the billing
 *       service's fat jar as a separate process on it.</li>
 *   <li>From this process, {@code --concurrency} clients POST batches of {@code --batch} realistic
 *       LLM events ({@link LlmUsage}; every other event without {@code _cost}, so half are priced
 *       from the model catalog at ingest) for {@code --warmup} then {@code --seconds} seconds, and
 *       reports sustained events/s and batch latency percentiles over the measured window.</li>
 *   <li>Copies the rows the service stored back out, and {@code COPY}s the same rows into the same
 *       table (new ids, another organisation, the same indexes), with one and two streams: the
 *       physical bound of this machine.</li>
 * </ol>
 */
public final class IngestBenchmark {

    private static final String PLACEHOLDER = "@@@@@@@@";
    private static final int TEMPLATES = 32;
    private static final int COPY_CHUNK = 10_000;

    private final Map<String, String> options;

    private IngestBenchmark(Map<String, String> options) {
        this.options = options;
    }

    private int option(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        new IngestBenchmark(options).run();
    }

    private void run() throws Exception {
        int pgPort = option("pg-port", 25532);
        int httpPort = option("http-port", 25580);
        Path work = Path.of(options.getOrDefault("work", "billing-core/service/target/ingest-bench")).toAbsolutePath();
        Path jar = Path.of(options.getOrDefault("jar", "billing-core/service/target/marginal-billing-service.jar"))
                .toAbsolutePath();
        Files.createDirectories(work);
        String platformToken = UUID.randomUUID().toString();

        try (PostgresServer postgres = PostgresServer.startForTests(work.resolve("pg"), pgPort)) {
            Process service = startService(jar, postgres.jdbcUrl("marginal"), httpPort, platformToken, work);
            try {
                String base = "http://127.0.0.1:" + httpPort;
                awaitReady(base);
                System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                        + Files.readString(Path.of("/proc/loadavg")).trim());
                Organization organization = organizationToken(base, platformToken, "bench-http");
                List<String> templates = templates(option("batch", 1000));
                // Warm the JIT and the table first; then rounds of HTTP, direct INSERT and COPY of the rows that
                // round stored, so drift (table growth, checkpoints, neighbours' load) hits all three alike.
                drive(base, organization, templates, option("warmup", 15));
                List<Double> ratios = new ArrayList<>();
                for (int n = 1; n <= option("rounds", 3); n++) {
                    int round = n;
                    HttpResult http = drive(base, organization, templates, option("seconds", 20));
                    System.out.println("round " + round + " " + http.describe());
                    List<String> rows = storedRows(postgres, organization.id(), http.inserted());
                    List<CopyResult> results = new ArrayList<>();
                    results.add(insertTheSameRows(postgres, rows, option("concurrency", 4), http.batch()));
                    results.addAll(copyTheSameRows(postgres, rows));
                    results.forEach(r -> System.out.println("round " + round + " " + r.describe()));
                    double bound = results.stream().filter(r -> r.how().equals("COPY"))
                            .mapToDouble(CopyResult::rowsPerSecond).max().orElse(0);
                    ratios.add(http.eventsPerSecond() / bound);
                    System.out.printf("round %d: HTTP %.0f events/s = %.0f %% of the best COPY (%.0f rows/s)%n",
                            round, http.eventsPerSecond(), 100 * http.eventsPerSecond() / bound, bound);
                }
                ratios.sort(Double::compare);
                System.out.printf("median HTTP / COPY ratio over %d rounds: %.0f %%%n", ratios.size(),
                        100 * ratios.get(ratios.size() / 2));
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    private Process startService(Path jar, String jdbcUrl, int port, String platformToken, Path work) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String jvmArgs = options.getOrDefault("service-jvm-args", "");
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile());
        builder.environment().put("MARGINAL_DB_URL", jdbcUrl);
        builder.environment().put("MARGINAL_DB_USER", PostgresServer.USER);
        builder.environment().put("MARGINAL_DB_PASSWORD", PostgresServer.PASSWORD);
        builder.environment().put("MARGINAL_BILLING_PORT", Integer.toString(port));
        builder.environment().put("MARGINAL_PLATFORM_TOKEN", platformToken);
        return builder.start();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static void awaitReady(String base) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service did not become ready; see service.log");
    }

    private record Organization(UUID id, String token) {
    }

    private static Organization organizationToken(String base, String platformToken, String slug) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/platform/organizations"))
                .header("Authorization", "Bearer " + platformToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + slug + "\",\"slug\":\"" + slug + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Organization(UUID.fromString(field(body, "id")), field(body, "token"));
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(at, json.indexOf('"', at));
    }

    /** Batches with a placeholder run id; each send swaps in a fresh one, so every event is new. */
    private List<String> templates(int batch) {
        LlmUsage usage = new LlmUsage(42, PLACEHOLDER);
        Instant now = Instant.now().minusSeconds(3600);
        List<String> templates = new ArrayList<>();
        for (int t = 0; t < TEMPLATES; t++) {
            StringBuilder body = new StringBuilder(batch * 450).append("{\"events\":[");
            for (int i = 0; i < batch; i++) {
                String event = usage.nextEventJson(now.plusMillis(i));
                if (i % 2 == 1) {
                    // No client-side cost: the service prices these from the model catalog.
                    event = event.replaceFirst(",\"_cost\":\\{[^}]*\\}", "");
                }
                body.append(i == 0 ? "" : ",").append(event);
            }
            templates.add(body.append("]}").toString());
        }
        return templates;
    }

    private record HttpResult(UUID organizationId, long inserted, double seconds, int batch, int concurrency,
                              long[] latenciesMicros, long errors) {
        double eventsPerSecond() {
            return inserted / seconds;
        }

        long percentile(double p) {
            if (latenciesMicros.length == 0) {
                return 0;
            }
            return latenciesMicros[(int) Math.min(latenciesMicros.length - 1, Math.ceil(p * latenciesMicros.length) - 1)];
        }

        String describe() {
            return String.format("HTTP: %d events in %.1f s = %.0f events/s sustained; batch %d, %d clients, %d batches;"
                            + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d failed requests",
                    inserted, seconds, eventsPerSecond(), batch, concurrency, latenciesMicros.length,
                    percentile(0.50) / 1000.0, percentile(0.99) / 1000.0, percentile(1.0) / 1000.0, errors);
        }
    }

    private final AtomicLong sends = new AtomicLong();

    /** {@code --concurrency} clients POST batches for {@code seconds}; only requests wholly inside the window count. */
    private HttpResult drive(String base, Organization organization, List<String> templates, int seconds) throws Exception {
        int batch = option("batch", 1000);
        int concurrency = option("concurrency", 4);
        AtomicLong inserted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long measureFrom = start;
        long measureUntil = measureFrom + Duration.ofSeconds(seconds).toNanos();
        URI ingest = URI.create(base + "/v1/events/ingest");
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            running.add(clients.submit(() -> {
                while (System.nanoTime() < measureUntil) {
                    long n = sends.getAndIncrement();
                    byte[] body = templates.get((int) (n % TEMPLATES)).replace(PLACEHOLDER, String.format("%08x", n))
                            .getBytes(StandardCharsets.UTF_8);
                    long sent = System.nanoTime();
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(ingest)
                            .header("Authorization", "Bearer " + organization.token())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long done = System.nanoTime();
                    boolean ok = response.statusCode() == 200 && response.body().contains("\"inserted\":" + batch);
                    if (sent >= measureFrom && done <= measureUntil) {
                        latencies.add((done - sent) / 1000);
                        if (ok) {
                            inserted.addAndGet(batch);
                        } else {
                            errors.incrementAndGet();
                            System.err.println(response.statusCode() + " " + response.body());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        clients.shutdown();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new HttpResult(organization.id(), inserted.get(), seconds, batch, concurrency, sorted, errors.get());
    }

    private record CopyResult(String how, int streams, long rows, int perStatement, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }

        String describe() {
            return String.format("%s: %d rows in %.2f s = %.0f rows/s (%d stream%s, %d rows per statement)",
                    how, rows, seconds, rowsPerSecond(), streams, streams == 1 ? "" : "s", perStatement);
        }
    }

    private static final String COLUMNS = "id, organization_id, customer_id, external_customer_id, external_id, name,"
            + " timestamp, metadata, source, cost_amount, cost_currency, cost_source, model_price_id";

    /** Rows the service stored in this round (ids are time-ordered: the newest are this round's), as COPY text. */
    private List<String> storedRows(PostgresServer postgres, UUID httpOrganization, long rows) throws Exception {
        long limit = Math.min(rows, option("copy-rows", 400_000));
        try (Connection connection = postgres.connect("marginal")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            connection.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT " + COLUMNS + " FROM events"
                    + " WHERE organization_id = '" + httpOrganization + "' ORDER BY id DESC LIMIT " + limit + ") TO STDOUT",
                    out);
            return Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }

    /**
     * The same rows through the service's own statement ({@link EventRepository#INSERT_BATCH}), in the
     * service's batch size, straight from JDBC: the database's share of the HTTP path, without HTTP or JSON.
     */
    private CopyResult insertTheSameRows(PostgresServer postgres, List<String> lines, int streams, int batch)
            throws Exception {
        List<List<String[][]>> work = new ArrayList<>();
        List<UUID> organizations = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            organizations.add(newOrganization(postgres));
            List<String[][]> batches = new ArrayList<>();
            List<String> mine = lines.subList(s * lines.size() / streams, (s + 1) * lines.size() / streams);
            for (int from = 0; from < mine.size(); from += batch) {
                List<String> slice = mine.subList(from, Math.min(mine.size(), from + batch));
                String[][] columns = new String[11][slice.size()];
                for (int r = 0; r < slice.size(); r++) {
                    String[] f = slice.get(r).split("\t", -1);
                    // COPY columns: id, organization_id, customer_id, external_customer_id, external_id, name,
                    // timestamp, metadata, source, cost_amount, cost_currency, cost_source, model_price_id
                    int[] pick = {0, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12};
                    for (int c = 0; c < pick.length; c++) {
                        columns[c][r] = "\\N".equals(f[pick[c]]) ? null : f[pick[c]];
                    }
                    columns[0][r] = UUID.randomUUID().toString();
                }
                batches.add(columns);
            }
            work.add(batches);
        }
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            List<String[][]> batches = work.get(s);
            UUID organization = organizations.get(s);
            running.add(pool.submit(() -> {
                try (Connection connection = postgres.connect("marginal")) {
                    for (String[][] columns : batches) {
                        try (var statement = connection.prepareStatement(EventRepository.INSERT_BATCH)) {
                            statement.setObject(1, organization);
                            statement.setString(2, null); // trace_id: none for benchmark rows
                            for (int c = 0; c < columns.length; c++) {
                                statement.setArray(c + 3, connection.createArrayOf("text", columns[c]));
                            }
                            statement.executeUpdate();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        pool.shutdown();
        return new CopyResult("INSERT", streams, lines.size(), batch, (System.nanoTime() - started) / 1e9);
    }

    /** The same rows again, by COPY, under fresh ids and organisations. */
    private List<CopyResult> copyTheSameRows(PostgresServer postgres, List<String> lines) throws Exception {
        List<CopyResult> results = new ArrayList<>();
        for (int streams : new int[] {1, 2}) {
            List<List<byte[]>> chunks = new ArrayList<>();
            for (int s = 0; s < streams; s++) {
                chunks.add(chunks(lines.subList(s * lines.size() / streams, (s + 1) * lines.size() / streams),
                        newOrganization(postgres)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(streams);
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (List<byte[]> stream : chunks) {
                running.add(pool.submit(() -> {
                    try (Connection connection = postgres.connect("marginal")) {
                        for (byte[] chunk : stream) {
                            connection.unwrap(PGConnection.class).getCopyAPI()
                                    .copyIn("COPY events (" + COLUMNS + ") FROM STDIN", new ByteArrayInputStream(chunk));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            pool.shutdown();
            results.add(new CopyResult("COPY", streams, lines.size(), COPY_CHUNK, (System.nanoTime() - started) / 1e9));
        }
        return results;
    }

    private static UUID newOrganization(PostgresServer postgres) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection connection = postgres.connect("marginal");
             var statement = connection.prepareStatement("INSERT INTO organizations (id, name, slug) VALUES (?, ?, ?)")) {
            statement.setObject(1, id);
            statement.setString(2, "bench copy");
            statement.setString(3, "bench-copy-" + id.toString().substring(0, 8));
            statement.executeUpdate();
        }
        return id;
    }

    /** Rewrites id and organization_id (the first two columns) of each line; COPY_CHUNK lines per COPY. */
    private static List<byte[]> chunks(List<String> lines, UUID organization) {
        List<byte[]> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int inChunk = 0;
        for (String line : lines) {
            int second = line.indexOf('\t', line.indexOf('\t') + 1);
            chunk.append(UUID.randomUUID()).append('\t').append(organization).append(line, second, line.length()).append('\n');
            if (++inChunk == COPY_CHUNK) {
                chunks.add(chunk.toString().getBytes(StandardCharsets.UTF_8));
                chunk.setLength(0);
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            chunks.add(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
        return chunks;
    }
}
