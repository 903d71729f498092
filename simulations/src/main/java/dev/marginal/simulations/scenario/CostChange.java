package dev.marginal.simulations.scenario;

import java.math.BigDecimal;

import dev.marginal.pricing.llm.ModelPrice;

/**
 * A change to what serving the usage costs. Applied in the order the variant lists them, to each
 * (customer, period, model) cost row of the history; rows no change matches keep their recorded cost.
 */
public sealed interface CostChange {

    /** The vendor charges {@code price} for {@code vendor/model}: the row is re-costed from its tokens. */
    record VendorPrice(String vendor, String model, ModelPrice price) implements CostChange {
    }

    /**
     * {@code share} (0..1) of {@code from}'s traffic moves to {@code to}, costed at {@code toPrice}
     * from the same tokens; the rest keeps its cost.
     */
    record Substitution(String fromVendor, String fromModel, String toVendor, String toModel, BigDecimal share,
                        ModelPrice toPrice) implements CostChange {
    }

    /** A negotiated volume discount of {@code percent} on a vendor's models ({@code model} null = all). */
    record Discount(String vendor, String model, BigDecimal percent) implements CostChange {
    }
}
