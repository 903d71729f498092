package dev.marginal.pricing.period;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.marginal.pricing.PricingInputException;
import dev.marginal.pricing.Require;

/**
 * The half-open span {@code [start, end)} a line bills for, as Stripe's {@code period.start/end}.
 *
 * <p>Both ends are truncated to whole seconds: proration is by the second (Stripe's unit), and a
 * sub-second remainder would make the same change price differently on two machines whose clocks
 * report different precisions.
 */
public record ServicePeriod(Instant start, Instant end) {

    public ServicePeriod {
        start = Require.present(start, "period.start").truncatedTo(ChronoUnit.SECONDS);
        end = Require.present(end, "period.end").truncatedTo(ChronoUnit.SECONDS);
        if (!end.isAfter(start)) {
            throw new PricingInputException("period.end", "must be after period.start (" + start + "), got " + end);
        }
    }

    public long seconds() {
        return Duration.between(start, end).getSeconds();
    }

    /** Whether {@code at} lies in {@code [start, end]}: a change at the very end still belongs to this period. */
    public boolean covers(Instant at) {
        return !at.isBefore(start) && !at.isAfter(end);
    }

    /** The part from {@code at} to the end; {@code at} must lie strictly inside. */
    public ServicePeriod from(Instant at) {
        return new ServicePeriod(at, end);
    }

    /** The part from the start to {@code at}; {@code at} must lie strictly inside. */
    public ServicePeriod until(Instant at) {
        return new ServicePeriod(start, at);
    }
}
