package dev.marginal.bench;

import dev.marginal.stack.demo.LlmUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end freshness: the time from billing-core's 200 on {@code POST /v1/events/ingest} to the
 * event being visible in Trino ({@code marginal.raw.events}), at a steady rate, on a running stack.
 *
 * <p>A sender posts batches of realistic LLM events at the stated rate and notes when each batch was
 * acknowledged; a poller asks Trino every {@value #POLL_MILLIS} ms which of this run's events it
 * can see. Freshness is first-seen minus acknowledged, so it includes up to one poll interval of
 * measurement error (stated in the report).
 *
 * <p>{@code FreshnessBenchmark [events/s=50] [seconds=60] [batch=10]}; reads the stack's ports and
 * {@code MARGINAL_HOME} from the same environment variables as {@code bin/marginal}.
 */
public final class FreshnessBenchmark {

    static final long POLL_MILLIS = 250;

    private final String billingUrl;
    private final String trinoUrl;
    private final Path home;
    private final HttpClient http = HttpClient.newHttpClient();

    FreshnessBenchmark(Map<String, String> env) {
        this.billingUrl = "http://127.0.0.1:" + env.getOrDefault("MARGINAL_BILLING_PORT", "8080");
        this.home = Path.of(env.getOrDefault("MARGINAL_HOME", ".marginal"));
        // Trino takes passwords over HTTPS only; the stack's certificate and platform password live in its home.
        this.trinoUrl = "jdbc:trino://127.0.0.1:" + env.getOrDefault("MARGINAL_TRINO_PORT", "8088") + "/marginal"
                + "?SSL=true&SSLTrustStorePath=" + home.resolve("trino/tls/trino.pem");
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        new FreshnessBenchmark(System.getenv()).run(rate, seconds, batch);
    }

    void run(int rate, int seconds, int batchSize) throws Exception {
        String[] org = createOrganization();
        String orgId = org[0];
        String token = org[1];
        String runId = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        LlmUsage usage = new LlmUsage(7, runId);
        Map<String, Long> ackedNanos = new ConcurrentHashMap<>();
        Map<String, Long> seenNanos = new ConcurrentHashMap<>();
        List<Long> batchLatencyMicros = Collections.synchronizedList(new ArrayList<>());

        Thread poller = new Thread(() -> poll(orgId, seenNanos), "trino-poller");
        poller.setDaemon(true);
        poller.start();

        System.out.printf("sending %d events/s in batches of %d for %d s (org %s)%n", rate, batchSize, seconds, orgId);
        long intervalNanos = Duration.ofSeconds(1).toNanos() * batchSize / rate;
        long start = System.nanoTime();
        long next = start;
        long end = start + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            long first = usage.generated() + 1;
            String body = usage.nextBatchJson(batchSize, Instant.now());
            long sentAt = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(billingUrl + "/v1/events/ingest"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            long ackedAt = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("ingest answered " + response.statusCode() + ": " + response.body());
            }
            batchLatencyMicros.add((ackedAt - sentAt) / 1_000);
            for (long n = first; n <= usage.generated(); n++) {
                ackedNanos.put(usage.externalId(n), ackedAt);
            }
            next += intervalNanos;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        long sent = usage.generated();
        long waitUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seenNanos.size() < sent && System.nanoTime() < waitUntil) {
            Thread.sleep(POLL_MILLIS);
        }

        List<Long> freshnessMillis = new ArrayList<>();
        ackedNanos.forEach((id, acked) -> {
            Long seen = seenNanos.get(id);
            if (seen != null) {
                freshnessMillis.add(Math.max(0, (seen - acked) / 1_000_000));
            }
        });
        Collections.sort(freshnessMillis);
        List<Long> batches = new ArrayList<>(batchLatencyMicros);
        Collections.sort(batches);
        System.out.printf("events sent %d, seen in Trino %d (missing %d)%n", sent, freshnessMillis.size(), sent - freshnessMillis.size());
        System.out.printf("freshness ingest-200 -> visible in Trino: p50 %d ms, p95 %d ms, max %d ms (poll every %d ms)%n",
                percentile(freshnessMillis, 50), percentile(freshnessMillis, 95),
                freshnessMillis.isEmpty() ? -1 : freshnessMillis.get(freshnessMillis.size() - 1), POLL_MILLIS);
        System.out.printf("ingest batch latency: p50 %.1f ms, p99 %.1f ms%n",
                percentile(batches, 50) / 1000.0, percentile(batches, 99) / 1000.0);
        StackMemory.main(new String[0]);
        if (freshnessMillis.size() < sent) {
            System.exit(1);
        }
    }

    private String trinoPassword() throws java.io.IOException {
        return Files.readString(home.resolve("trino/passwords/platform")).trim();
    }

    private void poll(String orgId, Map<String, Long> seenNanos) {
        String sql = "SELECT external_id FROM marginal.raw.events WHERE organization_id = ?";
        try (Connection trino = DriverManager.getConnection(trinoUrl, "platform", trinoPassword());
             PreparedStatement query = trino.prepareStatement(sql)) {
            query.setString(1, orgId);
            while (true) {
                long askedAt = System.nanoTime();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        seenNanos.putIfAbsent(rows.getString(1), askedAt);
                    }
                }
                LockSupport.parkNanos(Duration.ofMillis(POLL_MILLIS).toNanos());
            }
        } catch (Exception e) {
            System.err.println("poller stopped: " + e);
        }
    }

    private String[] createOrganization() throws Exception {
        String platformToken = Files.readString(home.resolve("platform-token")).trim();
        String slug = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(billingUrl + "/v1/platform/organizations"))
                .header("Authorization", "Bearer " + platformToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"slug\":\"" + slug + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("creating the benchmark organisation answered " + response.statusCode() + ": " + response.body());
        }
        return new String[] {jsonField(response.body(), "id"), jsonField(response.body(), "token")};
    }

    /** Enough JSON for the two string fields of the platform API's answer; no parser dependency needed. */
    static String jsonField(String json, String field) {
        int key = json.indexOf("\"" + field + "\"");
        int open = json.indexOf('"', json.indexOf(':', key) + 1);
        return json.substring(open + 1, json.indexOf('"', open + 1));
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
