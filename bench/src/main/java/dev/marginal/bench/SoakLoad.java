package dev.marginal.bench;

import dev.marginal.stack.demo.LlmUsage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Usage events sent to {@code POST /v1/events/ingest} the way a careful client sends them: each
 * batch keeps its events' {@code external_id}s across retries, so a batch retried after a lost
 * answer (the service killed mid-request, a 503) comes back as {@code duplicates}, never as new
 * events. Every attempt is counted, whatever became of it.
 */
final class SoakLoad {

    private static final Pattern INSERTED = Pattern.compile("\"inserted\"\\s*:\\s*(\\d+)");
    private static final Pattern DUPLICATES = Pattern.compile("\"duplicates\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI ingest;
    private final String token;
    private final LlmUsage usage;

    // every attempt
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong ok2xx = new AtomicLong();
    final AtomicLong client4xx = new AtomicLong();
    final AtomicLong server5xx = new AtomicLong();
    final AtomicLong unanswered = new AtomicLong(); // refused, reset, timed out: nobody answered
    // batches and events
    final AtomicLong batches = new AtomicLong();
    final AtomicLong batchesRetried = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong inserted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    private final List<Long> answeredMicros = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> batchMicros = Collections.synchronizedList(new ArrayList<>());

    SoakLoad(String billingUrl, String token, String runId) {
        this.ingest = URI.create(billingUrl + "/v1/events/ingest");
        this.token = token;
        this.usage = new LlmUsage(11, runId);
    }

    /** Closed loop: {@code clients} threads send batches back to back for {@code length}; returns events/s accepted. */
    double capacity(int clients, int batchSize, Duration length) throws InterruptedException {
        long before = inserted.get();
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    send(nextBatch(batchSize), System.nanoTime(), end);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(length.toSeconds() + 300, TimeUnit.SECONDS);
        return (inserted.get() - before) * 1e9 / (System.nanoTime() - start);
    }

    /**
     * Open loop: a batch is due every {@code batchSize / rate} seconds whether or not earlier ones
     * were answered, handed to {@code clients} senders; a batch's time runs from when it was due,
     * so time spent queued behind a dead service counts. Returns once every batch is accepted.
     */
    void steady(double eventsPerSecond, int batchSize, int clients, Duration length) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long interval = (long) (1e9 * batchSize / eventsPerSecond);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long giveUp = end + Duration.ofMinutes(10).toNanos();
        for (long due = start; due < end; due += interval) {
            LockSupport.parkNanos(due - System.nanoTime());
            String batch = nextBatch(batchSize);
            long dueAt = due;
            pool.submit(() -> send(batch, dueAt, giveUp));
        }
        pool.shutdown();
        pool.awaitTermination(15, TimeUnit.MINUTES);
    }

    private synchronized String nextBatch(int size) {
        events.addAndGet(size);
        batches.incrementAndGet();
        return usage.nextBatchJson(size, Instant.now());
    }

    /** One batch until it is accepted (or {@code giveUpAt}), backing off 0.2 s → 2 s between attempts. */
    private void send(String body, long dueAt, long giveUpAt) {
        long backoff = 200;
        boolean retried = false;
        while (true) {
            attempts.incrementAndGet();
            long sentAt = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                answeredMicros.add((now - sentAt) / 1_000);
                int status = response.statusCode();
                if (status / 100 == 2) {
                    ok2xx.incrementAndGet();
                    inserted.addAndGet(field(INSERTED, response.body()));
                    duplicates.addAndGet(field(DUPLICATES, response.body()));
                    batchMicros.add((now - dueAt) / 1_000);
                    return;
                }
                (status >= 500 ? server5xx : client4xx).incrementAndGet();
                if (status < 500 && status != 429) {
                    throw new IllegalStateException("ingest refused a batch (" + status + "): " + response.body());
                }
            } catch (IOException e) {
                unanswered.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!retried) {
                retried = true;
                batchesRetried.incrementAndGet();
            }
            if (System.nanoTime() > giveUpAt) {
                return; // counted as sent and never accepted: the report shows it
            }
            LockSupport.parkNanos(Duration.ofMillis(backoff).toNanos());
            backoff = Math.min(2_000, backoff * 2);
        }
    }

    private static long field(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    long batchesAccepted() {
        return batchMicros.size();
    }

    /** Percentile {@code p} of answered attempts' latency, in ms. */
    double answeredMillis(double p) {
        return percentile(answeredMicros, p) / 1000.0;
    }

    /** Percentile {@code p} of a batch's time from due to accepted, retries and queueing included, in ms. */
    double batchMillis(double p) {
        return percentile(batchMicros, p) / 1000.0;
    }

    void resetLatencies() {
        answeredMicros.clear();
        batchMicros.clear();
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return -1;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
