package dev.marginal.pipelines.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last whole reconciliation (every organisation) as Prometheus text, in node_exporter's
 * textfile-collector format, so the reconciliation SLO's rules ({@code deploy/slo/reconciliation.rules.yml})
 * and {@code bin/marginal status} read what it found:
 * <ul>
 *   <li>{@code marginal_reconcile_drift_minor_units{metric, currency}}: the sum over organisations
 *       and days of |billing-core − warehouse| for each figure ({@code revenue}, {@code cost},
 *       {@code fees}, …), in minor units of its currency (fractions of a cent for LLM cost, which
 *       is exact to 12 decimals of the major unit); for counts ({@code events}, …) the count, and
 *       {@code currency=""}. Every figure compared has a line, 0 when it agrees;
 *   <li>{@code marginal_reconcile_differences}: how many (organisation, day, figure) differ;
 *   <li>{@code marginal_reconcile_last_success_timestamp_seconds}: when the run finished comparing.
 * </ul>
 * A run for one organisation proves nothing about the others, so it writes nothing here.
 */
final class DriftMetrics {

    /** Where the file goes under {@code $MARGINAL_HOME} (a textfile collector can read the folder). */
    static final String FILE = "metrics/reconcile.prom";
    static final String DRIFT = "marginal_reconcile_drift_minor_units";
    static final String DIFFERENCES = "marginal_reconcile_differences";
    static final String LAST_SUCCESS = "marginal_reconcile_last_success_timestamp_seconds";

    private DriftMetrics() {
    }

    static String render(Map<Figure, BigDecimal> truth, List<Difference> differences, Instant finishedAt) {
        Map<String, BigDecimal> drift = new TreeMap<>();
        for (Figure figure : truth.keySet()) {
            drift.putIfAbsent(figure.metric(), BigDecimal.ZERO);
        }
        for (Difference difference : differences) {
            String metric = difference.figure().metric();
            drift.merge(metric, minorUnits(metric, difference.delta().abs()), BigDecimal::add);
        }
        StringBuilder out = new StringBuilder();
        out.append("# HELP ").append(DRIFT).append(" |billing-core - warehouse| per figure at the last whole reconcile,")
                .append(" in minor units of its currency (counts for count figures)\n")
                .append("# TYPE ").append(DRIFT).append(" gauge\n");
        drift.forEach((metric, value) -> out.append(DRIFT).append("{metric=\"").append(stem(metric))
                .append("\",currency=\"").append(currency(metric)).append("\"} ").append(value.stripTrailingZeros().toPlainString())
                .append('\n'));
        out.append("# HELP ").append(DIFFERENCES).append(" (organisation, day, figure) that differed at the last whole reconcile\n")
                .append("# TYPE ").append(DIFFERENCES).append(" gauge\n")
                .append(DIFFERENCES).append(' ').append(differences.size()).append('\n')
                .append("# HELP ").append(LAST_SUCCESS).append(" when the last whole reconcile finished comparing\n")
                .append("# TYPE ").append(LAST_SUCCESS).append(" gauge\n")
                .append(LAST_SUCCESS).append(' ').append(finishedAt.getEpochSecond()).append('\n');
        return out.toString();
    }

    /** Replaces the file in one move, so a scraper never reads half of it. */
    static void write(Path home, String text) {
        Path file = home.resolve(FILE);
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** {@code llm_cost_usd} → {@code usd}; a count figure has none. */
    static String currency(String metric) {
        int cut = metric.lastIndexOf('_');
        if (cut < 0 || metric.length() - cut != 4) {
            return "";
        }
        String code = metric.substring(cut + 1);
        try {
            Currency.getInstance(code.toUpperCase(java.util.Locale.ROOT));
            return code;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static String stem(String metric) {
        String currency = currency(metric);
        return currency.isEmpty() ? metric : metric.substring(0, metric.length() - currency.length() - 1);
    }

    private static BigDecimal minorUnits(String metric, BigDecimal major) {
        String currency = currency(metric);
        if (currency.isEmpty()) {
            return major;
        }
        int digits = Math.max(0, Currency.getInstance(currency.toUpperCase(java.util.Locale.ROOT)).getDefaultFractionDigits());
        return major.movePointRight(digits);
    }
}
