package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.marginal.pricing.price.Price;
import dev.marginal.simulations.scenario.Behaviour;
import dev.marginal.simulations.scenario.MeterDefinition;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.usage.Aggregates;

/**
 * The what-if engine: prices every customer's history under the baseline (the actual bill) and
 * under each variant, with the shared pricing engine, and summarises revenue, cost and margin.
 * Pure: no I/O, no clock, no global state; the same inputs (and seed) give the same result.
 *
 * <p>A period's bill for a customer on plan P: base fee + Σ over P's meters of
 * {@link Price#amount}(the period quantity), minus P's usage credit (at most the usage), raised to
 * P's minimum. Variants are evaluated in parallel; lines several variants share are priced once.
 */
public final class Simulator {

    private Simulator() {
    }

    public static SimulationResult run(Scenario scenario, Aggregates aggregates) {
        return run(scenario, aggregates, Progress.NONE);
    }

    public static SimulationResult run(Scenario scenario, Aggregates aggregates, Progress progress) {
        List<MeterDefinition> meters = new ArrayList<>(scenario.meters().values());
        UsageCube usage = new UsageCube(aggregates, meters);
        CostModel costs = new CostModel(aggregates, usage, scenario.currency());
        PriceBook book = new PriceBook(scenario, aggregates, meters);
        SimulationResult.Layout layout = new SimulationResult.Layout(usage.customers, usage.periods, scenario.currency());
        Behaviour behaviour = scenario.behaviour();

        long[][] shared = book.priceSharedLines(usage, null);
        long[] actual = bills(book, book.variants.get(0), usage, shared, null);
        BigDecimal[][] growth = behaviour.isStochastic() ? MonteCarlo.growthFactors(behaviour, usage.periods) : null;
        long[][][] sharedByLevel = growth == null ? null : new long[growth.length][][];
        if (growth != null) {
            for (int k = 0; k < growth.length; k++) {
                sharedByLevel[k] = growth[k] == null ? shared : book.priceSharedLines(usage, growth[k]);
            }
        }

        int total = book.variants.size();
        AtomicInteger done = new AtomicInteger();
        VariantResult[] results = new VariantResult[total];
        IntStream.range(0, total).parallel().forEach(v -> {
            PriceBook.ResolvedVariant variant = book.variants.get(v);
            long[] bill = v == 0 ? actual : bills(book, variant, usage, shared, null);
            long[] cost = costs.costs(variant.variant().costChanges());
            Summary summary = summarise(variant.name(), layout, usage, actual, costs.baseline, bill, cost, behaviour,
                    growth == null ? null : monteCarlo(book, variant, usage, sharedByLevel, growth, bill, cost,
                            actual, behaviour));
            results[v] = new VariantResult(variant.name(), layout, bill, cost, summary);
            progress.variantDone(done.incrementAndGet(), total);
        });
        return new SimulationResult(scenario, aggregates, List.of(results));
    }

    /** Each cell's bill in minor units under one variant; {@code factor} grows usage per period (null = as recorded). */
    static long[] bills(PriceBook book, PriceBook.ResolvedVariant variant, UsageCube usage, long[][] shared,
                        BigDecimal[] factor) {
        int periods = usage.periods;
        int meters = usage.meters.size();
        // Lines only this variant uses are priced here; a pricer per line, made once per variant.
        PriceBook.LinePricer[] own = new PriceBook.LinePricer[book.lines()];
        long[] out = new long[usage.cells()];
        for (int c = 0; c < usage.customers; c++) {
            PriceBook.PlanTerms plan = variant.plans()[variant.planOf()[c]];
            int[] lineOf = plan.lineOf();
            for (int p = 0, cell = c * periods; p < periods; p++, cell++) {
                if (!usage.active[cell]) {
                    continue;
                }
                long usageTotal = 0;
                for (int m = 0; m < meters; m++) {
                    int line = lineOf[m];
                    if (line < 0) {
                        continue;
                    }
                    long amount;
                    if (shared[line] != null) {
                        amount = shared[line][cell];
                    } else {
                        if (own[line] == null) {
                            own[line] = new PriceBook.LinePricer(book.price(line), factor);
                        }
                        amount = own[line].amount(usage.quantity[m][cell], p);
                    }
                    usageTotal = Math.addExact(usageTotal, amount);
                }
                long bill = plan.baseFee() + usageTotal - Math.min(plan.credit(), usageTotal);
                out[cell] = Math.max(bill, plan.minimum());
            }
        }
        return out;
    }

    private static long[][] monteCarlo(PriceBook book, PriceBook.ResolvedVariant variant, UsageCube usage,
                                       long[][][] sharedByLevel, BigDecimal[][] growth, long[] bill, long[] cost,
                                       long[] actual, Behaviour behaviour) {
        int levels = growth.length;
        long[][] revenuePrefix = new long[levels][];
        long[][] costPrefix = new long[levels][];
        for (int k = 0; k < levels; k++) {
            long[] levelBill = growth[k] == null ? bill : bills(book, variant, usage, sharedByLevel[k], growth[k]);
            long[] levelCost = cost;
            if (growth[k] != null) {
                levelCost = new long[cost.length];
                for (int cell = 0; cell < cost.length; cell++) {
                    levelCost[cell] = CostModel.grow(cost[cell], growth[k][cell % usage.periods]);
                }
            }
            revenuePrefix[k] = MonteCarlo.prefix(levelBill, usage.customers, usage.periods);
            costPrefix[k] = MonteCarlo.prefix(levelCost, usage.customers, usage.periods);
        }
        double[] churn = MonteCarlo.churnProbabilities(behaviour.churn(), totals(actual, usage), totals(bill, usage));
        return MonteCarlo.trials(behaviour, variant.name(), revenuePrefix, costPrefix, churn, usage.customers,
                usage.periods);
    }

    private static Summary summarise(String name, SimulationResult.Layout layout, UsageCube usage, long[] actual,
                                     long[] actualCost, long[] bill, long[] cost, Behaviour behaviour,
                                     long[][] trials) {
        long actualRevenue = 0;
        long revenue = 0;
        long actualCostTotal = 0;
        long costTotal = 0;
        for (int cell = 0; cell < bill.length; cell++) {
            actualRevenue = Math.addExact(actualRevenue, actual[cell]);
            revenue = Math.addExact(revenue, bill[cell]);
            actualCostTotal = Math.addExact(actualCostTotal, actualCost[cell]);
            costTotal = Math.addExact(costTotal, cost[cell]);
        }
        long[] actualByCustomer = totals(actual, usage);
        long[] billByCustomer = totals(bill, usage);
        int up = 0;
        int down = 0;
        BigDecimal maxIncrease = null;
        for (int c = 0; c < usage.customers; c++) {
            if (billByCustomer[c] > actualByCustomer[c]) {
                up++;
                BigDecimal increase = SimulationResult.percentChange(actualByCustomer[c], billByCustomer[c]);
                if (increase != null && (maxIncrease == null || increase.compareTo(maxIncrease) > 0)) {
                    maxIncrease = increase;
                }
            } else if (billByCustomer[c] < actualByCustomer[c]) {
                down++;
            }
        }
        double[] churn = MonteCarlo.churnProbabilities(behaviour.churn(), actualByCustomer, billByCustomer);
        double expectedChurn = 0;
        for (double p : churn) {
            expectedChurn += p;
        }
        int minorDigits = layout.currency().getDefaultFractionDigits();
        BigDecimal revenueMajor = BigDecimal.valueOf(revenue, minorDigits);
        BigDecimal costMajor = layout.major(costTotal);
        BigDecimal margin = revenueMajor.subtract(costMajor);
        return new Summary(name, layout.currency(), BigDecimal.valueOf(actualRevenue, minorDigits), revenueMajor,
                SimulationResult.percentChange(actualRevenue, revenue), layout.major(actualCostTotal), costMajor, margin,
                revenue == 0 ? null : margin.multiply(BigDecimal.valueOf(100)).divide(revenueMajor, 2, RoundingMode.HALF_EVEN),
                up, down, maxIncrease, BigDecimal.valueOf(expectedChurn).setScale(2, RoundingMode.HALF_EVEN),
                trials == null ? null : Percentiles.of(trials[0], minorDigits),
                trials == null ? null : Percentiles.of(trials[1], minorDigits + CostModel.MICROS));
    }

    private static long[] totals(long[] cells, UsageCube usage) {
        long[] out = new long[usage.customers];
        for (int c = 0; c < usage.customers; c++) {
            long sum = 0;
            for (int p = 0, cell = c * usage.periods; p < usage.periods; p++, cell++) {
                sum = Math.addExact(sum, cells[cell]);
            }
            out[c] = sum;
        }
        return out;
    }
}
