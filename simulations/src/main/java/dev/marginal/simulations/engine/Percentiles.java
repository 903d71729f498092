package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.util.Arrays;

/** P5, P50 and P95 of a Monte Carlo quantity, in major units. Nearest-rank percentiles. */
public record Percentiles(BigDecimal p5, BigDecimal p50, BigDecimal p95) {

    /** {@code values} in units of {@code 10^-scale} major units; sorted in place. */
    static Percentiles of(long[] values, int scale) {
        Arrays.sort(values);
        return new Percentiles(rank(values, 5, scale), rank(values, 50, scale), rank(values, 95, scale));
    }

    private static BigDecimal rank(long[] sorted, int percent, int scale) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return BigDecimal.valueOf(sorted[Math.max(0, index)], scale);
    }
}
