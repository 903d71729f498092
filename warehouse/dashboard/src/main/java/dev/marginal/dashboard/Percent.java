package dev.marginal.dashboard;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** A ratio of two amounts in minor units as a percentage with one decimal, e.g. 61.5%. */
final class Percent {

    private Percent() {}

    /** {@code part / whole}, half-even at a tenth of a percent; empty when {@code whole} is zero. */
    static Optional<String> of(long part, long whole) {
        if (whole == 0) {
            return Optional.empty();
        }
        BigDecimal percent = BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_EVEN);
        return Optional.of(percent.toPlainString() + "%");
    }
}
