package dev.marginal.pricing.invoice;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * How long a subscription's discount lasts (Polar's and Stripe's {@code duration}): the first
 * paid period only, every period, or the periods that start within {@code duration_in_months}
 * calendar months (UTC) of the first paid period's start. A yearly plan with a 3-month discount
 * is discounted once, as in Stripe.
 */
public enum DiscountDuration {
    ONCE, FOREVER, REPEATING;

    /**
     * @param firstPeriodStart the start of the subscription's first paid period (after any trial)
     * @param months           {@code duration_in_months}; required for and only for {@link #REPEATING}
     * @param periodStart      the start of the period an order bills
     */
    public boolean appliesTo(Instant firstPeriodStart, Integer months, Instant periodStart) {
        Require.present(firstPeriodStart, "first_period_start");
        Require.present(periodStart, "period_start");
        if ((this == REPEATING) != (months != null)) {
            throw new PricingInputException("duration_in_months", "is required when duration is repeating and must be"
                    + " omitted otherwise");
        }
        return switch (this) {
            case ONCE -> periodStart.equals(firstPeriodStart);
            case FOREVER -> !periodStart.isBefore(firstPeriodStart);
            case REPEATING -> {
                if (months < 1) {
                    throw new PricingInputException("duration_in_months", "must be at least 1, got " + months);
                }
                Instant end = firstPeriodStart.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
                yield !periodStart.isBefore(firstPeriodStart) && periodStart.isBefore(end);
            }
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DiscountDuration fromWire(String name) {
        for (DiscountDuration d : values()) {
            if (d.wireName().equals(name)) {
                return d;
            }
        }
        throw new PricingInputException("duration", "must be once, forever or repeating, got " + name);
    }
}
