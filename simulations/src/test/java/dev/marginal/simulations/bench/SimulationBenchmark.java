package dev.marginal.simulations.bench;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

/**
 * Issue 8's benchmark: 12 months × 10,000 customers × 5 meters × 100 variants, timed from loaded
 * aggregates to every variant's bills, costs and summary. A plain main, not a test: tests never
 * assert timings. Run (after {@code ./mvnw -q -pl simulations -am package -DskipTests}):
 *
 * <pre>
 * java -cp 'simulations/target/test-classes:simulations/target/marginal-simulations.jar:simulations/target/lib/*' \
 *      dev.marginal.simulations.bench.SimulationBenchmark [customers] [months] [variants] [rounds]
 * </pre>
 *
 * Two variant sets: "sweep" (each variant changes one or two prices, moves a plan or changes a
 * cost — how a founder or the optimiser iterates) and "every price" (each variant changes every
 * price of every plan — nothing can be shared with the baseline).
 */
public final class SimulationBenchmark {

    private static final String[] EVENTS = {"chat.completion", "document.summary", "code.review", "support.triage", "embedding"};
    private static final String[][] MODELS = {{"openai", "gpt-4o"}, {"openai", "gpt-4o-mini"}, {"anthropic", "claude-sonnet-4-5"}};

    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int months = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int variants = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Aggregates history = history(customers, months, new SplittableRandom(42));
        System.out.printf("history: %,d customers × %d months, %,d usage rows, %,d cost rows; %d cores%n",
                customers, months, history.usage().size(), history.costs().size(),
                Runtime.getRuntime().availableProcessors());
        for (boolean everyPrice : new boolean[] {false, true}) {
            Scenario scenario = ScenarioParser.parse("bench.yaml", scenario(variants, everyPrice));
            long[] ms = new long[rounds];
            for (int warm = 0; warm < 2; warm++) {
                Simulator.run(scenario, history);
            }
            SimulationResult last = null;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                last = Simulator.run(scenario, history);
                ms[r] = (System.nanoTime() - start) / 1_000_000;
            }
            Arrays.sort(ms);
            System.out.printf("%-12s %d variants + baseline: median %,d ms, min %,d ms, max %,d ms (%d rounds); "
                            + "baseline revenue %s%n", everyPrice ? "every price" : "sweep", variants, ms[rounds / 2], ms[0],
                    ms[rounds - 1], rounds, last.baseline().summary().revenue().toPlainString());
        }
    }

    static Aggregates history(int customers, int months, SplittableRandom random) {
        List<Aggregates.Customer> list = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            list.add(new Aggregates.Customer(null, "customer-" + c));
        }
        List<LocalDate> periods = new ArrayList<>();
        for (int m = 0; m < months; m++) {
            periods.add(LocalDate.of(2025, 1, 1).plusMonths(m));
        }
        List<Aggregates.Usage> usage = new ArrayList<>();
        List<Aggregates.Cost> costs = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            double size = Math.exp(random.nextGaussian() * 1.5);   // a long tail of big customers
            for (int m = 0; m < months; m++) {
                for (String event : EVENTS) {
                    long calls = (long) (size * 200 * (0.5 + random.nextDouble()));
                    usage.add(new Aggregates.Usage(c, m, event, calls, calls * 1_800, calls * 400, calls * 450));
                }
                for (String[] model : MODELS) {
                    long calls = (long) (size * 300 * (0.5 + random.nextDouble()));
                    long in = calls * 1_800;
                    long out = calls * 450;
                    BigDecimal cost = BigDecimal.valueOf(in * 25 + out * 100, 8);   // ~$2.50 / $10 per 1M
                    costs.add(new Aggregates.Cost(c, m, model[0], model[1], in, calls * 400, out, cost, "usd"));
                }
            }
        }
        return new Aggregates("org_bench", list, periods, usage, costs);
    }

    static String scenario(int variants, boolean everyPrice) {
        StringBuilder yaml = new StringBuilder("""
                scenario: bench
                currency: usd
                meters:
                  chat_tokens: { event: chat.completion, quantity: total_tokens }
                  summaries: { event: document.summary }
                  reviews: { event: code.review }
                  triage: { event: support.triage }
                  embeddings: { event: embedding, quantity: input_tokens }
                plans:
                """);
        for (String plan : List.of("starter", "growth", "scale")) {
            yaml.append(plan(plan, "0.0004", "2")).append('\n');
        }
        yaml.append("customers:\n  default_plan: starter\n  plans:\n");
        for (int c = 0; c < 10_000; c += 3) {
            yaml.append("    customer-").append(c).append(c % 2 == 0 ? ": growth\n" : ": scale\n");
        }
        yaml.append("variants:\n");
        for (int v = 0; v < variants; v++) {
            String rate = new BigDecimal("0.0004").add(BigDecimal.valueOf(v + 1, 6)).toPlainString();
            yaml.append("  - name: v").append(v).append('\n');
            if (everyPrice) {
                yaml.append("    plans:\n");
                for (String plan : List.of("starter", "growth", "scale")) {
                    yaml.append(plan(plan, rate, BigDecimal.valueOf(200 + v, 2).toPlainString()).indent(4));
                }
                continue;
            }
            switch (v % 4) {
                case 0, 1 -> yaml.append("""
                            plans:
                              starter:
                                prices:
                                  chat_tokens:
                                    type: graduated
                                    tiers:
                                      - { up_to: 1000000, unit_amount: 0 }
                                      - { up_to: 20000000, unit_amount: %s }
                                      - { up_to: inf, unit_amount: 0.0003 }
                        """.formatted(rate));
                case 2 -> yaml.append("""
                            plans:
                              growth: { base_fee: %d, prices: { summaries: { type: package, package_size: 100, package_amount: %d } } }
                            move_plans: { starter: growth }
                        """.formatted(9_900 + v, 150 + v));
                default -> yaml.append("""
                            costs:
                              - substitute: { from: openai/gpt-4o, to: openai/gpt-4o-mini, share: %d%%, input: 0.15, cached_input: 0.075, output: 0.6 }
                        """.formatted(v % 100));
            }
        }
        return yaml.toString();
    }

    private static String plan(String name, String tokenRate, String summaryRate) {
        return """
                  %s:
                    base_fee: 2900
                    credit: 500
                    minimum: 3000
                    prices:
                      chat_tokens:
                        type: graduated
                        tiers:
                          - { up_to: 1000000, unit_amount: 0 }
                          - { up_to: 20000000, unit_amount: %s }
                          - { up_to: inf, unit_amount: 0.0003 }
                      summaries: { type: metered_unit, unit_amount: %s, included_units: 100, cap_amount: 500000 }
                      reviews:
                        type: volume
                        tiers:
                          - { up_to: 100, unit_amount: 5 }
                          - { up_to: 1000, unit_amount: 4, flat_amount: 100 }
                          - { up_to: inf, unit_amount: 3 }
                      triage: { type: package, package_size: 1000, package_amount: 500 }
                      embeddings: { type: metered_unit, unit_amount: 0.000002 }
                """.formatted(name, tokenRate, summaryRate).stripTrailing();
    }
}
