package dev.marginal.simulations.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.marginal.pricing.price.FixedPrice;
import dev.marginal.pricing.price.Price;

/**
 * A plan in force for a period: a base fee, a price per meter, and two plan-level terms the
 * pricing engine leaves to the invoice — a usage credit and a minimum commitment.
 *
 * <p>A period's bill = base fee + Σ meter lines − credit (only against usage, never below zero
 * usage) and then topped up to the minimum. Each line comes from the pricing engine, rounded once.
 *
 * @param baseFee monthly fee, or {@code null} for none
 * @param credit minor units of usage credit each period (Orb's and Lago's recurring credits)
 * @param minimum minor units: a bill below it is raised to it (Orb's minimum, Lago's minimum commitment)
 * @param prices meter name → price; a meter without a price is not billed on this plan
 */
public record Plan(String name, FixedPrice baseFee, long credit, long minimum, Map<String, Price> prices) {

    public Plan {
        prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }
}
