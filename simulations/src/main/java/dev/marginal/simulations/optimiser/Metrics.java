package dev.marginal.simulations.optimiser;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.marginal.simulations.engine.Percentiles;
import dev.marginal.simulations.engine.Summary;
import dev.marginal.simulations.scenario.Metric;

/** A metric's value in a variant's summary, in its reporting unit (money in major units, percent in %). */
public final class Metrics {

    private Metrics() {
    }

    /** Null when the summary cannot say (a margin % without revenue, percentiles without trials). */
    public static BigDecimal value(Metric metric, Summary s) {
        return switch (metric) {
            case REVENUE -> s.revenue();
            case COST -> s.cost();
            case MARGIN -> s.margin();
            case MARGIN_PCT -> s.marginPct();
            case REVENUE_CHANGE -> s.revenueDeltaPct();
            // Nobody pays more: the largest increase is none at all.
            case MAX_BILL_INCREASE -> s.maxIncreasePct() == null ? BigDecimal.ZERO : s.maxIncreasePct();
            case CUSTOMERS_UP -> BigDecimal.valueOf(s.customersUp());
            case EXPECTED_CHURN -> s.expectedChurn();
            case REVENUE_P5 -> percentile(s.revenueP(), true);
            case REVENUE_P50 -> percentile(s.revenueP(), false);
            case MARGIN_P5 -> percentile(s.marginP(), true);
            case MARGIN_P50 -> percentile(s.marginP(), false);
        };
    }

    private static BigDecimal percentile(Percentiles p, boolean p5) {
        return p == null ? null : p5 ? p.p5() : p.p50();
    }

    /** For reading: money to the cent with thousands separators, percentages to a tenth. */
    public static String format(Metric metric, BigDecimal value) {
        if (value == null) {
            return "n/a";
        }
        return switch (metric.unit()) {
            case MONEY -> String.format("%,.2f", value.setScale(2, RoundingMode.HALF_EVEN));
            case PERCENT -> value.setScale(1, RoundingMode.HALF_EVEN).toPlainString() + "%";
            case COUNT -> value.stripTrailingZeros().toPlainString();
        };
    }
}
