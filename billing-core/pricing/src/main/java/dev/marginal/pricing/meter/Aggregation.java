package dev.marginal.pricing.meter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Polar's meter aggregations: {@code count} of events, {@code sum}, {@code max}, {@code min},
 * {@code avg} of a numeric property, {@code unique} count of a property's values.
 *
 * <p>As Polar: {@code sum/max/min/avg} consider only events whose property is a number (not a
 * boolean); {@code unique} ignores events without the property; an empty period is 0.
 */
public record Aggregation(Function function, String property) {

    public enum Function { COUNT, SUM, MAX, MIN, AVG, UNIQUE }

    /** Averages keep 12 decimals, the scale of every stored quantity of money or usage. */
    public static final int AVG_SCALE = 12;

    public Aggregation {
        Objects.requireNonNull(function, "function");
        if (function == Function.COUNT) {
            property = null;
        } else {
            property = MeterEvent.stripMetadataPrefix(Objects.requireNonNull(property, function + " needs a property"));
        }
    }

    public static Aggregation count() {
        return new Aggregation(Function.COUNT, null);
    }

    public Accumulator accumulator() {
        return new Accumulator(this);
    }

    /**
     * An accumulator resumed from its {@link Accumulator#partial() partial}: how a streaming job
     * keeps a period-to-date aggregate in checkpointed state and goes on adding events after a
     * restart, without keeping the events themselves.
     */
    public Accumulator resume(Partial partial) {
        Accumulator accumulator = new Accumulator(this);
        accumulator.count = partial.count();
        accumulator.sum = partial.sum();
        accumulator.extreme = partial.extreme();
        accumulator.values.addAll(partial.values());
        return accumulator;
    }

    /**
     * What an accumulator holds, as plain values: the events counted, the sum and the extreme of
     * their numeric property, the distinct values seen (only {@code unique} keeps any).
     */
    public record Partial(long count, BigDecimal sum, BigDecimal extreme, Set<Object> values) {

        public Partial {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative: " + count);
            }
            Objects.requireNonNull(sum, "sum");
            values = Set.copyOf(values);
        }
    }

    /**
     * A running aggregate. Accumulators of disjoint sets of events {@link #merge merge} into the
     * aggregate of their union, for every function (averages keep sum and count, unique keeps the
     * values), so a period's quantity never depends on how its events were split into batches.
     */
    public static final class Accumulator {

        private final Aggregation aggregation;
        private long count;
        private BigDecimal sum = BigDecimal.ZERO;
        private BigDecimal extreme;
        private final Set<Object> values = new HashSet<>();

        private Accumulator(Aggregation aggregation) {
            this.aggregation = aggregation;
        }

        public void add(MeterEvent event) {
            if (aggregation.function == Function.COUNT) {
                count++;
                return;
            }
            Object value = event.property(aggregation.property);
            if (aggregation.function == Function.UNIQUE) {
                if (value != null) {
                    values.add(value instanceof BigDecimal number ? number.stripTrailingZeros() : value);
                }
                return;
            }
            if (value instanceof BigDecimal number) {
                addNumber(number, 1);
            }
        }

        private void addNumber(BigDecimal number, long n) {
            count += n;
            sum = sum.add(number);
            if (extreme == null
                    || (aggregation.function == Function.MAX ? number.compareTo(extreme) > 0 : number.compareTo(extreme) < 0)) {
                extreme = number;
            }
        }

        /** The running aggregate as a value, to store and {@link Aggregation#resume resume}. */
        public Partial partial() {
            return new Partial(count, sum, extreme, values);
        }

        public Accumulator merge(Accumulator other) {
            if (!aggregation.equals(other.aggregation)) {
                throw new IllegalArgumentException("cannot merge " + aggregation + " with " + other.aggregation);
            }
            Accumulator merged = new Accumulator(aggregation);
            merged.count = count + other.count;
            merged.sum = sum.add(other.sum);
            merged.extreme = pick(extreme, other.extreme);
            merged.values.addAll(values);
            merged.values.addAll(other.values);
            return merged;
        }

        private BigDecimal pick(BigDecimal a, BigDecimal b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            boolean max = aggregation.function == Function.MAX;
            return (max ? a.compareTo(b) >= 0 : a.compareTo(b) <= 0) ? a : b;
        }

        public BigDecimal value() {
            return switch (aggregation.function) {
                case COUNT -> BigDecimal.valueOf(count);
                case SUM -> sum;
                case MAX, MIN -> extreme == null ? BigDecimal.ZERO : extreme;
                case AVG -> count == 0 ? BigDecimal.ZERO
                        : sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128)
                                .setScale(AVG_SCALE, dev.marginal.pricing.Money.ROUNDING);
                case UNIQUE -> BigDecimal.valueOf(values.size());
            };
        }
    }
}
