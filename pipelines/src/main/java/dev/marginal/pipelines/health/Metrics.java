package dev.marginal.pipelines.health;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The few figures a runner exposes on {@code GET /metrics}, in Prometheus text format.
 *
 * <p>One registry per JVM: the Flink mini-cluster runs the operators in the runner's own process,
 * so they count into the same registry the health server reads. On a Flink cluster the operators
 * also report through Flink's own metric groups.
 */
public final class Metrics {

    private static final Metrics GLOBAL = new Metrics();

    private final Map<String, Counter> counters = new ConcurrentSkipListMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentSkipListMap<>();
    private final Map<String, ObservedCounter> observedCounters = new ConcurrentSkipListMap<>();

    public static Metrics global() {
        return GLOBAL;
    }

    public Counter counter(String name, String help) {
        return counters.computeIfAbsent(name, n -> new Counter(help, new AtomicLong()));
    }

    public void gauge(String name, String help, DoubleSupplier value) {
        gauges.put(name, new Gauge(help, value));
    }

    /**
     * A counter whose value another system keeps (Flink's checkpoint count, say): read at each
     * scrape, typed {@code counter} so {@code rate()} and {@code increase()} apply.
     */
    public void counter(String name, String help, LongSupplier value) {
        observedCounters.put(name, new ObservedCounter(help, value));
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        counters.forEach((name, c) -> out.append("# HELP ").append(name).append(' ').append(c.help()).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(c.get()).append('\n'));
        observedCounters.forEach((name, c) -> out.append("# HELP ").append(name).append(' ').append(c.help()).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(c.value().getAsLong()).append('\n'));
        gauges.forEach((name, g) -> {
            double v = g.value().getAsDouble();
            out.append("# HELP ").append(name).append(' ').append(g.help()).append('\n')
                    .append("# TYPE ").append(name).append(" gauge\n")
                    .append(name).append(' ').append(Double.isNaN(v) ? "NaN" : formatted(v)).append('\n');
        });
        return out.toString();
    }

    private static String formatted(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    public record Counter(String help, AtomicLong value) {
        public void add(long n) {
            value.addAndGet(n);
        }

        public void increment() {
            value.incrementAndGet();
        }

        public long get() {
            return value.get();
        }
    }

    private record Gauge(String help, DoubleSupplier value) {
    }

    private record ObservedCounter(String help, LongSupplier value) {
    }
}
