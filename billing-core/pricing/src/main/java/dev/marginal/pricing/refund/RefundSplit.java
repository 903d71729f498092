package dev.marginal.pricing.refund;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;
import dev.marginal.pricing.PricingInputException;

/**
 * How much tax goes back with a refund of part of an order's net amount (Polar's rule).
 *
 * <p>A refund names the net amount it returns; the customer also gets the tax charged on it. A
 * partial refund returns {@code amount × tax / net}, rounded once ({@link Money#ROUNDING}); the
 * refund that returns the last of the net returns the last of the tax too, so however an order is
 * refunded in pieces, the pieces add up to exactly what was charged — never a cent more or less.
 *
 * @param amount the net part refunded now
 * @param tax    the tax part refunded with it
 */
public record RefundSplit(Money amount, Money tax) {

    public RefundSplit {
        if (amount.isNegative() || tax.isNegative()) {
            throw new PricingInputException("amount", "a refund is not negative, got " + amount + " + " + tax);
        }
    }

    /** What the customer gets back: net part plus tax part. */
    public Money total() {
        return amount.plus(tax);
    }

    /**
     * @param net         the order's net amount (after discount, before tax)
     * @param tax         the order's tax
     * @param refunded    net refunded by earlier refunds
     * @param refundedTax tax refunded by earlier refunds
     * @param amount      net to refund now, more than zero
     * @throws RefundExceedsPayment when {@code amount} is more than the net not yet refunded
     */
    public static RefundSplit of(Money net, Money tax, Money refunded, Money refundedTax, Money amount) {
        if (net.isNegative() || tax.isNegative() || refunded.isNegative() || refundedTax.isNegative()) {
            throw new PricingInputException("order", "amounts are not negative");
        }
        if (refunded.compareTo(net) > 0 || refundedTax.compareTo(tax) > 0) {
            throw new PricingInputException("order", "refunded more than was charged");
        }
        if (amount.isNegative() || amount.isZero()) {
            throw new PricingInputException("amount", "must be greater than 0, got " + amount.minorUnits());
        }
        Money refundable = net.minus(refunded);
        if (amount.compareTo(refundable) > 0) {
            throw new RefundExceedsPayment(amount, refundable);
        }
        Money taxLeft = tax.minus(refundedTax);
        if (amount.equals(refundable)) {
            return new RefundSplit(amount, taxLeft);
        }
        Money share = Money.ofMinor(BigDecimal.valueOf(amount.minorUnits()).multiply(BigDecimal.valueOf(tax.minorUnits())),
                BigDecimal.valueOf(net.minorUnits()), net.currency());
        // Rounding up on every piece could exhaust the tax before the net; the last piece settles it.
        return new RefundSplit(amount, share.compareTo(taxLeft) > 0 ? taxLeft : share);
    }

    /** More than what is left of the payment. */
    public static final class RefundExceedsPayment extends IllegalArgumentException {
        private final Money refundable;

        public RefundExceedsPayment(Money requested, Money refundable) {
            super("the refund of " + requested.minorUnits() + " exceeds the " + refundable.minorUnits()
                    + " left to refund");
            this.refundable = refundable;
        }

        public Money refundable() {
            return refundable;
        }
    }
}
