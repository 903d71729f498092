package dev.marginal.billing.payment;

import java.math.BigDecimal;

import dev.marginal.pricing.Money;

/**
 * What a payment costs the merchant. The sandbox processor charges a US card processor's list
 * price, 2.9 % + 30¢. Marginal, as merchant of record, takes Polar's published all-in rate,
 * 4 % + 40¢, of which the processor's fee is part: the platform fee is the all-in fee minus the
 * processor's. Each percentage is rounded once by the pricing engine's rounding (half-even).
 */
public final class Fees {

    private static final BigDecimal PROCESSOR_PERCENT = new BigDecimal("2.9");
    private static final long PROCESSOR_FIXED = 30;
    private static final BigDecimal ALL_IN_PERCENT = new BigDecimal("4");
    private static final long ALL_IN_FIXED = 40;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Fees() {
    }

    /** 2.9 % + 30¢: on 2,900¢, 84.1 → 84 + 30 = 114¢. */
    public static Money processorFee(Money charged) {
        return percent(charged, PROCESSOR_PERCENT).plus(new Money(PROCESSOR_FIXED, charged.currency()));
    }

    /** (4 % + 40¢) − the processor's fee: on 2,900¢, 116 + 40 − 114 = 42¢. */
    public static Money platformFee(Money charged, Money processorFee) {
        Money allIn = percent(charged, ALL_IN_PERCENT).plus(new Money(ALL_IN_FIXED, charged.currency()));
        return allIn.minus(processorFee);
    }

    private static Money percent(Money amount, BigDecimal percent) {
        return Money.ofMinor(BigDecimal.valueOf(amount.minorUnits()).multiply(percent), HUNDRED, amount.currency());
    }
}
