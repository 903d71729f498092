package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Require;

/**
 * Polar's {@code free} price. It still has a currency so a free plan's zero line adds up with the
 * other lines of its invoice, and still produces a line, so the order shows what was subscribed.
 */
public record FreePrice(Currency currency) implements Price {

    public FreePrice {
        Require.currency(currency, "price_currency");
    }

    @Override
    public String type() {
        return "free";
    }

    @Override
    public Billing billing() {
        return Billing.IN_ADVANCE;
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        Require.quantity(quantity);
        return BigDecimal.ZERO;
    }
}
