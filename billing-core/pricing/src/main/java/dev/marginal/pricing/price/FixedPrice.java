package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Require;

/**
 * A recurring fee of {@code amount} minor units per unit per period, billed in advance — Polar's
 * {@code fixed} price on a recurring product, Stripe's licensed price. The quantity is a whole
 * number of seats (1 for a plain plan).
 */
public record FixedPrice(Currency currency, long amount, Recurrence recurrence) implements Price {

    public FixedPrice {
        Require.currency(currency, "price_currency");
        Require.nonNegative(amount, "price_amount");
        Require.present(recurrence, "recurring_interval");
    }

    @Override
    public String type() {
        return "fixed";
    }

    @Override
    public Billing billing() {
        return Billing.IN_ADVANCE;
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        return Require.wholeQuantity(quantity).multiply(BigDecimal.valueOf(amount));
    }
}
