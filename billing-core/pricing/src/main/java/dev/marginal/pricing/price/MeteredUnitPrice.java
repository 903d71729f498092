package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Require;

/**
 * Polar's {@code metered_unit} price: {@code unitAmount} minor units (up to 12 decimals, e.g.
 * 0.000125 cents per token) for each unit of a meter's period total beyond {@code includedUnits},
 * never more than {@code capAmount} minor units a period when a cap is set.
 *
 * <p>The cap bounds the exact amount before rounding, so a capped line is exactly the cap.
 *
 * @param capAmount minor units, or {@code null} for no cap (Polar's {@code cap_amount})
 * @param includedUnits the free allowance per period; zero when there is none
 */
public record MeteredUnitPrice(Currency currency, BigDecimal unitAmount, Long capAmount, BigDecimal includedUnits)
        implements Price {

    public MeteredUnitPrice {
        Require.currency(currency, "price_currency");
        Require.minorAmount(unitAmount, "unit_amount");
        if (capAmount != null) {
            Require.nonNegative(capAmount, "cap_amount");
        }
        includedUnits = includedUnits == null ? BigDecimal.ZERO : Require.nonNegative(includedUnits, "included_units");
    }

    /** No cap, no allowance. */
    public MeteredUnitPrice(Currency currency, BigDecimal unitAmount) {
        this(currency, unitAmount, null, BigDecimal.ZERO);
    }

    @Override
    public String type() {
        return "metered_unit";
    }

    @Override
    public Billing billing() {
        return Billing.IN_ARREARS;
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        BigDecimal billable = Require.quantity(quantity).subtract(includedUnits).max(BigDecimal.ZERO);
        BigDecimal amount = billable.multiply(unitAmount);
        return capAmount == null ? amount : amount.min(BigDecimal.valueOf(capAmount));
    }
}
