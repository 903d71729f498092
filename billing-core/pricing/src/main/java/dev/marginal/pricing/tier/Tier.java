package dev.marginal.pricing.tier;

import java.math.BigDecimal;

import dev.marginal.pricing.Require;

/**
 * One tier: quantities in {@code (from, upTo]} cost {@code unitAmount} minor units each, plus a
 * {@code flatAmount} once if any quantity reaches the tier (Stripe's {@code up_to},
 * {@code unit_amount_decimal} and {@code flat_amount_decimal}). {@code upTo == null} is the
 * unbounded last tier ("inf" in Stripe's API).
 *
 * <p>Ranges are half-open at the bottom because meters sum decimals: Lago's integer ranges 0–10,
 * 11–20 leave 10.5 in no tier, {@code (10, 20]} leaves nothing out. {@code upTo} is inclusive as in
 * Stripe: 10 units on a tier "up to 10" stay in that tier. Whether the tiers fit together
 * (contiguous, ascending, last one unbounded) is {@link Tiers}' check, which knows each index.
 *
 * @param unitAmount minor units per unit, up to 12 decimals
 * @param flatAmount minor units, up to 12 decimals; zero when the tier has no flat fee
 */
public record Tier(BigDecimal from, BigDecimal upTo, BigDecimal unitAmount, BigDecimal flatAmount) {

    public Tier {
        Require.nonNegative(from, "from");
        Require.minorAmount(unitAmount, "unit_amount");
        flatAmount = flatAmount == null ? BigDecimal.ZERO : Require.minorAmount(flatAmount, "flat_amount");
    }

    public boolean isUnbounded() {
        return upTo == null;
    }

    /** Whether a period's quantity reaches into this tier (so its flat fee is due). */
    boolean isReachedBy(BigDecimal quantity) {
        return quantity.compareTo(from) > 0;
    }

    /** Whether {@code quantity} falls in {@code (from, upTo]}. */
    boolean contains(BigDecimal quantity) {
        return isReachedBy(quantity) && (upTo == null || quantity.compareTo(upTo) <= 0);
    }

    /** How much of {@code quantity} lies in this tier. */
    BigDecimal portionOf(BigDecimal quantity) {
        if (!isReachedBy(quantity)) {
            return BigDecimal.ZERO;
        }
        BigDecimal top = upTo == null ? quantity : quantity.min(upTo);
        return top.subtract(from);
    }

    /** Exact minor units for {@code units} of this tier, its flat fee included. */
    BigDecimal charge(BigDecimal units) {
        return units.multiply(unitAmount).add(flatAmount);
    }
}
