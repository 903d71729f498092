package dev.marginal.simulations.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.marginal.pricing.Money;
import dev.marginal.simulations.scenario.Scenario;
import dev.marginal.simulations.scenario.ScenarioParser;

/** Each price type and plan term, priced by the simulator and checked against figures worked by hand. */
class BillsByPriceTypeTest {

    private static final String HEADER = """
            scenario: hand
            currency: usd
            meters:
              requests: { event: api.call }
            customers:
              default_plan: plan
            """;

    private static long bill(String plan, long requests) {
        Scenario scenario = ScenarioParser.parse("hand.yaml", HEADER + "plans:\n  plan:\n" + plan.indent(4));
        SimulationResult result = Simulator.run(scenario,
                new History(1, "ada").events("ada", 0, "api.call", requests).build());
        return result.actualBill(0, 0).minorUnits();
    }

    @Test
    void meteredUnitWithAllowanceAndCap() {
        String plan = "prices:\n  requests: { type: metered_unit, unit_amount: 2, included_units: 1000, cap_amount: 5000 }";
        assertThat(bill(plan, 2_500)).isEqualTo((2_500 - 1_000) * 2);     // 3,000 ¢
        assertThat(bill(plan, 9_000)).isEqualTo(5_000);                   // (9,000 − 1,000) × 2 = 16,000 ¢, capped
        assertThat(bill(plan, 800)).isZero();                             // inside the allowance
    }

    private static final String TIERS = """
              tiers:
                - { up_to: 1000, unit_amount: 0 }
                - { up_to: 10000, unit_amount: 0.5, flat_amount: 2000 }
                - { up_to: inf, unit_amount: 0.2 }
            """;

    @Test
    void graduatedTiers() {
        String plan = "prices:\n  requests:\n    type: graduated\n" + TIERS.indent(2);
        assertThat(bill(plan, 12_500)).isEqualTo(1_000 * 0 + (9_000 * 5 / 10 + 2_000) + 2_500 * 2 / 10);   // 7,000
        assertThat(bill(plan, 1_000)).isZero();
    }

    @Test
    void volumeTiers() {
        String plan = "prices:\n  requests:\n    type: volume\n" + TIERS.indent(2);
        assertThat(bill(plan, 12_500)).isEqualTo(12_500 * 2 / 10);           // 2,500: all at the last tier's rate
        assertThat(bill(plan, 5_000)).isEqualTo(5_000 * 5 / 10 + 2_000);     // 4,500
    }

    @Test
    void packagesRoundedUpOrDown() {
        String up = "prices:\n  requests: { type: package, package_size: 1000, package_amount: 500, included_units: 100 }";
        String down = up.replace("included_units", "round: down, included_units");
        assertThat(bill(up, 2_350)).isEqualTo(3 * 500);      // (2,350 − 100) / 1,000 = 2.25 → 3 packages
        assertThat(bill(down, 2_350)).isEqualTo(2 * 500);    // → 2 packages
    }

    @Test
    void subCentTokenPriceRoundsOncePerLine() {
        String plan = "prices:\n  requests: { type: metered_unit, unit_amount: 0.000125 }";
        assertThat(bill(plan, 3_141_593)).isEqualTo(393);   // 392.699125 ¢ → 393 ¢
    }

    @Test
    void baseFeeCreditAndMinimum() {
        String metered = "  requests: { type: metered_unit, unit_amount: 2 }";
        assertThat(bill("base_fee: 2900\ncredit: 500\nprices:\n" + metered, 1_500))
                .isEqualTo(2_900 + 1_500 * 2 - 500);                       // 5,400: the credit pays usage
        assertThat(bill("base_fee: 2900\ncredit: 500\nprices:\n" + metered, 150))
                .isEqualTo(2_900);                                         // usage 300 < credit: usage is free, the fee is not
        assertThat(bill("base_fee: 2900\nminimum: 10000\nprices:\n" + metered, 1_500))
                .isEqualTo(10_000);                                        // 5,900 topped up to the minimum
        assertThat(bill("base_fee: 2900\nminimum: 10000\nprices:\n" + metered, 4_000))
                .isEqualTo(2_900 + 8_000);                                 // 10,900 is above the minimum
    }

    @Test
    void variantMovesCustomersBetweenPlans() {
        String yaml = HEADER + """
                plans:
                  small: { base_fee: 1000, prices: { requests: { type: metered_unit, unit_amount: 3 } } }
                  plan:  { base_fee: 5000, prices: { requests: { type: metered_unit, unit_amount: 1 } } }
                variants:
                  - name: ada-to-small
                    move_customers: { ada: small }
                  - name: everyone-to-small
                    move_plans: { plan: small }
                """;
        SimulationResult result = Simulator.run(ScenarioParser.parse("moves.yaml", yaml),
                new History(1, "ada", "bob").events("ada", 0, "api.call", 1_000).events("bob", 0, "api.call", 10).build());
        assertThat(result.actualBill(0, 0)).isEqualTo(Money.of(5_000 + 1_000, "USD"));
        assertThat(result.variant("ada-to-small").bill(0, 0)).isEqualTo(Money.of(1_000 + 3_000, "USD"));
        assertThat(result.variant("ada-to-small").bill(1, 0)).isEqualTo(Money.of(5_000 + 10, "USD"));   // bob stays
        assertThat(result.variant("everyone-to-small").bill(1, 0)).isEqualTo(Money.of(1_000 + 30, "USD"));
        assertThat(result.deltaPct(result.variant("ada-to-small"), 0, 0)).isEqualByComparingTo("-33.33"); // 6,000 → 4,000
    }

    @Test
    void customersAreBilledFromTheirFirstToTheirLastActivePeriod() {
        Scenario scenario = ScenarioParser.parse("hand.yaml", HEADER + "plans:\n  plan: { base_fee: 2900 }\n");
        SimulationResult result = Simulator.run(scenario, new History(4, "ada")
                .events("ada", 1, "api.call", 5).events("ada", 2, "other.event", 1).build());
        assertThat(result.actualBill(0, 0).minorUnits()).isZero();     // not a customer yet
        assertThat(result.actualBill(0, 1).minorUnits()).isEqualTo(2_900);
        assertThat(result.actualBill(0, 2).minorUnits()).isEqualTo(2_900);   // an unmetered event still shows activity
        assertThat(result.actualBill(0, 3).minorUnits()).isZero();     // gone
    }

    @Test
    void summaryAddsUpTheCells() {
        String yaml = HEADER + """
                plans:
                  plan: { prices: { requests: { type: metered_unit, unit_amount: 2 } } }
                variants:
                  - name: double
                    plans: { plan: { prices: { requests: { type: metered_unit, unit_amount: 4 } } } }
                """;
        SimulationResult result = Simulator.run(ScenarioParser.parse("s.yaml", yaml), new History(2, "ada", "bob")
                .events("ada", 0, "api.call", 100).events("ada", 1, "api.call", 50).events("bob", 1, "api.call", 25)
                .cost("ada", 0, "openai", "gpt-4o", 0, 0, 0, "0.5").build());
        Summary summary = result.variant("double").summary();
        assertThat(summary.actualRevenue()).isEqualByComparingTo("3.50");   // (100 + 50 + 25) × 2 ¢
        assertThat(summary.revenue()).isEqualByComparingTo("7.00");         // × 4 ¢
        assertThat(summary.revenueDeltaPct()).isEqualByComparingTo("100");
        assertThat(summary.margin()).isEqualByComparingTo("6.50");          // 7.00 − 0.50
        assertThat(summary.marginPct()).isEqualByComparingTo("92.86");      // 6.50 / 7.00
        assertThat(summary.customersUp()).isEqualTo(2);
        assertThat(summary.revenueP()).isNull();                            // no behaviour assumed
    }
}
