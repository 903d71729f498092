package dev.marginal.bench.scale;

import dev.marginal.stack.StackConfig;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds the scale data set in a running stack (bin/marginal up, CDC and the Flink job stopped:
 * see bench/scale/run.sh): the warehouse tables through Iceberg Java and billing-core's tables
 * through COPY, at the same time (each mostly keeps one core busy: this JVM writing Parquet,
 * PostgreSQL taking the COPY).
 *
 * <pre>ScaleLoad [--events 50000000] [--orgs 1000] [--customers 50000] [--days 90] [--last-day today]
 *           [--seed 1] [--usage-costs] [--only iceberg|postgres]</pre>
 * {@code --only iceberg} still writes the organisations into PostgreSQL, for analyst logins.
 */
public final class ScaleLoad {

    private ScaleLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = arguments(args);
        ScaleData data = data(a);
        StackConfig config = StackConfig.fromEnvironment();
        String only = a.getOrDefault("only", "");
        System.out.printf("scale data set: %,d events over %d days (%s..%s), %d organisations, %,d customers; biggest org %,d customers%n",
                data.totalEvents, data.days, data.firstDay, data.lastDay, data.organisations.size(), data.totalCustomers,
                data.organisations.get(0).customers());
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> iceberg = pool.submit(() -> {
            if (!only.equals("postgres")) {
                new IcebergLoader(data, config, a.containsKey("usage-costs")).load();
            }
            return null;
        });
        Future<?> postgres = pool.submit(() -> {
            if (!only.equals("iceberg")) {
                new PostgresLoader(data, config).load();
            } else {
                new PostgresLoader(data, config).loadOrganisations();
            }
            return null;
        });
        try {
            iceberg.get();
            postgres.get();
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("scale data set built in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
    }

    static ScaleData data(Map<String, String> a) {
        return new ScaleData(
                Long.parseLong(a.getOrDefault("events", "50000000")),
                Integer.parseInt(a.getOrDefault("orgs", "1000")),
                Integer.parseInt(a.getOrDefault("customers", "50000")),
                Integer.parseInt(a.getOrDefault("days", "90")),
                a.containsKey("last-day") ? LocalDate.parse(a.get("last-day")) : LocalDate.now(ZoneOffset.UTC),
                Long.parseLong(a.getOrDefault("seed", "1")));
    }

    static Map<String, String> arguments(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                a.put(name, args[++i]);
            } else {
                a.put(name, "true");
            }
        }
        return a;
    }
}
