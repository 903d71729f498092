package dev.marginal.pipelines.reconcile;

import java.math.BigDecimal;

/** A figure on which billing-core and the warehouse disagree; a side that has no row counts as zero. */
public record Difference(Figure figure, BigDecimal billing, BigDecimal warehouse) {

    public BigDecimal delta() {
        return warehouse.subtract(billing);
    }
}
