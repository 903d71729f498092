package dev.marginal.pricing;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The checks every price, tier, tax rate and line shares, so that "what is a valid amount" is
 * decided once. Each failure is a {@link PricingInputException} naming the field.
 */
public final class Require {

    /** Sub-cent amounts carry at most 12 decimals of a minor unit, as Stripe's {@code unit_amount_decimal}. */
    public static final int MAX_MINOR_SCALE = 12;

    private Require() {
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new PricingInputException(field, "is required");
        }
        return value;
    }

    /** A money currency: ISO-4217 with minor units (rejects e.g. XAU, whose fraction digits are undefined). */
    public static Currency currency(Currency currency, String field) {
        present(currency, field);
        if (currency.getDefaultFractionDigits() < 0) {
            throw new PricingInputException(field, "is not a money currency: " + currency.getCurrencyCode());
        }
        return currency;
    }

    public static long nonNegative(long minorUnits, String field) {
        if (minorUnits < 0) {
            throw new PricingInputException(field, "must not be negative, got " + minorUnits);
        }
        return minorUnits;
    }

    public static BigDecimal nonNegative(BigDecimal value, String field) {
        present(value, field);
        if (value.signum() < 0) {
            throw new PricingInputException(field, "must not be negative, got " + value.toPlainString());
        }
        return value;
    }

    public static BigDecimal positive(BigDecimal value, String field) {
        present(value, field);
        if (value.signum() <= 0) {
            throw new PricingInputException(field, "must be greater than zero, got " + value.toPlainString());
        }
        return value;
    }

    /** A non-negative amount of minor units with at most {@value #MAX_MINOR_SCALE} decimals. */
    public static BigDecimal minorAmount(BigDecimal value, String field) {
        nonNegative(value, field);
        if (value.stripTrailingZeros().scale() > MAX_MINOR_SCALE) {
            throw new PricingInputException(field, "has more than " + MAX_MINOR_SCALE
                    + " decimals of a minor unit: " + value.toPlainString());
        }
        return value;
    }

    /** A metered quantity: meters sum decimals, so any non-negative decimal is a quantity. */
    public static BigDecimal quantity(BigDecimal quantity) {
        return nonNegative(quantity, "quantity");
    }

    public static BigDecimal wholeQuantity(BigDecimal quantity) {
        quantity(quantity);
        if (quantity.stripTrailingZeros().scale() > 0) {
            throw new PricingInputException("quantity", "must be a whole number for this price, got "
                    + quantity.toPlainString());
        }
        return quantity;
    }
}
