package dev.marginal.simulations.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import dev.marginal.pricing.price.Price;
import dev.marginal.simulations.scenario.Plan;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The null scenario reproduces the baseline bill for every customer and period exactly — and the
 * baseline bill is what the pricing engine says, line by line, recomputed here without the
 * simulator's sharing and caching.
 */
class NullScenarioTest {

    private static final Scenario BASELINE = ScenarioParser.parse(Path.of("examples/baseline.yaml"));
    private static final String[] EVENTS = {"chat.completion", "document.summary", "code.review", "support.triage", "other"};

    /** The baseline file with a variant that restates every baseline price: equal prices, fresh objects. */
    private static final Scenario RESTATED;

    static {
        String yaml;
        try {
            yaml = java.nio.file.Files.readString(Path.of("examples/baseline.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String plans = yaml.substring(yaml.indexOf("plans:\n") + "plans:\n".length(), yaml.indexOf("\ncustomers:"));
        RESTATED = ScenarioParser.parse("restated.yaml", yaml + "\nvariants:\n  - name: restated\n    plans:\n"
                + plans.indent(4) + "  - name: nothing\n");
    }

    @Provide
    Arbitrary<Aggregates> histories() {
        Arbitrary<Aggregates.Usage> usage = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 3),
                Arbitraries.of(EVENTS), Arbitraries.longs().between(0, 5_000),
                Arbitraries.longs().between(0, 40_000_000), Arbitraries.longs().between(0, 2_000_000))
                .as((c, p, e, n, in, out) -> new Aggregates.Usage(c, p, e, n, in, in / 3, out));
        return usage.list().ofMaxSize(40).map(rows -> {
            List<Aggregates.Customer> customers = List.of(
                    new Aggregates.Customer(null, "acme-robotics"), new Aggregates.Customer("c-2", null),
                    new Aggregates.Customer(null, "globex-ai"), new Aggregates.Customer(null, "stark-analytics"),
                    new Aggregates.Customer("c-5", "initech-labs"), new Aggregates.Customer(null, "umbrella-health"));
            List<LocalDate> periods = List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1),
                    LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1));
            return new Aggregates("org", customers, periods, rows, List.of());
        });
    }

    @Property(tries = 200)
    void nullVariantsReproduceTheBaselineExactly(@ForAll("histories") Aggregates history) {
        SimulationResult result = Simulator.run(RESTATED, history);
        for (String variant : List.of("restated", "nothing")) {
            for (int c = 0; c < history.customers().size(); c++) {
                for (int p = 0; p < history.periodStarts().size(); p++) {
                    assertThat(result.variant(variant).bill(c, p)).isEqualTo(result.actualBill(c, p));
                }
            }
            assertThat(result.variant(variant).summary().revenueDeltaPct()).isIn(null, BigDecimal.ZERO.setScale(2));
        }
    }

    @Property(tries = 200)
    void theBaselineBillIsThePricingEnginesLineByLine(@ForAll("histories") Aggregates history) {
        SimulationResult result = Simulator.run(BASELINE, history);
        for (int c = 0; c < history.customers().size(); c++) {
            Aggregates.Customer customer = history.customers().get(c);
            Plan plan = BASELINE.plans().get(BASELINE.baselinePlanFor(customer.customerId(), customer.externalCustomerId()));
            int first = Integer.MAX_VALUE;
            int last = -1;
            for (Aggregates.Usage u : history.usage()) {
                if (u.customer() == c) {
                    first = Math.min(first, u.period());
                    last = Math.max(last, u.period());
                }
            }
            for (int p = 0; p < history.periodStarts().size(); p++) {
                long expected = 0;
                if (p >= first && p <= last) {
                    long usage = 0;
                    for (var meter : BASELINE.meters().values()) {
                        Price price = plan.prices().get(meter.name());
                        usage += price.amount(quantity(history, c, p, meter)).minorUnits();
                    }
                    long fee = plan.baseFee() == null ? 0 : plan.baseFee().amount(1).minorUnits();
                    expected = Math.max(fee + usage - Math.min(plan.credit(), usage), plan.minimum());
                }
                assertThat(result.actualBill(c, p).minorUnits()).as("customer %d period %d", c, p).isEqualTo(expected);
            }
        }
    }

    private static long quantity(Aggregates history, int c, int p, dev.marginal.simulations.scenario.MeterDefinition meter) {
        long sum = 0;
        for (Aggregates.Usage u : history.usage()) {
            if (u.customer() == c && u.period() == p && u.event().equals(meter.event())) {
                sum += switch (meter.quantity()) {
                    case COUNT -> u.events();
                    case TOTAL_TOKENS -> u.inputTokens() + u.outputTokens();
                    case INPUT_TOKENS -> u.inputTokens();
                    case CACHED_INPUT_TOKENS -> u.cachedInputTokens();
                    case OUTPUT_TOKENS -> u.outputTokens();
                };
            }
        }
        return sum;
    }

}
