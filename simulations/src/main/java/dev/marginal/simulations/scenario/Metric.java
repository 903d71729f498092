package dev.marginal.simulations.scenario;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A figure of a variant's summary that the optimiser can maximise, minimise or bound. Money is
 * written in minor units in a scenario file, like every other amount there; percentages with their
 * {@code %}; counts as plain numbers.
 */
public enum Metric {
    REVENUE(Unit.MONEY),
    COST(Unit.MONEY),
    MARGIN(Unit.MONEY),
    /** margin over revenue */
    MARGIN_PCT(Unit.PERCENT),
    /** simulated revenue against actual */
    REVENUE_CHANGE(Unit.PERCENT),
    /** the largest increase of one customer's bill over the range; 0 when nobody pays more */
    MAX_BILL_INCREASE(Unit.PERCENT),
    CUSTOMERS_UP(Unit.COUNT),
    /** customers expected to leave by the churn curve (behaviour.churn) */
    EXPECTED_CHURN(Unit.COUNT),
    /** Monte Carlo percentiles (behaviour with churn or usage growth) */
    REVENUE_P5(Unit.MONEY),
    REVENUE_P50(Unit.MONEY),
    MARGIN_P5(Unit.MONEY),
    MARGIN_P50(Unit.MONEY);

    public enum Unit { MONEY, PERCENT, COUNT }

    private final Unit unit;

    Metric(Unit unit) {
        this.unit = unit;
    }

    public Unit unit() {
        return unit;
    }

    public boolean needsTrials() {
        return this == REVENUE_P5 || this == REVENUE_P50 || this == MARGIN_P5 || this == MARGIN_P50;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Metric fromWire(String text) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(text)).findFirst().orElse(null);
    }

    public static String names() {
        return Arrays.stream(values()).map(Metric::wireName).collect(Collectors.joining(", "));
    }
}
