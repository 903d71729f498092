package dev.marginal.simulations.optimiser;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Summary;
import dev.marginal.simulations.scenario.Metric;
import dev.marginal.simulations.scenario.Optimisation;

/**
 * What the optimiser found: every candidate judged, the frontier between the objective and risk,
 * and the chosen point (null when no candidate meets the constraints) with its full simulation, so
 * its bills per customer can be written and read like any variant's.
 */
public record OptimiserResult(Optimisation optimisation, Summary baseline, List<Point> points, Point chosen,
                              SimulationResult chosenResult) {

    public OptimiserResult {
        points = List.copyOf(points);
    }

    /**
     * One candidate, judged.
     *
     * @param index     its place in the grid
     * @param objective the objective metric's value (null when the summary cannot say)
     * @param risk      the risk metric's value
     * @param violation the first constraint it breaks, with its figure; null when it meets them all
     * @param onFrontier no other candidate is at least as good on the objective at no more risk
     */
    public record Point(int index, Optimisation.Candidate candidate, Summary summary, BigDecimal objective,
                        BigDecimal risk, String violation, boolean onFrontier) {

        public boolean feasible() {
            return violation == null;
        }

        public String name() {
            return candidate.name();
        }
    }

    /** The frontier from the least risky point up. */
    public List<Point> frontier() {
        return points.stream().filter(Point::onFrontier).sorted(Comparator.comparing(Point::risk)).toList();
    }

    public long feasibleCount() {
        return points.stream().filter(Point::feasible).count();
    }

    /** What the objective and constraints were, which point was chosen and why, in plain sentences. */
    public List<String> explanation() {
        Optimisation o = optimisation;
        Metric objective = o.objective().metric();
        Metric risk = o.risk();
        List<String> lines = new ArrayList<>();
        lines.add(o.statement() + "; " + points.size() + " candidates, " + feasibleCount() + " meet the constraints");
        lines.add("baseline: " + describe(objective, Metrics.value(objective, baseline))
                + (risk == objective ? "" : ", " + describe(risk, Metrics.value(risk, baseline))));
        if (chosen == null) {
            Point closest = points.stream().filter(p -> p.objective() != null)
                    .min(Optimiser.better(o.objective()).thenComparing(Point::index)).orElse(null);
            lines.add("no candidate meets the constraints"
                    + (closest == null ? "" : "; the best " + objective.wireName() + ", " + closest.name() + " ("
                    + describe(objective, closest.objective()) + "), fails on " + closest.violation()));
            return lines;
        }
        lines.add("chosen: " + chosen.name() + " — " + describe(objective, chosen.objective())
                + (risk == objective ? "" : ", " + describe(risk, chosen.risk())));
        // What stops a better point: the next one up the frontier that has a better objective.
        Point next = frontier().stream()
                .filter(p -> Optimiser.better(o.objective()).compare(p, chosen) < 0 && !p.feasible())
                .findFirst().orElse(null);
        if (next == null) {
            lines.add("why: no candidate has a better " + objective.wireName());
        } else {
            lines.add("why: the best " + objective.wireName() + " that meets every constraint; the next point on the "
                    + "frontier, " + next.name() + ", reaches " + describe(objective, next.objective()) + " but "
                    + next.violation());
        }
        return lines;
    }

    private static String describe(Metric metric, BigDecimal value) {
        return metric.wireName() + " " + Metrics.format(metric, value);
    }
}
