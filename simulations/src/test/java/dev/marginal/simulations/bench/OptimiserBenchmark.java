package dev.marginal.simulations.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

import dev.marginal.simulations.optimiser.Optimiser;
import dev.marginal.simulations.optimiser.OptimiserResult;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

/**
 * The optimiser on issue 8's history (10,000 customers × 12 months × 5 meters, the same generator
 * as {@link SimulationBenchmark}): a grid of {@code fees × rates} candidates over the starter plan's
 * base fee and middle chat-token tier, maximising margin under a 20 % cap on any customer's bill
 * increase, timed from loaded aggregates to the chosen point (its full simulation included). No
 * Monte Carlo. A plain main, not a test: tests never assert timings. Run (after
 * {@code ./mvnw -q -pl simulations -am package -DskipTests}; figures in docs/BENCHMARKS.md):
 *
 * <pre>
 * java -cp 'simulations/target/test-classes:simulations/target/marginal-simulations.jar:simulations/target/lib/*' \
 *      dev.marginal.simulations.bench.OptimiserBenchmark [customers] [months] [fees] [rates] [rounds]
 * </pre>
 */
public final class OptimiserBenchmark {

    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int months = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int fees = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rates = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        Aggregates history = SimulationBenchmark.history(customers, months, new SplittableRandom(42));
        String yaml = SimulationBenchmark.scenario(0, false).replace("variants:\n", "") + """
                optimise:
                  maximise: margin
                  constraints:
                    max_bill_increase: { max: 20%% }
                  parameters:
                    starter_fee: { path: plans.starter.base_fee, from: 2900, to: %d, step: 100 }
                    starter_mid_tier:
                      path: plans.starter.prices.chat_tokens.tiers[1].unit_amount
                      from: 0.0004
                      to: %s
                      step: 0.00001
                """.formatted(2900 + 100 * (fees - 1), new java.math.BigDecimal("0.0004")
                .add(new java.math.BigDecimal("0.00001").multiply(java.math.BigDecimal.valueOf(rates - 1))).toPlainString());
        long parseStart = System.nanoTime();
        Scenario scenario = ScenarioParser.parse("optimise-bench.yaml", yaml);
        long parseMs = (System.nanoTime() - parseStart) / 1_000_000;
        System.out.printf("history: %,d customers × %d months, %,d usage rows; %d candidates (parsed and validated "
                        + "in %,d ms); %d cores%n", customers, months, history.usage().size(),
                scenario.optimisation().candidates().size(), parseMs, Runtime.getRuntime().availableProcessors());
        for (int warm = 0; warm < 2; warm++) {
            Optimiser.run(scenario, history);
        }
        long[] ms = new long[rounds];
        OptimiserResult last = null;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            last = Optimiser.run(scenario, history);
            ms[r] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf("optimiser, %d candidates: median %,d ms, min %,d ms, max %,d ms (%d rounds); %s%n",
                scenario.optimisation().candidates().size(), ms[rounds / 2], ms[0], ms[rounds - 1], rounds,
                last.explanation().get(2));
    }
}
