package dev.marginal.simulations.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.marginal.pricing.price.Price;
import dev.marginal.simulations.scenario.MeterDefinition;
import dev.marginal.simulations.scenario.Plan;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.Variant;
import dev.marginal.simulations.usage.Aggregates;

/**
 * Every (price, meter) line the variants use, interned: a hundred variants that each change one
 * price share the other prices' lines, and a line two or more variants use is priced once per
 * cell and reused. Pricing itself is always {@link Price#amount}, the engine's one rounding.
 */
final class PriceBook {

    /** One variant, ready for the hot loop: each customer's plan index and each plan's terms. */
    record ResolvedVariant(String name, Variant variant, int[] planOf, PlanTerms[] plans) {
    }

    /** A plan's terms as primitives; {@code lineOf[m]} is a line key, or -1 when meter m is not billed. */
    record PlanTerms(String name, long baseFee, long credit, long minimum, int[] lineOf) {
    }

    final List<ResolvedVariant> variants = new ArrayList<>();
    private final List<Price> linePrice = new ArrayList<>();
    private final List<Integer> lineMeter = new ArrayList<>();
    private final Map<List<Object>, Integer> lineKeys = new HashMap<>();
    private final List<boolean[]> lineCustomers = new ArrayList<>();
    private final List<Integer> lineVariants = new ArrayList<>();
    private final int customers;

    PriceBook(Scenario scenario, Aggregates aggregates, List<MeterDefinition> meters) {
        this.customers = aggregates.customers().size();
        String[] baselinePlan = new String[customers];
        for (int c = 0; c < customers; c++) {
            Aggregates.Customer customer = aggregates.customers().get(c);
            baselinePlan[c] = scenario.baselinePlanFor(customer.customerId(), customer.externalCustomerId());
        }
        List<Variant> all = new ArrayList<>();
        all.add(scenario.baselineVariant());
        all.addAll(scenario.variants());
        for (Variant variant : all) {
            variants.add(resolve(variant, aggregates, baselinePlan, meters));
        }
    }

    private ResolvedVariant resolve(Variant variant, Aggregates aggregates, String[] baselinePlan,
                                    List<MeterDefinition> meters) {
        List<String> planNames = new ArrayList<>(variant.plans().keySet());
        int[] planOf = new int[customers];
        for (int c = 0; c < customers; c++) {
            Aggregates.Customer customer = aggregates.customers().get(c);
            planOf[c] = planNames.indexOf(variant.planFor(customer.customerId(), customer.externalCustomerId(),
                    baselinePlan[c]));
        }
        PlanTerms[] terms = new PlanTerms[planNames.size()];
        List<Integer> usedHere = new ArrayList<>();
        for (int p = 0; p < terms.length; p++) {
            Plan plan = variant.plans().get(planNames.get(p));
            int[] lineOf = new int[meters.size()];
            for (int m = 0; m < meters.size(); m++) {
                Price price = plan.prices().get(meters.get(m).name());
                lineOf[m] = price == null ? -1 : intern(price, m);
                if (lineOf[m] >= 0) {
                    boolean[] mask = lineCustomers.get(lineOf[m]);
                    for (int c = 0; c < customers; c++) {
                        mask[c] |= planOf[c] == p;
                    }
                    if (!usedHere.contains(lineOf[m])) {
                        usedHere.add(lineOf[m]);
                    }
                }
            }
            long baseFee = plan.baseFee() == null ? 0 : plan.baseFee().amount(1).minorUnits();
            terms[p] = new PlanTerms(plan.name(), baseFee, plan.credit(), plan.minimum(), lineOf);
        }
        for (int line : usedHere) {
            lineVariants.set(line, lineVariants.get(line) + 1);
        }
        return new ResolvedVariant(variant.name(), variant, planOf, terms);
    }

    private int intern(Price price, int meter) {
        return lineKeys.computeIfAbsent(List.of(price, meter), k -> {
            linePrice.add(price);
            lineMeter.add(meter);
            lineCustomers.add(new boolean[customers]);
            lineVariants.add(0);
            return linePrice.size() - 1;
        });
    }

    int lines() {
        return linePrice.size();
    }

    Price price(int line) {
        return linePrice.get(line);
    }

    int meter(int line) {
        return lineMeter.get(line);
    }

    boolean shared(int line) {
        return lineVariants.get(line) > 1;
    }

    /**
     * The line amounts (minor units) of every line two or more variants use, for the cells of the
     * customers that use it; others are null and priced where they are used. In parallel over lines.
     */
    long[][] priceSharedLines(UsageCube usage, BigDecimal[] periodFactor) {
        long[][] amounts = new long[lines()][];
        IntStream.range(0, lines()).parallel().filter(this::shared).forEach(line -> {
            long[] out = new long[usage.cells()];
            boolean[] mask = lineCustomers.get(line);
            LinePricer pricer = new LinePricer(price(line), periodFactor);
            long[] q = usage.quantity[meter(line)];
            for (int c = 0; c < usage.customers; c++) {
                if (!mask[c]) {
                    continue;
                }
                for (int p = 0, cell = c * usage.periods; p < usage.periods; p++, cell++) {
                    out[cell] = pricer.amount(q[cell], p);
                }
            }
            amounts[line] = out;
        });
        return amounts;
    }

    /** Prices one line: {@link Price#amount} of the period quantity, grown by the period's factor if any. */
    static final class LinePricer {

        private final Price price;
        private final BigDecimal[] periodFactor;
        private final long zero;

        LinePricer(Price price, BigDecimal[] periodFactor) {
            this.price = price;
            this.periodFactor = periodFactor;
            // What no usage costs, asked once: it is zero for every usage price today, but the engine decides.
            this.zero = price.amount(BigDecimal.ZERO).minorUnits();
        }

        long amount(long quantity, int period) {
            if (quantity == 0) {
                return zero;
            }
            BigDecimal q = BigDecimal.valueOf(quantity);
            if (periodFactor != null) {
                q = q.multiply(periodFactor[period]);
            }
            return price.amount(q).minorUnits();
        }
    }
}
