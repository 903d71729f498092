package dev.marginal.simulations.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.marginal.simulations.scenario.ScenarioParser;

/**
 * Cost changes, worked by hand. Ada's January: 1,000,000 gpt-4o input tokens (200,000 of them
 * cached) and 100,000 output tokens that cost $3.00 as recorded, plus $1.00 of Claude.
 * Token prices are USD per million; cents = tokens × rate × 100 / 1,000,000.
 */
class CostChangesTest {

    private static SimulationResult result;

    @BeforeAll
    static void simulate() {
        String yaml = """
                scenario: costs
                currency: usd
                meters:
                  chat: { event: chat.completion }
                plans:
                  plan: { base_fee: 1000 }
                customers:
                  default_plan: plan
                variants:
                  - name: gpt-4o-cheaper
                    costs:
                      - vendor_price: { vendor: OpenAI, model: gpt-4o, input: 2.0, cached_input: 1.0, output: 8.0 }
                  - name: mini
                    costs:
                      - substitute: { from: openai/gpt-4o, to: openai/gpt-4o-mini, share: 70%, input: 0.15, cached_input: 0.075, output: 0.6 }
                  - name: discount
                    costs:
                      - discount: { vendor: openai, percent: 10% }
                  - name: mini-then-discount
                    costs:
                      - substitute: { from: openai/gpt-4o, to: openai/gpt-4o-mini, share: 70%, input: 0.15, cached_input: 0.075, output: 0.6 }
                      - discount: { vendor: openai, model: gpt-4o-mini, percent: 10% }
                  - name: everything-to-mini
                    costs:
                      - substitute: { from: openai/gpt-4o, to: openai/gpt-4o-mini, share: 100%, input: 0.15, cached_input: 0.075, output: 0.6 }
                """;
        result = Simulator.run(ScenarioParser.parse("costs.yaml", yaml), new History(1, "ada")
                .events("ada", 0, "chat.completion", 10)
                .cost("ada", 0, "openai", "gpt-4o", 1_000_000, 200_000, 100_000, "3.00")
                .cost("ada", 0, "anthropic", "claude-sonnet-4-5", 0, 0, 0, "1.00")
                .build());
    }

    @Test
    void baselineCostIsTheRecordedCost() {
        assertThat(result.actualCost(0, 0)).isEqualByComparingTo("4.00");
        assertThat(result.baseline().margin(0, 0)).isEqualByComparingTo("6.00");   // $10 fee − $4
    }

    @Test
    void vendorPriceRecostsTheTokens() {
        // (800,000 × 2.0 + 200,000 × 1.0 + 100,000 × 8.0) × 0.0001 = 260 ¢ = $2.60, plus Claude's $1.00
        assertThat(result.variant("gpt-4o-cheaper").cost(0, 0)).isEqualByComparingTo("3.60");
    }

    @Test
    void substitutionMovesAShareOfTrafficToTheOtherModel() {
        // mini for all the tokens: (800,000 × 0.15 + 200,000 × 0.075 + 100,000 × 0.6) × 0.0001 = 19.5 ¢
        // 30 % stays: 0.3 × $3.00 = $0.90; 70 % moves: 0.7 × $0.195 = $0.1365; + $1.00
        assertThat(result.variant("mini").cost(0, 0)).isEqualByComparingTo("2.0365");
        assertThat(result.variant("everything-to-mini").cost(0, 0)).isEqualByComparingTo("1.195");
    }

    @Test
    void discountAppliesToTheVendorOnly() {
        assertThat(result.variant("discount").cost(0, 0)).isEqualByComparingTo("3.70");   // 3.00 × 0.9 + 1.00
    }

    @Test
    void changesApplyInOrderToWhatTheEarlierOnesLeft() {
        // $0.90 stays on gpt-4o (no discount on it), $0.1365 × 0.9 = $0.12285 on mini, + $1.00
        assertThat(result.variant("mini-then-discount").cost(0, 0)).isEqualByComparingTo("2.02285");
    }

    @Test
    void costChangesLeaveBillsAlone() {
        assertThat(result.variant("mini").bill(0, 0)).isEqualTo(result.actualBill(0, 0));
        assertThat(result.variant("mini").summary().margin()).isEqualByComparingTo("7.9635");   // 10.00 − 2.0365
    }
}
