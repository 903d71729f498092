package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Require;
import dev.marginal.pricing.tier.Tiers;

/**
 * Stripe's {@code tiers_mode=volume}: the whole quantity pays the rate of the tier it ends in,
 * plus that tier's flat fee. Unlike graduated, the total can drop when the quantity crosses into a
 * cheaper tier — that is the point of a volume discount, not a bug.
 */
public record VolumePrice(Currency currency, Tiers tiers) implements Price {

    public VolumePrice {
        Require.currency(currency, "price_currency");
        Require.present(tiers, "tiers");
    }

    @Override
    public String type() {
        return "volume";
    }

    @Override
    public Billing billing() {
        return Billing.IN_ARREARS;
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        return tiers.volumeAmount(quantity);
    }
}
