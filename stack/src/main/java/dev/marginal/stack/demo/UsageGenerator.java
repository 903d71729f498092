package dev.marginal.stack.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a steady stream of LLM usage events to billing-core, as a merchant's app would.
 *
 * <p>Runs until stopped (the stack starts it as the {@code demo-generator} process and {@code down}
 * stops it) or for a given number of seconds. A failed request is logged and retried with the same
 * body: the events' external ids make the retry idempotent.
 */
public final class UsageGenerator {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI ingest;
    private final String token;

    public UsageGenerator(URI billingUrl, String token) {
        this.ingest = billingUrl.resolve("/v1/events/ingest");
        this.token = token;
    }

    /** Sends {@code eventsPerSecond} events a second in batches of {@code batchSize}; 0 seconds runs forever. */
    public void run(LlmUsage usage, int eventsPerSecond, int batchSize, long seconds) throws InterruptedException {
        long intervalNanos = Duration.ofSeconds(1).toNanos() * batchSize / Math.max(1, eventsPerSecond);
        long deadline = seconds > 0 ? System.nanoTime() + Duration.ofSeconds(seconds).toNanos() : Long.MAX_VALUE;
        long next = System.nanoTime();
        long sent = 0;
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            String body = usage.nextBatchJson(batchSize, Instant.now());
            sendWithRetry(body);
            sent += batchSize;
            if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                System.out.println(Instant.now() + " sent " + sent + " events");
                lastReport = System.nanoTime();
            }
            next += intervalNanos;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        System.out.println(Instant.now() + " done: sent " + sent + " events");
    }

    private void sendWithRetry(String body) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest)
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                System.err.println(Instant.now() + " ingest answered " + response.statusCode() + ": " + response.body());
                if (response.statusCode() < 500 && response.statusCode() != 429) {
                    return; // our own bug: retrying the same body cannot help
                }
            } catch (java.io.IOException e) {
                System.err.println(Instant.now() + " ingest failed (attempt " + attempt + "): " + e);
            }
            Thread.sleep(Math.min(10_000, 200L * attempt));
        }
    }

    /** {@code UsageGenerator <billing-url> <token-file> [events/s] [batch] [seconds] [seed]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: UsageGenerator <billing-url> <token-file> [events-per-second=20] [batch=10] [seconds=0] [seed]");
            System.exit(2);
        }
        String token = java.nio.file.Files.readString(java.nio.file.Path.of(args[1])).trim();
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        long seconds = args.length > 4 ? Long.parseLong(args[4]) : 0;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : System.nanoTime();
        int subscribed = new DemoCatalog(URI.create(args[0]), token).ensure();
        System.out.println("demo catalog: " + DemoCatalog.ACCOUNTS.size() + " customers on plans " + DemoCatalog.PRO + " and "
                + DemoCatalog.SCALE + " (" + subscribed + " subscribed now)");
        String runId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        System.out.println("sending ~" + rate + " LLM usage events/s to " + args[0] + " (external ids " + runId + "-N)");
        new UsageGenerator(URI.create(args[0]), token).run(new LlmUsage(seed, runId), rate, batch, seconds);
    }
}
