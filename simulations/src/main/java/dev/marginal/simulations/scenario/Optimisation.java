package dev.marginal.simulations.scenario;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the optimiser searches (a grid over price and plan parameters of the baseline), what it
 * aims for, and what it must respect. Every candidate of the grid was built and validated by the
 * parser, so a candidate the optimiser proposes is a price billing accepts.
 *
 * @param objective  the metric to maximise or minimise
 * @param constraints bounds every acceptable candidate meets
 * @param risk       the frontier's other axis (lower is safer): the frontier is every candidate no
 *                   other beats on both the objective and this metric
 * @param candidates the grid, in file order (the first parameter changes slowest)
 */
public record Optimisation(Objective objective, List<Constraint> constraints, Metric risk,
                           List<Parameter> parameters, List<Candidate> candidates) {

    public Optimisation {
        constraints = List.copyOf(constraints);
        parameters = List.copyOf(parameters);
        candidates = List.copyOf(candidates);
    }

    /** "maximise revenue subject to max_bill_increase ≤ 20%": what was asked, as runs.objective records it. */
    public String statement() {
        return objective + (constraints.isEmpty() ? "" : " subject to "
                + String.join(", ", constraints.stream().map(Object::toString).toList()));
    }

    public record Objective(Metric metric, boolean maximise) {

        @Override
        public String toString() {
            return (maximise ? "maximise " : "minimise ") + metric.wireName();
        }
    }

    /**
     * {@code min ≤ metric ≤ max}, either bound optional, in the metric's reporting unit: money in
     * major units, percentages in percent.
     */
    public record Constraint(Metric metric, BigDecimal min, BigDecimal max) {

        public boolean admits(BigDecimal value) {
            if (value == null) {
                return false;
            }
            return (min == null || value.compareTo(min) >= 0) && (max == null || value.compareTo(max) <= 0);
        }

        @Override
        public String toString() {
            String name = metric.wireName();
            if (min != null && max != null) {
                return plain(min) + " ≤ " + name + " ≤ " + plain(max);
            }
            return min != null ? name + " ≥ " + plain(min) : name + " ≤ " + plain(max);
        }

        private String plain(BigDecimal v) {
            return v.stripTrailingZeros().toPlainString() + (metric.unit() == Metric.Unit.PERCENT ? "%" : "");
        }
    }

    /** One searched value: {@code path} in the baseline's plans, and the values tried, in order. */
    public record Parameter(String name, String path, List<BigDecimal> values) {

        public Parameter {
            values = List.copyOf(values);
        }
    }

    /** One point of the grid: the parameters' values and the variant they make. */
    public record Candidate(Map<String, BigDecimal> values, Variant variant) {

        public Candidate {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        public String name() {
            return variant.name();
        }
    }
}
