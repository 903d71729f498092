package dev.marginal.simulations.optimiser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioException;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

/**
 * A 3 × 3 grid over a plan's base fee and unit price, on two customers whose bills are worked by hand:
 * the optimiser must find the known optimum, a constraint must move it, and the frontier must be
 * exactly the points no other beats on both revenue and bill increase.
 *
 * <pre>
 * baseline: fee 1,000 ¢ + 1 ¢ a request      ada 10,000 requests → 11,000 ¢    bob 1,000 → 2,000 ¢
 * candidate (f, u): ada = f + 10,000 u, bob = f + 1,000 u, revenue = 2 f + 11,000 u; cost $30 + $5
 *
 *   f     u    revenue   ada Δ     bob Δ    max Δ    margin %
 *  1000  1     130.00     0.0%      0.0%     0.0%    73.08%
 *  1000  1.2   152.00   +18.2%    +10.0%    18.2%    76.97%
 *  1000  1.5   185.00   +45.5%    +25.0%    45.5%    81.08%
 *  1500  1     140.00    +4.5%    +25.0%    25.0%    75.00%
 *  1500  1.2   162.00   +31.8%    +35.0%    35.0%    78.40%
 *  1500  1.5   195.00   +50.0%    +50.0%    50.0%    82.05%
 *  2000  1     150.00    +9.1%    +50.0%    50.0%    76.67%
 *  2000  1.2   172.00   +36.4%    +60.0%    60.0%    79.65%
 *  2000  1.5   205.00   +54.5%    +75.0%    75.0%    82.93%
 * </pre>
 */
class OptimiserTest {

    private static final String HEAD = """
            scenario: grid
            currency: usd
            meters:
              requests: { event: api.call }
            plans:
              starter:
                base_fee: 1000
                prices:
                  requests: { type: metered_unit, unit_amount: 1 }
            customers:
              default_plan: starter
            optimise:
            """;

    private static final String GRID = """
            parameters:
              fee:  { path: plans.starter.base_fee, values: [1000, 1500, 2000] }
              unit: { path: plans.starter.prices.requests.unit_amount, values: [1, 1.2, 1.5] }
            """;

    private static Aggregates history() {
        return new Aggregates("org_test",
                List.of(new Aggregates.Customer(null, "ada"), new Aggregates.Customer(null, "bob")),
                List.of(LocalDate.of(2026, 1, 1)),
                List.of(new Aggregates.Usage(0, 0, "api.call", 10_000, 0, 0, 0),
                        new Aggregates.Usage(1, 0, "api.call", 1_000, 0, 0, 0)),
                List.of(new Aggregates.Cost(0, 0, "openai", "gpt-4o", 1, 0, 1, new BigDecimal("30"), "usd"),
                        new Aggregates.Cost(1, 0, "openai", "gpt-4o", 1, 0, 1, new BigDecimal("5"), "usd")));
    }

    private static OptimiserResult optimise(String objectiveAndConstraints) {
        Scenario scenario = ScenarioParser.parse("grid.yaml", HEAD + (objectiveAndConstraints + GRID).indent(2));
        return Optimiser.run(scenario, history());
    }

    @Test
    void withoutConstraintsTheHighestRevenueIsTheLargestFeeAndPrice() {
        OptimiserResult result = optimise("maximise: revenue\n");
        assertThat(result.points()).hasSize(9);
        assertThat(result.chosen().name()).isEqualTo("fee=2000 unit=1.5");
        assertThat(result.chosen().objective()).isEqualByComparingTo("205.00");   // 2 × 2,000 + 11,000 × 1.5 ¢
        assertThat(result.baseline().revenue()).isEqualByComparingTo("130.00");
    }

    @Test
    void aCapOnBillIncreasesExcludesTheOptimumAndPicksTheBestPointUnderIt() {
        OptimiserResult result = optimise("""
                maximise: revenue
                constraints:
                  max_bill_increase: { max: 20% }
                """);
        assertThat(result.chosen().name()).isEqualTo("fee=1000 unit=1.2");
        assertThat(result.chosen().objective()).isEqualByComparingTo("152.00");
        assertThat(result.chosen().risk()).isEqualByComparingTo("18.18");        // ada: 2,000 / 11,000
        assertThat(result.feasibleCount()).isEqualTo(2);                         // (1000, 1) and (1000, 1.2)
        assertThat(result.points().get(8).violation())
                .isEqualTo("max_bill_increase 75.0% breaks max_bill_increase ≤ 20%");
        assertThat(result.explanation()).containsExactly(
                "maximise revenue subject to max_bill_increase ≤ 20%; 9 candidates, 2 meet the constraints",
                "baseline: revenue 130.00, max_bill_increase 0.0%",
                "chosen: fee=1000 unit=1.2 — revenue 152.00, max_bill_increase 18.2%",
                "why: the best revenue that meets every constraint; the next point on the frontier, fee=1500 unit=1.2, "
                        + "reaches revenue 162.00 but max_bill_increase 35.0% breaks max_bill_increase ≤ 20%");
    }

    @Test
    void theFrontierIsEveryPointNoOtherBeatsOnRevenueAndBillIncrease() {
        OptimiserResult result = optimise("maximise: revenue\n");
        assertThat(result.frontier()).extracting(OptimiserResult.Point::name).containsExactly(
                "fee=1000 unit=1", "fee=1000 unit=1.2", "fee=1500 unit=1.2", "fee=1000 unit=1.5", "fee=1500 unit=1.5",
                "fee=2000 unit=1.5");
    }

    @Test
    void aMarginTargetWithTheLeastBillIncrease() {
        OptimiserResult result = optimise("""
                minimise: max_bill_increase
                constraints:
                  margin_pct: { min: 78% }
                """);
        // 78 % or more: (1000, 1.5) at +45.5 %, (1500, 1.2) at +35 %, (1500, 1.5), (2000, 1.2), (2000, 1.5)
        assertThat(result.feasibleCount()).isEqualTo(5);
        assertThat(result.chosen().name()).isEqualTo("fee=1500 unit=1.2");
        assertThat(result.chosen().summary().marginPct()).isEqualByComparingTo("78.40");   // (162 − 35) / 162
    }

    @Test
    void moneyBoundsAreWrittenInMinorUnits() {
        OptimiserResult result = optimise("""
                minimise: max_bill_increase
                constraints:
                  margin: { min: 16000 }
                """);
        // margin ≥ $160: (2000, 1.5) with 205 − 35 = 170 at +75 %, and (1500, 1.5) with exactly 160 at +50 %
        assertThat(result.feasibleCount()).isEqualTo(2);
        assertThat(result.chosen().name()).isEqualTo("fee=1500 unit=1.5");
    }

    @Test
    void whenNothingQualifiesNothingIsChosenAndTheReportSaysWhy() {
        OptimiserResult result = optimise("""
                maximise: margin_pct
                constraints:
                  margin_pct: { min: 90% }
                """);
        assertThat(result.chosen()).isNull();
        assertThat(result.chosenResult()).isNull();
        assertThat(result.explanation()).last().isEqualTo("no candidate meets the constraints; the best margin_pct, "
                + "fee=2000 unit=1.5 (margin_pct 82.9%), fails on margin_pct 82.9% breaks margin_pct ≥ 90%");
    }

    @Test
    void theChosenPointIsSimulatedInFullForItsCustomerResults() {
        OptimiserResult result = optimise("maximise: revenue\nconstraints:\n  max_bill_increase: { max: 20% }\n");
        var variant = result.chosenResult().variant("fee=1000 unit=1.2");
        assertThat(variant.bill(0, 0).minorUnits()).isEqualTo(1_000 + 12_000);   // ada: 10,000 × 1.2 ¢
        assertThat(variant.bill(1, 0).minorUnits()).isEqualTo(1_000 + 1_200);    // bob
    }

    @Test
    void stepsAreExactDecimalsAndTierPricesAreSearchable() {
        Scenario scenario = ScenarioParser.parse("tiers.yaml", """
                scenario: tiers
                currency: usd
                meters:
                  tokens: { event: chat, quantity: total_tokens }
                plans:
                  starter:
                    prices:
                      tokens:
                        type: graduated
                        tiers:
                          - { up_to: 1000, unit_amount: 0 }
                          - { up_to: inf,  unit_amount: 0.4 }
                customers:
                  default_plan: starter
                optimise:
                  maximise: revenue
                  parameters:
                    rate: { path: "plans.starter.prices.tokens.tiers[1].unit_amount", from: 0.4, to: 0.5, step: 0.05 }
                    free:
                      path: plans.starter.prices.tokens.tiers[0].up_to
                      values: [1000, 2000]
                """);
        assertThat(scenario.optimisation().candidates()).extracting(c -> c.name()).containsExactly(
                "rate=0.4 free=1000", "rate=0.4 free=2000", "rate=0.45 free=1000", "rate=0.45 free=2000",
                "rate=0.5 free=1000", "rate=0.5 free=2000");
        Aggregates history = new Aggregates("org", List.of(new Aggregates.Customer(null, "ada")),
                List.of(LocalDate.of(2026, 1, 1)), List.of(new Aggregates.Usage(0, 0, "chat", 3, 6_000, 0, 4_000)),
                List.of());
        OptimiserResult result = Optimiser.run(scenario, history);
        // 10,000 tokens, the first 1,000 free: 9,000 × 0.5 = 4,500 ¢
        assertThat(result.chosen().name()).isEqualTo("rate=0.5 free=1000");
        assertThat(result.chosen().objective()).isEqualByComparingTo("45.00");
    }

    @Test
    void aCandidateThatMakesAnInvalidPriceRefusesTheFileAtTheParameter() {
        assertThatThrownBy(() -> ScenarioParser.parse("bad.yaml", """
                scenario: bad
                currency: usd
                meters:
                  tokens: { event: chat }
                plans:
                  starter:
                    prices:
                      tokens:
                        type: graduated
                        tiers:
                          - { up_to: 1000, unit_amount: 0 }
                          - { up_to: 5000, unit_amount: 1 }
                          - { up_to: inf,  unit_amount: 0.5 }
                customers:
                  default_plan: starter
                optimise:
                  maximise: revenue
                  parameters:
                    free: { path: "plans.starter.prices.tokens.tiers[0].up_to", values: [1000, 6000] }
                """))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("bad.yaml:19: optimise.parameters.free: the candidate free=6000 makes plan "
                        + "starter invalid: ");
    }

    @Test
    void refusedOptimiseSections() {
        assertThat(refusal("maximise: happiness\nparameters: { fee: { path: plans.starter.base_fee, values: [1] } }"))
                .startsWith("x.yaml:13: optimise.maximise: unknown metric 'happiness'");
        assertThat(refusal("maximise: revenue_p5\nparameters: { fee: { path: plans.starter.base_fee, values: [1] } }"))
                .isEqualTo("x.yaml:13: optimise.maximise: revenue_p5 is a Monte Carlo percentile: it needs behaviour "
                        + "with churn or usage_growth");
        assertThat(refusal("maximise: revenue\nparameters: { fee: { path: plans.growth.base_fee, values: [1] } }"))
                .startsWith("x.yaml:14: optimise.parameters.fee.path: must be plans.<baseline plan>.<field>");
        assertThat(refusal("maximise: revenue\nparameters: { fee: { path: plans.starter.base_fee, values: [1, 1.0] } }"))
                .isEqualTo("x.yaml:14: optimise.parameters.fee.values[1]: 1.0 is listed twice");
        assertThat(refusal("maximise: revenue\nconstraints: { margin_pct: { min: 0.7 } }\n"
                + "parameters: { fee: { path: plans.starter.base_fee, values: [1] } }"))
                .startsWith("x.yaml:14: optimise.constraints.margin_pct.min: write a percentage with its % sign");
        assertThat(refusal("maximise: revenue\nminimise: cost\n"
                + "parameters: { fee: { path: plans.starter.base_fee, values: [1] } }"))
                .startsWith("x.yaml:13: optimise: give exactly one of maximise or minimise");
        assertThat(refusal("maximise: revenue\nparameters: { fee: { path: \"plans.starter.prices.requests.tiers[0].up_to\", values: [1] } }"))
                .startsWith("x.yaml:14: optimise.parameters.fee: ");
    }

    private static String refusal(String optimise) {
        try {
            ScenarioParser.parse("x.yaml", HEAD.replace("optimise:\n", "") + "optimise:\n" + optimise.indent(2));
        } catch (ScenarioException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }
}
