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
 * event being visible in Trino, at a steady rate, on a running stack.
 *
 * <p>Senders post batches of realistic LLM events at the stated rate (split evenly between them)
 * and note when each batch was acknowledged; a poller asks Trino every {@value #POLL_MILLIS} ms
 * (after its previous answer) what it can see. Freshness is first-seen minus acknowledged, so it
 * includes up to one poll interval plus one query of measurement error (stated in the report).
 * Two targets:
 * <ul>
 *   <li>{@code raw}: which of this run's event ids {@code marginal.raw.events} holds (exact per event);</li>
 *   <li>{@code rollup}: how many events {@code marginal.analytics.customer_margins} counts for the
 *       run's organisation. A rollup has no ids, so when it counts {@code n} events the first
 *       {@code n} acknowledged are taken as visible (events reach it in acknowledgement order up to
 *       the Kafka partitions' interleaving, which is within one checkpoint).</li>
 * </ul>
 *
 * <p>{@code FreshnessBenchmark [events/s=50] [seconds=60] [batch=10] [raw|rollup] [senders=1]};
 * reads the stack's ports and {@code MARGINAL_HOME} from the same environment variables as
 * {@code bin/marginal}. It also reports the rate the senders achieved and how long after the last
 * acknowledgement the last event became visible (the backlog left when sending stopped): a rate is
 * sustained when that stays near the freshness p95 instead of growing with the run's length.
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
        boolean rollup = args.length > 3 && args[3].equals("rollup");
        int senders = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        new FreshnessBenchmark(System.getenv()).run(rate, seconds, batch, rollup, senders);
    }

    void run(int rate, int seconds, int batchSize, boolean rollup, int senders) throws Exception {
        String[] org = createOrganization();
        String orgId = org[0];
        String token = org[1];
        String runId = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Long> ackedNanos = new ConcurrentHashMap<>();
        List<Long> ackOrder = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> seenNanos = new ConcurrentHashMap<>();
        List<long[]> counts = Collections.synchronizedList(new ArrayList<>());
        List<Long> batchLatencyMicros = Collections.synchronizedList(new ArrayList<>());

        Thread poller = new Thread(() -> {
            if (rollup) {
                pollRollup(orgId, counts);
            } else {
                poll(orgId, seenNanos);
            }
        }, "trino-poller");
        poller.setDaemon(true);
        poller.start();

        System.out.printf("sending %d events/s in batches of %d for %d s from %d sender(s) to %s (org %s)%n", rate, batchSize,
                seconds, senders, rollup ? "analytics.customer_margins" : "raw.events", orgId);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        long[] generated = new long[senders];
        for (int s = 0; s < senders; s++) {
            int sender = s;
            LlmUsage usage = new LlmUsage(7 + s, runId + "-" + s);
            long intervalNanos = Duration.ofSeconds(1).toNanos() * batchSize * senders / rate;
            Thread t = new Thread(() -> {
                try {
                    long next = start + intervalNanos * sender / senders;
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
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
                            ackOrder.add(ackedAt);
                        }
                        next += intervalNanos;
                        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                    }
                    generated[sender] = usage.generated();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "sender-" + s);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long lastAck = Collections.max(ackOrder);
        double sendSeconds = (lastAck - start) / 1e9;
        long sent = java.util.Arrays.stream(generated).sum();
        long waitUntil = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (visible(rollup, seenNanos, counts) < sent && System.nanoTime() < waitUntil) {
            Thread.sleep(POLL_MILLIS);
        }

        List<Long> freshnessMillis = new ArrayList<>();
        long lastSeen = 0;
        if (rollup) {
            List<Long> acks = new ArrayList<>(ackOrder);
            Collections.sort(acks);
            List<long[]> seen = new ArrayList<>(counts);
            int poll = 0;
            for (int k = 0; k < acks.size(); k++) {
                while (poll < seen.size() && seen.get(poll)[1] < k + 1) {
                    poll++;
                }
                if (poll == seen.size()) {
                    break;
                }
                freshnessMillis.add(Math.max(0, (seen.get(poll)[0] - acks.get(k)) / 1_000_000));
                lastSeen = Math.max(lastSeen, seen.get(poll)[0]);
            }
        } else {
            for (Map.Entry<String, Long> acked : ackedNanos.entrySet()) {
                Long seen = seenNanos.get(acked.getKey());
                if (seen != null) {
                    freshnessMillis.add(Math.max(0, (seen - acked.getValue()) / 1_000_000));
                    lastSeen = Math.max(lastSeen, seen);
                }
            }
        }
        Collections.sort(freshnessMillis);
        List<Long> batches = new ArrayList<>(batchLatencyMicros);
        Collections.sort(batches);
        System.out.printf("events sent %d in %.1f s (%.0f events/s achieved), seen in Trino %d (missing %d)%n", sent, sendSeconds,
                sent / sendSeconds, freshnessMillis.size(), sent - freshnessMillis.size());
        System.out.printf("freshness ingest-200 -> visible in Trino (%s): p50 %d ms, p95 %d ms, max %d ms (poll every %d ms)%n",
                rollup ? "analytics.customer_margins" : "raw.events", percentile(freshnessMillis, 50), percentile(freshnessMillis, 95),
                freshnessMillis.isEmpty() ? -1 : freshnessMillis.get(freshnessMillis.size() - 1), POLL_MILLIS);
        System.out.printf("last event visible %d ms after the last acknowledgement%n", (lastSeen - lastAck) / 1_000_000);
        System.out.printf("ingest batch latency: p50 %.1f ms, p99 %.1f ms%n",
                percentile(batches, 50) / 1000.0, percentile(batches, 99) / 1000.0);
        StackMemory.main(new String[0]);
        if (freshnessMillis.size() < sent) {
            System.exit(1);
        }
    }

    private static long visible(boolean rollup, Map<String, Long> seenNanos, List<long[]> counts) {
        if (!rollup) {
            return seenNanos.size();
        }
        synchronized (counts) {
            return counts.isEmpty() ? 0 : counts.get(counts.size() - 1)[1];
        }
    }

    /** Records (asked at, events counted) each time the organisation's count in customer_margins grows. */
    private void pollRollup(String orgId, List<long[]> counts) {
        String sql = "SELECT coalesce(sum(events), 0) FROM marginal.analytics.customer_margins WHERE organization_id = ?";
        try (Connection trino = DriverManager.getConnection(trinoUrl, "platform", trinoPassword());
             PreparedStatement query = trino.prepareStatement(sql)) {
            query.setString(1, orgId);
            long last = 0;
            while (true) {
                long askedAt = System.nanoTime();
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    long count = rows.getLong(1);
                    if (count > last) {
                        counts.add(new long[] {askedAt, count});
                        last = count;
                    }
                }
                LockSupport.parkNanos(Duration.ofMillis(POLL_MILLIS).toNanos());
            }
        } catch (Exception e) {
            System.err.println("poller stopped: " + e);
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
