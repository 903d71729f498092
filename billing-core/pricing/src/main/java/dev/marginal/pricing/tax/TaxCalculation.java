package dev.marginal.pricing.tax;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.Require;

/**
 * The tax arithmetic, rounding once per amount, half-even, through {@link Money}:
 *
 * <pre>
 * exclusive:  tax = round(net × rate / 100)            gross = net + tax
 * inclusive:  net = round(gross × 100 / (100 + rate))  tax   = gross − net
 * </pre>
 *
 * The inclusive case derives the tax by subtraction rather than rounding it separately, so that
 * net + tax is the sticker price exactly; rounding both would leave a cent over or short.
 */
public final class TaxCalculation {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private TaxCalculation() {
    }

    /** Splits {@code amount} (net when exclusive, gross when inclusive) into net, tax and gross. */
    public static TaxedAmount of(Money amount, TaxBehavior behavior, TaxDecision decision) {
        Require.present(amount, "amount");
        Require.present(behavior, "tax_behavior");
        Require.present(decision, "tax_decision");
        BigDecimal percent = decision.rate().percent();
        if (behavior == TaxBehavior.EXCLUSIVE) {
            BigDecimal exactTax = BigDecimal.valueOf(amount.minorUnits()).multiply(decision.rate().fraction());
            Money tax = Money.ofMinor(exactTax, amount.currency());
            return new TaxedAmount(amount, tax, amount.plus(tax), decision);
        }
        Money net = Money.ofMinor(BigDecimal.valueOf(amount.minorUnits()).multiply(HUNDRED), HUNDRED.add(percent),
                amount.currency());
        return new TaxedAmount(net, amount.minus(net), amount, decision);
    }
}
