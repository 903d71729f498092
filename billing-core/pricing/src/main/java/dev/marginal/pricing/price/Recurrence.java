package dev.marginal.pricing.price;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;
import dev.marginal.pricing.period.ServicePeriod;

/**
 * How often a recurring price renews: every {@code intervalCount} months or years (Stripe's
 * {@code recurring.interval} and {@code interval_count}; Polar's {@code recurring_interval}).
 */
public record Recurrence(Interval interval, int intervalCount) {

    /** Stripe caps a recurrence at one year (12 months, 52 weeks); so do we. */
    private static final int MAX_MONTHS = 12;

    public enum Interval {
        MONTH, YEAR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Interval fromWire(String name) {
            Require.present(name, "recurring_interval");
            for (Interval interval : values()) {
                if (interval.wireName().equals(name)) {
                    return interval;
                }
            }
            throw new PricingInputException("recurring_interval", "must be month or year, got " + name);
        }
    }

    public static final Recurrence MONTHLY = new Recurrence(Interval.MONTH, 1);
    public static final Recurrence YEARLY = new Recurrence(Interval.YEAR, 1);

    public Recurrence {
        Require.present(interval, "recurring_interval");
        long months = (long) intervalCount * (interval == Interval.YEAR ? 12 : 1);
        if (intervalCount < 1 || months > MAX_MONTHS) {
            throw new PricingInputException("recurring_interval_count",
                    "must be 1 or more and span at most one year, got " + intervalCount + " " + interval.wireName());
        }
    }

    public int months() {
        return intervalCount * (interval == Interval.YEAR ? 12 : 1);
    }

    /**
     * The {@code index}-th period of a subscription anchored at {@code anchor} (0 = the first), in UTC.
     *
     * <p>Each boundary is computed from the anchor, never from the previous boundary, so an anchor
     * on January 31 gives Feb 28 (29), then March 31 again — the month-end stays the month-end, as
     * Stripe's billing cycle anchor does, instead of drifting to the 28th forever.
     */
    public ServicePeriod period(Instant anchor, long index) {
        Require.present(anchor, "anchor");
        if (index < 0) {
            throw new PricingInputException("index", "must not be negative, got " + index);
        }
        ZonedDateTime origin = anchor.atZone(ZoneOffset.UTC);
        return new ServicePeriod(origin.plusMonths(index * months()).toInstant(),
                origin.plusMonths((index + 1) * months()).toInstant());
    }
}
