package dev.marginal.dashboard;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long Trino took to answer each panel's query, as the Prometheus histogram
 * {@code marginal_dashboard_query_seconds{panel}} served on {@code GET /metrics} (the time from sending
 * the query to its last row). A panel is named after its constant in {@link Panels}.
 */
final class PanelTimes {

    /** Upper bounds in seconds; the dashboard's objective is 1 s (issue 7, docs/BENCHMARKS.md). */
    static final double[] BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private static final Map<String, String> NAMES = panelNames();

    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, Double> sums = new HashMap<>();

    /** The {@link Panels} constant holding this SQL text, or "other". */
    static String panel(String sql) {
        return NAMES.getOrDefault(sql, "other");
    }

    synchronized void record(String panel, long nanos) {
        double seconds = nanos / 1e9;
        long[] c = counts.computeIfAbsent(panel, p -> new long[BUCKETS.length + 1]);
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                c[i]++;
            }
        }
        c[BUCKETS.length]++;
        sums.merge(panel, seconds, Double::sum);
    }

    synchronized String prometheus() {
        StringBuilder out = new StringBuilder()
                .append("# HELP marginal_dashboard_query_seconds Trino time of each dashboard panel's query\n")
                .append("# TYPE marginal_dashboard_query_seconds histogram\n");
        counts.forEach((panel, c) -> {
            for (int i = 0; i < BUCKETS.length; i++) {
                out.append(String.format(Locale.ROOT, "marginal_dashboard_query_seconds_bucket{panel=\"%s\",le=\"%s\"} %d%n",
                        panel, BUCKETS[i], c[i]));
            }
            out.append(String.format(Locale.ROOT, "marginal_dashboard_query_seconds_bucket{panel=\"%s\",le=\"+Inf\"} %d%n",
                    panel, c[BUCKETS.length]));
            out.append(String.format(Locale.ROOT, "marginal_dashboard_query_seconds_count{panel=\"%s\"} %d%n", panel, c[BUCKETS.length]));
            out.append(String.format(Locale.ROOT, "marginal_dashboard_query_seconds_sum{panel=\"%s\"} %s%n", panel, sums.get(panel)));
        });
        return out.toString();
    }

    private static Map<String, String> panelNames() {
        Map<String, String> names = new HashMap<>();
        Panels.byName().forEach((name, sql) -> names.put(sql, name));
        return Map.copyOf(names);
    }
}
