package dev.marginal.pipelines.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftMetricsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final Instant FINISHED = Instant.parse("2026-11-24T03:00:00Z");

    @Test
    void everyFigureComparedHasADriftLineInMinorUnitsOfItsCurrency() {
        Figure revenueA = new Figure("org-a", DAY, "revenue_usd");
        Figure revenueB = new Figure("org-b", DAY, "revenue_usd");
        Figure cost = new Figure("org-a", DAY, "llm_cost_usd");
        Figure events = new Figure("org-a", DAY, "events");
        Figure yen = new Figure("org-a", DAY, "fees_jpy");
        Map<Figure, java.math.BigDecimal> truth = Map.of(revenueA, new BigDecimal("29.00"), revenueB, new BigDecimal("10.00"),
                cost, new BigDecimal("0.125"), events, new BigDecimal("900"), yen, new BigDecimal("300"));
        // a cent missing for org-a and two for org-b; cost off by a millionth of a dollar; one event counted twice
        List<Difference> differences = List.of(
                new Difference(revenueA, new BigDecimal("29.00"), new BigDecimal("28.99")),
                new Difference(revenueB, new BigDecimal("10.00"), new BigDecimal("10.02")),
                new Difference(cost, new BigDecimal("0.125"), new BigDecimal("0.125001")),
                new Difference(events, new BigDecimal("900"), new BigDecimal("901")));

        String text = DriftMetrics.render(truth, differences, FINISHED);

        assertThat(text).contains(
                "marginal_reconcile_drift_minor_units{metric=\"revenue\",currency=\"usd\"} 3\n",
                "marginal_reconcile_drift_minor_units{metric=\"llm_cost\",currency=\"usd\"} 0.0001\n",
                "marginal_reconcile_drift_minor_units{metric=\"events\",currency=\"\"} 1\n",
                "marginal_reconcile_drift_minor_units{metric=\"fees\",currency=\"jpy\"} 0\n",
                "marginal_reconcile_differences 4\n",
                "marginal_reconcile_last_success_timestamp_seconds 1795489200\n");
        assertThat(text.lines().filter(l -> l.startsWith("marginal_reconcile_drift_minor_units{"))).hasSize(4);
    }

    @Test
    void aFigureNameIsItsStemAndAnIsoCurrency() {
        assertThat(DriftMetrics.currency("order_tax_eur")).isEqualTo("eur");
        assertThat(DriftMetrics.stem("order_tax_eur")).isEqualTo("order_tax");
        assertThat(DriftMetrics.currency("cost_rows")).isEmpty();
        assertThat(DriftMetrics.currency("llm_events")).isEmpty();
        assertThat(DriftMetrics.stem("llm_events")).isEqualTo("llm_events");
    }

    @Test
    void theFileIsReplacedWhole(@TempDir Path home) throws Exception {
        DriftMetrics.write(home, "marginal_reconcile_differences 1\n");
        DriftMetrics.write(home, "marginal_reconcile_differences 0\n");
        assertThat(Files.readString(home.resolve("metrics/reconcile.prom"))).isEqualTo("marginal_reconcile_differences 0\n");
        try (var files = Files.list(home.resolve("metrics"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("reconcile.prom");
        }
    }
}
