package dev.marginal.pricing.meter;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Polar's meter filter: clauses {@code {property, operator, value}} joined by {@code and} or
 * {@code or}, nestable. Evaluated in memory, the same way for the API, the invoice and the
 * pipelines.
 *
 * <p>Comparison rules (Polar's {@code FilterClause.matches}): a missing property never matches,
 * whatever the operator; numbers compare with numbers, strings with strings (lexicographically),
 * booleans only by (in)equality; a value of another type does not match. {@code like} and
 * {@code not_like} test whether the value's text is (not) contained in the property's text.
 */
public sealed interface MeterFilter {

    boolean matches(MeterEvent event);

    /** The event name every matching event must have, when the filter says so: lets a store pre-select. */
    Optional<String> requiredName();

    enum Conjunction { AND, OR }

    enum Operator { EQ, NE, GT, GTE, LT, LTE, LIKE, NOT_LIKE }

    /** Everything matches: Polar's empty {@code and}. */
    static MeterFilter all() {
        return new Group(Conjunction.AND, List.of());
    }

    record Group(Conjunction conjunction, List<MeterFilter> clauses) implements MeterFilter {

        public Group {
            Objects.requireNonNull(conjunction, "conjunction");
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(MeterEvent event) {
            if (clauses.isEmpty()) {
                return true;
            }
            for (MeterFilter clause : clauses) {
                boolean matched = clause.matches(event);
                if (conjunction == Conjunction.AND && !matched) {
                    return false;
                }
                if (conjunction == Conjunction.OR && matched) {
                    return true;
                }
            }
            return conjunction == Conjunction.AND;
        }

        @Override
        public Optional<String> requiredName() {
            if (conjunction == Conjunction.OR && clauses.size() != 1) {
                return Optional.empty();
            }
            for (MeterFilter clause : clauses) {
                Optional<String> name = clause.requiredName();
                if (name.isPresent()) {
                    return name;
                }
            }
            return Optional.empty();
        }
    }

    /** {@code value} is a {@link String}, a {@link BigDecimal} or a {@link Boolean}. */
    record Clause(String property, Operator operator, Object value) implements MeterFilter {

        public Clause {
            property = MeterEvent.stripMetadataPrefix(Objects.requireNonNull(property, "property"));
            Objects.requireNonNull(operator, "operator");
            if (!(value instanceof String || value instanceof BigDecimal || value instanceof Boolean)) {
                throw new IllegalArgumentException("a clause value is a string, a number or a boolean: " + value);
            }
        }

        @Override
        public boolean matches(MeterEvent event) {
            if (property.equals("timestamp") && !(value instanceof BigDecimal)) {
                return false;
            }
            Object actual = event.property(property);
            if (actual == null) {
                return false;
            }
            if (operator == Operator.LIKE || operator == Operator.NOT_LIKE) {
                boolean contains = text(actual).contains(text(value));
                return operator == Operator.LIKE ? contains : !contains;
            }
            Integer order = compare(actual, value);
            if (order == null) {
                // Unlike types are never equal, so they are "not equal"; they have no order.
                return operator == Operator.NE;
            }
            return switch (operator) {
                case EQ -> order == 0;
                case NE -> order != 0;
                case GT -> order > 0;
                case GTE -> order >= 0;
                case LT -> order < 0;
                case LTE -> order <= 0;
                default -> false;
            };
        }

        @Override
        public Optional<String> requiredName() {
            return property.equals("name") && operator == Operator.EQ && value instanceof String name
                    ? Optional.of(name) : Optional.empty();
        }

        /** Booleans compare only for (in)equality: they are ordered here as false < true, but never against numbers. */
        private static Integer compare(Object actual, Object expected) {
            if (actual instanceof BigDecimal a && expected instanceof BigDecimal e) {
                return a.compareTo(e);
            }
            if (actual instanceof String a && expected instanceof String e) {
                return Integer.signum(a.compareTo(e));
            }
            if (actual instanceof Boolean a && expected instanceof Boolean e) {
                return Boolean.compare(a, e);
            }
            return null;
        }

        private static String text(Object value) {
            return value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value);
        }
    }
}
