package dev.marginal.pricing.meter;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** Polar's quantity periods; a period starts where PostgreSQL's {@code date_trunc} would put it (weeks on Monday). */
public enum TimeInterval {
    HOUR, DAY, WEEK, MONTH, YEAR;

    public ZonedDateTime truncate(ZonedDateTime at) {
        return switch (this) {
            case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
            case DAY -> at.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> at.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> at.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case YEAR -> at.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
    }

    public ZonedDateTime next(ZonedDateTime periodStart) {
        return switch (this) {
            case HOUR -> periodStart.plusHours(1);
            case DAY -> periodStart.plusDays(1);
            case WEEK -> periodStart.plusWeeks(1);
            case MONTH -> periodStart.plusMonths(1);
            case YEAR -> periodStart.plusYears(1);
        };
    }
}
