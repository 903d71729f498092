package dev.marginal.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.engine.Summary;
import dev.marginal.simulations.engine.VariantResult;
import dev.marginal.simulations.optimiser.Optimiser;
import dev.marginal.simulations.optimiser.OptimiserResult;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

/**
 * Every file in {@code simulations/examples/} run on the demo's history (90,000 of the demo
 * generator's events over three months — about 25 minutes of `bin/marginal demo` a month — {@link DemoHistory}), checked for what each example claims to show.
 * {@link #main} prints what a pricing team sees for each (docs/simulations.md quotes it).
 */
class ExamplesOnDemoDataTest {

    private static final Path EXAMPLES = Path.of("examples");
    private static final Set<String> SCALE = Set.of("acme-robotics", "stark-analytics");
    private static final Aggregates DEMO = DemoHistory.of(7, 90_000, LocalDate.of(2026, 1, 1), 3);

    private static SimulationResult run(String file) {
        return Simulator.run(ScenarioParser.parse(EXAMPLES.resolve(file)), DEMO);
    }

    @Test
    void everyExampleIsCoveredHere() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("baseline.yaml",
                    "price-increase.yaml", "model-substitution.yaml", "package-plan.yaml", "optimise-starter.yaml");
        }
        assertThat(DEMO.customers()).hasSize(6);
    }

    @Test
    void baselineBillsEveryDemoCustomerEveryMonthAtLeastTheirPlansFloor() {
        SimulationResult result = run("baseline.yaml");
        assertThat(result.variants()).extracting(VariantResult::name).containsExactly("baseline");
        forEachCell(result, (customer, c, p) -> assertThat(result.actualBill(c, p).minorUnits())
                .isGreaterThanOrEqualTo(SCALE.contains(customer) ? 100_000 : 2_900));   // scale's minimum, starter's fee
        Summary s = result.baseline().summary();
        assertThat(s.revenue()).isEqualByComparingTo(s.actualRevenue());
        assertThat(s.cost()).isPositive();
    }

    @Test
    void priceIncreaseRaisesOnlyStarterBills() {
        SimulationResult result = run("price-increase.yaml");
        VariantResult fee = result.variant("starter-fee-39");
        VariantResult tier = result.variant("starter-tier-up-25pct");
        forEachCell(result, (customer, c, p) -> {
            long actual = result.actualBill(c, p).minorUnits();
            if (SCALE.contains(customer)) {
                assertThat(fee.bill(c, p).minorUnits()).isEqualTo(actual);
                assertThat(tier.bill(c, p).minorUnits()).isEqualTo(actual);
            } else {
                assertThat(fee.bill(c, p).minorUnits()).isEqualTo(actual + 1_000);   // $29 → $39, nothing else
                assertThat(tier.bill(c, p).minorUnits()).isGreaterThanOrEqualTo(actual);
            }
        });
        Summary s = fee.summary();
        assertThat(s.revenueP().p5()).isLessThanOrEqualTo(s.revenueP().p50());
        assertThat(s.revenueP().p50()).isLessThanOrEqualTo(s.revenueP().p95());
        assertThat(s.expectedChurn()).isPositive();
        assertThat(run("price-increase.yaml").variant("starter-fee-39").summary()).isEqualTo(s);   // seeded
    }

    @Test
    void modelSubstitutionMovesCostNotRevenue() {
        SimulationResult result = run("model-substitution.yaml");
        Summary actual = result.baseline().summary();
        Summary mini = result.variant("70pct-gpt-4o-to-mini").summary();
        Summary discounted = result.variant("mini-plus-openai-discount").summary();
        Summary sonnet = result.variant("sonnet-price-up").summary();
        for (Summary s : List.of(mini, discounted, sonnet)) {
            assertThat(s.revenue()).isEqualByComparingTo(actual.revenue());
        }
        assertThat(mini.cost()).isLessThan(actual.cost());
        assertThat(discounted.cost()).isLessThan(mini.cost());
        assertThat(sonnet.cost()).isGreaterThan(actual.cost());
    }

    @Test
    void packagePlanMovesStarterCustomersOnly() {
        SimulationResult result = run("package-plan.yaml");
        VariantResult growth = result.variant("growth-package-plan");
        boolean[] someStarterChanged = {false};
        forEachCell(result, (customer, c, p) -> {
            long actual = result.actualBill(c, p).minorUnits();
            if (SCALE.contains(customer)) {
                assertThat(growth.bill(c, p).minorUnits()).isEqualTo(actual);
            } else {
                assertThat(growth.bill(c, p).minorUnits()).isGreaterThanOrEqualTo(9_900 - 2_000);   // fee less credit at worst
                someStarterChanged[0] |= growth.bill(c, p).minorUnits() != actual;
            }
        });
        assertThat(someStarterChanged[0]).isTrue();
    }

    @Test
    void optimiserPicksAPointThatMeetsItsConstraintsAndPicksItAgain() {
        Scenario scenario = ScenarioParser.parse(EXAMPLES.resolve("optimise-starter.yaml"));
        OptimiserResult result = Optimiser.run(scenario, DEMO);
        assertThat(result.points()).hasSize(25);
        assertThat(result.chosen()).isNotNull();
        Summary chosen = result.chosen().summary();
        assertThat(chosen.maxIncreasePct()).isLessThanOrEqualTo(new java.math.BigDecimal("20"));
        assertThat(chosen.expectedChurn()).isLessThanOrEqualTo(new java.math.BigDecimal("0.5"));
        assertThat(chosen.margin()).isGreaterThanOrEqualTo(result.baseline().margin());
        for (OptimiserResult.Point p : result.points()) {
            if (p.feasible()) {
                assertThat(p.summary().margin()).isLessThanOrEqualTo(chosen.margin());
            }
        }
        OptimiserResult again = Optimiser.run(scenario, DEMO);
        assertThat(again.chosen().name()).isEqualTo(result.chosen().name());
        assertThat(again.points()).extracting(OptimiserResult.Point::summary)
                .containsExactlyElementsOf(result.points().stream().map(OptimiserResult.Point::summary).toList());
    }

    private interface Cell {
        void check(String customer, int c, int p);
    }

    private static void forEachCell(SimulationResult result, Cell cell) {
        for (int c = 0; c < DEMO.customers().size(); c++) {
            for (int p = 0; p < DEMO.periodStarts().size(); p++) {
                cell.check(DEMO.customers().get(c).label(), c, p);
            }
        }
    }

    /** What `bin/marginal simulate` prints for each example on this history (for docs/simulations.md). */
    public static void main(String[] args) throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.sorted().toList()) {
                Scenario scenario = ScenarioParser.parse(file);
                System.out.println("$ bin/marginal simulate " + file);
                System.out.print(SummaryTable.render(Simulator.run(scenario, DEMO)));
                if (scenario.optimisation() != null) {
                    System.out.print(SummaryTable.renderOptimiser(Optimiser.run(scenario, DEMO)));
                }
                System.out.println();
            }
        }
    }
}
