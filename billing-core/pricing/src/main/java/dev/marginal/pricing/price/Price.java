package dev.marginal.pricing.price;

import java.math.BigDecimal;
import java.util.Currency;

import dev.marginal.pricing.Money;

/**
 * A price of the catalog: what a quantity of something costs in one currency over one billing
 * period (or once, for {@link OneTimePrice}).
 *
 * <p>Every implementation validates itself when constructed, so an invalid price cannot exist and
 * callers never re-check. Pricing is two steps on purpose: {@link #exactAmount} is the exact
 * amount in minor units (any number of decimals, never rounded), and {@link #amount} rounds it to
 * whole minor units once, half-even, through {@link Money#ofMinor(BigDecimal, Currency)} — the one
 * rounding of a line. Round per line, never per event: a period's usage is summed first and priced
 * once, so splitting usage into more events cannot change the bill.
 */
public sealed interface Price
        permits FixedPrice, OneTimePrice, FreePrice, MeteredUnitPrice, GraduatedPrice, VolumePrice, PackagePrice {

    Currency currency();

    /** The API's {@code amount_type}: fixed, one_time, free, metered_unit, graduated, volume, package. */
    String type();

    /** When the line is billed: fixed fees at the start of the period they pay for, usage at its end. */
    Billing billing();

    /** The exact line amount in minor units for a period's total {@code quantity}; never rounded. */
    BigDecimal exactAmount(BigDecimal quantity);

    /** The line amount: {@link #exactAmount} rounded half-even to whole minor units, once. */
    default Money amount(BigDecimal quantity) {
        return Money.ofMinor(exactAmount(quantity), currency());
    }

    default Money amount(long quantity) {
        return amount(BigDecimal.valueOf(quantity));
    }

    /** Stripe's and Orb's "in advance" (licensed) versus "in arrears" (metered). */
    enum Billing {
        IN_ADVANCE, IN_ARREARS, ONCE
    }
}
