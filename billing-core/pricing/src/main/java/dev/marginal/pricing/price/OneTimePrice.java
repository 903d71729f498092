package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Require;

/** A price paid once per purchase: Polar's {@code fixed} price on a non-recurring product. */
public record OneTimePrice(Currency currency, long amount) implements Price {

    public OneTimePrice {
        Require.currency(currency, "price_currency");
        Require.nonNegative(amount, "price_amount");
    }

    @Override
    public String type() {
        return "one_time";
    }

    @Override
    public Billing billing() {
        return Billing.ONCE;
    }

    @Override
    public BigDecimal exactAmount(BigDecimal quantity) {
        return Require.wholeQuantity(quantity).multiply(BigDecimal.valueOf(amount));
    }
}
