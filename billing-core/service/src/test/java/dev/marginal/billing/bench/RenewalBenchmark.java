package dev.marginal.billing.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.marginal.billing.BillingApplication;
import dev.marginal.billing.http.JsonBody;
import dev.marginal.billing.subscription.MutableClock;
import dev.marginal.billing.subscription.RenewalScheduler;
import dev.marginal.billing.subscription.Subscriptions;
import dev.marginal.stack.PostgresServer;

/**
 * The renewal benchmark (docs/BENCHMARKS.md, "Renewal sweep"); run it with {@code bench/renewal/run.sh}.
 * Starts its own PostgreSQL (port 25462 unless {@code --pg-port}) and the service in this JVM with a
 * movable clock; creates {@code --subscriptions} monthly subscriptions over HTTP (each paid, with its
 * first order), moves the clock past their period end, and times {@link RenewalScheduler#sweep}'s work:
 * each batch of {@link Subscriptions#renew} (one transaction: lock, price, order, payment, ledger).
 * Then checks every subscription was renewed exactly once (one cycle order each).
 */
public final class RenewalBenchmark {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestConfiguration
    static class BenchClock {
        @Bean
        @Primary
        MutableClock benchClock() {
            return new MutableClock(START);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = 10_000;
        int pgPort = 25462;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--subscriptions" -> n = Integer.parseInt(args[i + 1]);
                case "--pg-port" -> pgPort = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Path.of("billing-core/service/target/renewal-bench").toAbsolutePath();
        String platformToken = UUID.randomUUID().toString();
        try (PostgresServer postgres = PostgresServer.startForTests(work.resolve("pg"), pgPort);
             ConfigurableApplicationContext app = new SpringApplicationBuilder(BillingApplication.class, BenchClock.class)
                     // arguments, not default properties: they must win over application.properties
                     .run("--spring.datasource.url=" + postgres.jdbcUrl("marginal"),
                             "--spring.datasource.username=" + PostgresServer.USER,
                             "--spring.datasource.password=" + PostgresServer.PASSWORD,
                             "--marginal.platform.token=" + platformToken, "--marginal.renewal.enabled=false",
                             "--server.port=0", "--logging.level.dev.marginal.billing.request=warn")) {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                    + Files.readString(Path.of("/proc/loadavg")).trim());
            String token = field(call(base, "POST", "/v1/platform/organizations", platformToken,
                    "{\"name\":\"Bench\",\"slug\":\"bench-renewal\"}", 201), "token");
            String product = field(call(base, "POST", "/v1/products/", token, """
                    {"name":"Pro","recurring_interval":"month","prices":[
                      {"amount_type":"fixed","price_currency":"usd","price_amount":2000}]}""", 201), "id");
            long created = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String external = "cus_" + i;
                jobs.add(pool.submit(() -> {
                    call(base, "POST", "/v1/customers/", token,
                            "{\"email\":\"" + external + "@example.com\",\"external_id\":\"" + external + "\"}", 201);
                    return call(base, "POST", "/v1/subscriptions/", token, "{\"product_id\":\"" + product
                            + "\",\"external_customer_id\":\"" + external + "\"}", 201);
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
            pool.shutdown();
            System.out.printf("set-up: %,d customers and paid subscriptions over HTTP in %.1f s%n", n,
                    (System.nanoTime() - created) / 1e9);

            // One month on: every subscription's first period (1 March - 1 April) has ended.
            app.getBean(MutableClock.class).set(Instant.parse("2026-04-01T10:00:01Z"));
            Subscriptions subscriptions = app.getBean(Subscriptions.class);
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            jdbc.sql("VACUUM ANALYZE").update();
            List<Long> batchNanos = new ArrayList<>();
            List<Long> batchStartMillis = new ArrayList<>();
            int renewed = 0;
            int moved;
            long sweepStart = System.nanoTime();
            do { // RenewalScheduler.sweep, with each batch timed
                batchStartMillis.add(System.currentTimeMillis());
                long t = System.nanoTime();
                moved = subscriptions.renew(app.getBean(MutableClock.class).instant());
                batchNanos.add(System.nanoTime() - t);
                renewed += moved;
            } while (moved == Subscriptions.batchSize());
            double seconds = (System.nanoTime() - sweepStart) / 1e9;
            List<Long> perRenewal = perRenewalMillis(jdbc, batchStartMillis);

            long cycleOrders = jdbc.sql("SELECT count(*) FROM orders WHERE billing_reason = 'subscription_cycle'")
                    .query(Long.class).single();
            long paid = jdbc.sql("SELECT count(*) FROM orders WHERE billing_reason = 'subscription_cycle' AND status = 'paid'")
                    .query(Long.class).single();
            if (renewed != n || cycleOrders != n || paid != n) {
                throw new IllegalStateException("renewed " + renewed + ", cycle orders " + cycleOrders + ", paid "
                        + paid + " of " + n);
            }
            Collections.sort(batchNanos);
            System.out.printf("sweep: %,d renewals in %.2f s = %.0f renewals/s; %d batches of up to %d;"
                            + " batch p50 %.0f ms, p99 %.0f ms, max %.0f ms; mean per renewal %.2f ms%n",
                    renewed, seconds, renewed / seconds, batchNanos.size(), Subscriptions.batchSize(),
                    pct(batchNanos, 0.50), pct(batchNanos, 0.99), batchNanos.get(batchNanos.size() - 1) / 1e6,
                    seconds * 1000 / renewed);
            System.out.printf("per renewal (from the audit rows' UUIDv7 milliseconds, 1 ms resolution): p50 %d ms,"
                            + " p99 %d ms, max %d ms over %,d renewals%n", perRenewal.get(perRenewal.size() / 2),
                    perRenewal.get((int) Math.ceil(0.99 * perRenewal.size()) - 1), perRenewal.get(perRenewal.size() - 1),
                    perRenewal.size());
            System.out.printf("a book of 100,000 subscriptions renewing on the 1st would take %.1f minutes at this rate%n",
                    100_000 / (renewed / seconds) / 60);
        }
    }

    /**
     * Each renewal's own time inside its batch's transaction: renewals run one after another and each ends
     * with its {@code subscription.renewed} audit row, whose UUIDv7 id carries the wall-clock millisecond it
     * was written; a renewal took from the previous one's row (or its batch's start) to its own.
     */
    private static List<Long> perRenewalMillis(JdbcClient jdbc, List<Long> batchStartMillis) {
        List<Long> written = new ArrayList<>(jdbc.sql("SELECT id FROM audit_events WHERE action = 'subscription.renewed'")
                .query(UUID.class).list().stream().map(id -> id.getMostSignificantBits() >>> 16).toList());
        Collections.sort(written);
        List<Long> durations = new ArrayList<>();
        int batch = 0;
        long previous = batchStartMillis.get(0);
        for (long at : written) {
            while (batch + 1 < batchStartMillis.size() && at >= batchStartMillis.get(batch + 1)) {
                batch++;
                previous = batchStartMillis.get(batch);
            }
            durations.add(at - previous);
            previous = at;
        }
        Collections.sort(durations);
        return durations;
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
    }

    private static String field(String json, String name) {
        return JsonBody.MAPPER.readTree(json).get(name).stringValue();
    }

    private static String call(String base, String method, String path, String token, String body, int expected)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
