package dev.marginal.simulations.optimiser;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.marginal.simulations.engine.Progress;
import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.engine.Summary;
import dev.marginal.simulations.scenario.Metric;
import dev.marginal.simulations.scenario.Optimisation;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.Variant;
import dev.marginal.simulations.usage.Aggregates;

/**
 * Searches a scenario's {@code optimise:} grid: every candidate is simulated by the same
 * {@link Simulator} as any variant (so by the shared pricing engine), then judged by its summary.
 * The chosen point is the best objective among the candidates that meet every constraint; ties go
 * to the lower risk, then to the earlier candidate of the grid. Deterministic: the grid is in file
 * order and each candidate's Monte Carlo stream depends only on the seed and its name.
 *
 * <p>Candidates are simulated a slice at a time and only their summaries are kept, so a grid of
 * thousands never holds thousands of variants' bills in memory.
 */
public final class Optimiser {

    /** Candidates simulated together: they share the baseline's lines and each other's. */
    static final int SLICE = 32;

    private Optimiser() {
    }

    public static OptimiserResult run(Scenario scenario, Aggregates aggregates) {
        return run(scenario, aggregates, Progress.NONE);
    }

    public static OptimiserResult run(Scenario scenario, Aggregates aggregates, Progress progress) {
        Optimisation optimisation = scenario.optimisation();
        if (optimisation == null) {
            throw new IllegalArgumentException("scenario " + scenario.name() + " has no optimise section");
        }
        List<Optimisation.Candidate> candidates = optimisation.candidates();
        List<Summary> summaries = new ArrayList<>();
        Summary baseline = null;
        AtomicInteger done = new AtomicInteger();
        for (int from = 0; from < candidates.size(); from += SLICE) {
            List<Variant> slice = candidates.subList(from, Math.min(candidates.size(), from + SLICE)).stream()
                    .map(Optimisation.Candidate::variant).toList();
            SimulationResult result = Simulator.run(scenario.withVariants(slice), aggregates);
            baseline = result.baseline().summary();
            for (int i = 0; i < slice.size(); i++) {
                summaries.add(result.variants().get(i + 1).summary());
                progress.variantDone(done.incrementAndGet(), candidates.size());
            }
        }
        List<OptimiserResult.Point> points = judge(optimisation, candidates, summaries);
        OptimiserResult.Point chosen = points.stream().filter(OptimiserResult.Point::feasible)
                .min(better(optimisation.objective()).thenComparing(OptimiserResult.Point::index)).orElse(null);
        SimulationResult chosenResult = chosen == null ? null
                : Simulator.run(scenario.withVariants(List.of(chosen.candidate().variant())), aggregates);
        return new OptimiserResult(optimisation, baseline, points, chosen, chosenResult);
    }

    private static List<OptimiserResult.Point> judge(Optimisation optimisation, List<Optimisation.Candidate> candidates,
                                                    List<Summary> summaries) {
        int n = candidates.size();
        BigDecimal[] objective = new BigDecimal[n];
        BigDecimal[] risk = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            objective[i] = Metrics.value(optimisation.objective().metric(), summaries.get(i));
            risk[i] = Metrics.value(optimisation.risk(), summaries.get(i));
        }
        boolean[] frontier = frontier(objective, risk, optimisation.objective().maximise());
        List<OptimiserResult.Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new OptimiserResult.Point(i, candidates.get(i), summaries.get(i), objective[i], risk[i],
                    violation(optimisation.constraints(), summaries.get(i)), frontier[i]));
        }
        return points;
    }

    /** Best objective first; among equals, the lower risk (a null risk last). */
    static Comparator<OptimiserResult.Point> better(Optimisation.Objective objective) {
        Comparator<BigDecimal> value = Comparator.nullsLast(objective.maximise()
                ? Comparator.<BigDecimal>reverseOrder() : Comparator.<BigDecimal>naturalOrder());
        return Comparator.comparing(OptimiserResult.Point::objective, value)
                .thenComparing(OptimiserResult.Point::risk, Comparator.nullsLast(Comparator.naturalOrder()));
    }

    /**
     * The candidates no other beats on both axes: walking from the lowest risk up, a point is on the
     * frontier when its objective is strictly better than every point at or below its risk.
     */
    static boolean[] frontier(BigDecimal[] objective, BigDecimal[] risk, boolean maximise) {
        int n = objective.length;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (objective[i] != null && risk[i] != null) {
                order.add(i);
            }
        }
        Comparator<BigDecimal> best = maximise ? Comparator.reverseOrder() : Comparator.naturalOrder();
        order.sort(Comparator.<Integer, BigDecimal>comparing(i -> risk[i])
                .thenComparing(i -> objective[i], best).thenComparing(i -> i));
        boolean[] on = new boolean[n];
        BigDecimal bestSoFar = null;
        for (int i : order) {
            if (bestSoFar == null || best.compare(objective[i], bestSoFar) < 0) {
                on[i] = true;
                bestSoFar = objective[i];
            }
        }
        return on;
    }

    /** The first constraint the summary breaks, said with its figure, or null when it meets them all. */
    static String violation(List<Optimisation.Constraint> constraints, Summary summary) {
        for (Optimisation.Constraint constraint : constraints) {
            BigDecimal value = Metrics.value(constraint.metric(), summary);
            if (!constraint.admits(value)) {
                return constraint.metric().wireName() + " " + Metrics.format(constraint.metric(), value)
                        + " breaks " + constraint;
            }
        }
        return null;
    }

    static BigDecimal value(Metric metric, Summary summary) {
        return Metrics.value(metric, summary);
    }
}
