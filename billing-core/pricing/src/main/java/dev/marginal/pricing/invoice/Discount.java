package dev.marginal.pricing.invoice;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * A discount on an order's subtotal — Polar's and Stripe's {@code percentage} and
 * {@code fixed} (amount off) coupons. A discount never takes a subtotal below zero and never
 * applies to a subtotal that is zero or a net credit.
 */
public sealed interface Discount permits Discount.Percentage, Discount.AmountOff {

    /** The amount taken off {@code subtotal}, between zero and the subtotal. */
    Money amountOff(Money subtotal);

    static Discount percentage(String percent) {
        return new Percentage(new BigDecimal(percent));
    }

    static Discount fixedAmount(Money amount) {
        return new AmountOff(amount);
    }

    /** {@code percent} off, at most 4 decimals (Polar's basis points are 2), rounded half-even once. */
    record Percentage(BigDecimal percent) implements Discount {

        public Percentage {
            Require.positive(percent, "discount.percent");
            if (percent.compareTo(BigDecimal.valueOf(100)) > 0 || percent.stripTrailingZeros().scale() > 4) {
                throw new PricingInputException("discount.percent", "must be above 0 and at most 100 with at most 4"
                        + " decimals, got " + percent.toPlainString());
            }
        }

        @Override
        public Money amountOff(Money subtotal) {
            if (subtotal.minorUnits() <= 0) {
                return Money.zero(subtotal.currency());
            }
            return Money.ofMinor(BigDecimal.valueOf(subtotal.minorUnits()).multiply(percent.movePointLeft(2)),
                    subtotal.currency());
        }
    }

    /** A fixed amount off, capped at the subtotal; it must be in the order's currency. */
    record AmountOff(Money amount) implements Discount {

        public AmountOff {
            Require.present(amount, "discount.amount");
            Require.nonNegative(amount.minorUnits(), "discount.amount");
        }

        @Override
        public Money amountOff(Money subtotal) {
            if (!amount.currency().equals(subtotal.currency())) {
                throw new PricingInputException("discount.amount", "is in " + amount.currency().getCurrencyCode()
                        + " but the order is in " + subtotal.currency().getCurrencyCode());
            }
            if (subtotal.minorUnits() <= 0) {
                return Money.zero(subtotal.currency());
            }
            return amount.compareTo(subtotal) > 0 ? subtotal : amount;
        }
    }
}
