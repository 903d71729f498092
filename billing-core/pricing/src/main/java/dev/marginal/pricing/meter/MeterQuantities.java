package dev.marginal.pricing.meter;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A meter's quantity per period over a range, and in total — the numbers both
 * {@code GET /v1/meters/{id}/quantities} and the invoice use.
 *
 * <p>The periods are those of {@code interval} in {@code zone} from the one containing
 * {@code start} to the one containing {@code end} (as Polar's series); an event counts in the
 * period its timestamp falls in. The total aggregates every event of every period (so an average
 * or a unique count is over the whole range, not an average of averages).
 *
 * <p>Feed events with {@link #add}; the order does not matter.
 */
public final class MeterQuantities {

    /** Hourly periods over a year are 8,784: a bound well above any real query, far below trouble. */
    public static final int MAX_PERIODS = 10_000;

    public record Period(ZonedDateTime start, BigDecimal quantity) {
    }

    private final MeterFilter filter;
    private final Aggregation aggregation;
    private final TimeInterval interval;
    private final List<ZonedDateTime> starts = new ArrayList<>();
    private final List<Aggregation.Accumulator> accumulators = new ArrayList<>();
    private final Instant from;
    private final Instant until;

    public MeterQuantities(MeterFilter filter, Aggregation aggregation, Instant start, Instant end, TimeInterval interval,
                           ZoneId zone) {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        this.filter = filter;
        this.aggregation = aggregation;
        this.interval = interval;
        ZonedDateTime period = interval.truncate(start.atZone(zone));
        ZonedDateTime last = interval.truncate(end.atZone(zone));
        while (!period.isAfter(last)) {
            if (starts.size() == MAX_PERIODS) {
                throw new IllegalArgumentException("more than " + MAX_PERIODS + " " + interval.name().toLowerCase()
                        + " periods; use a longer interval or a shorter range");
            }
            starts.add(period);
            accumulators.add(aggregation.accumulator());
            period = interval.next(period);
        }
        this.from = starts.get(0).toInstant();
        this.until = period.toInstant();
    }

    /** The instants whose events can count: {@code [from, until)}. A store may pre-select by them. */
    public Instant from() {
        return from;
    }

    public Instant until() {
        return until;
    }

    public int periods() {
        return starts.size();
    }

    /** Counts the event if it matches the filter and falls in the range; otherwise ignores it. */
    public void add(MeterEvent event) {
        Instant at = event.timestamp();
        if (at.isBefore(from) || !at.isBefore(until) || !filter.matches(event)) {
            return;
        }
        int index = indexOf(at);
        accumulators.get(index).add(event);
    }

    /** Binary search over period starts: periods are not equally long (months, DST days). */
    private int indexOf(Instant at) {
        int low = 0;
        int high = starts.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (starts.get(mid).toInstant().isAfter(at)) {
                high = mid - 1;
            } else {
                low = mid;
            }
        }
        return low;
    }

    public List<Period> quantities() {
        List<Period> periods = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            periods.add(new Period(starts.get(i), accumulators.get(i).value()));
        }
        return periods;
    }

    public BigDecimal total() {
        Aggregation.Accumulator total = aggregation.accumulator();
        for (Aggregation.Accumulator accumulator : accumulators) {
            total = total.merge(accumulator);
        }
        return total.value();
    }

    /**
     * The quantities of both sets of events, as if one had seen them all: how partial aggregates
     * (per batch, per partition, per day) combine. Both must cover the same periods.
     */
    public MeterQuantities merge(MeterQuantities other) {
        if (!starts.equals(other.starts) || !aggregation.equals(other.aggregation) || !filter.equals(other.filter)) {
            throw new IllegalArgumentException("can only merge quantities of one meter over the same periods");
        }
        MeterQuantities merged = new MeterQuantities(this);
        for (int i = 0; i < accumulators.size(); i++) {
            merged.accumulators.set(i, accumulators.get(i).merge(other.accumulators.get(i)));
        }
        return merged;
    }

    private MeterQuantities(MeterQuantities template) {
        this.filter = template.filter;
        this.aggregation = template.aggregation;
        this.interval = template.interval;
        this.starts.addAll(template.starts);
        for (int i = 0; i < template.starts.size(); i++) {
            this.accumulators.add(aggregation.accumulator());
        }
        this.from = template.from;
        this.until = template.until;
    }

    /** The interval these periods use. */
    public TimeInterval interval() {
        return interval;
    }
}
