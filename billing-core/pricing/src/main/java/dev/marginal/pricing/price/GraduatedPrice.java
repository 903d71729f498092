package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Require;
import dev.marginal.pricing.tier.Tiers;

/**
 * Stripe's {@code tiers_mode=graduated}: each portion of the quantity pays the rate of the tier
 * it lies in, like income tax brackets. A free allowance is a first tier with unit amount 0.
 */
public record GraduatedPrice(Currency currency, Tiers tiers) implements Price {

    public GraduatedPrice {
        Require.currency(currency, "price_currency");
        Require.present(tiers, "tiers");
    }

    @Override
    public String type() {
        return "graduated";
    }

    @Override
    public Billing billing() {
        return Billing.IN_ARREARS;
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        return tiers.graduatedAmount(quantity);
    }
}
