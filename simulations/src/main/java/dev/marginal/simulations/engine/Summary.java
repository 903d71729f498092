package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * One variant over the whole range, all customers: money in major units of {@code currency}.
 *
 * @param revenueDeltaPct simulated revenue against actual revenue, in percent (null when actual is zero)
 * @param marginPct margin over simulated revenue, in percent (null when revenue is zero)
 * @param expectedChurn customers expected to leave (sum of their churn probabilities); 0 without assumptions
 * @param revenueP Monte Carlo revenue percentiles, or null without behaviour assumptions
 * @param marginP Monte Carlo margin percentiles, or null without behaviour assumptions
 */
public record Summary(String variant, Currency currency, BigDecimal actualRevenue, BigDecimal revenue,
                      BigDecimal revenueDeltaPct, BigDecimal actualCost, BigDecimal cost, BigDecimal margin,
                      BigDecimal marginPct, int customersUp, int customersDown, BigDecimal maxIncreasePct,
                      BigDecimal expectedChurn, Percentiles revenueP, Percentiles marginP) {
}
