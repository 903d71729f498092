package dev.marginal.simulations.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.marginal.simulations.scenario.Behaviour;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

class MonteCarloTest {

    private static String scenario(String behaviour) {
        return """
                scenario: mc
                currency: usd
                meters:
                  requests: { event: api.call }
                plans:
                  plan: { base_fee: 1000, prices: { requests: { type: metered_unit, unit_amount: 1 } } }
                customers:
                  default_plan: plan
                variants:
                  - name: double
                    plans: { plan: { prices: { requests: { type: metered_unit, unit_amount: 2 } } } }
                behaviour:
                """ + behaviour.indent(2);
    }

    private static Aggregates history() {
        History h = new History(6, "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
        for (int c = 0; c < 10; c++) {
            for (int p = 0; p < 6; p++) {
                h.events("c" + c, p, "api.call", 100L * (c + 1));
            }
        }
        return h.build();
    }

    private static Summary run(String behaviour) {
        return Simulator.run(ScenarioParser.parse("mc.yaml", scenario(behaviour)), history()).variant("double").summary();
    }

    private static final String CHURN_AND_GROWTH = """
            seed: 7
            trials: 500
            churn:
              - { bill_increase: 0%, probability: 0 }
              - { bill_increase: 100%, probability: 0.5 }
            usage_growth: { monthly_mean: 2%, monthly_sd: 5% }
            """;

    @Test
    void reproducibleForASeed() {
        Summary first = run(CHURN_AND_GROWTH);
        Summary again = run(CHURN_AND_GROWTH);
        assertThat(again.revenueP()).isEqualTo(first.revenueP());
        assertThat(again.marginP()).isEqualTo(first.marginP());
        assertThat(first.revenueP().p5()).isLessThan(first.revenueP().p50());
        assertThat(first.revenueP().p50()).isLessThanOrEqualTo(first.revenueP().p95());
    }

    @Test
    void anotherSeedDrawsOtherTrials() {
        assertThat(run(CHURN_AND_GROWTH.replace("seed: 7", "seed: 8")).revenueP()).isNotEqualTo(run(CHURN_AND_GROWTH).revenueP());
    }

    @Test
    void withoutRiskEveryTrialIsTheDeterministicRevenue() {
        // A churn curve that never fires and growth of exactly 0 %: every trial is the replay.
        Summary summary = run("""
                seed: 1
                trials: 50
                churn: [ { bill_increase: 0%, probability: 0 } ]
                usage_growth: { monthly_mean: 0%, monthly_sd: 0% }
                """);
        // 10 customers × 6 months × (1,000 ¢ + 100 × (c + 1) × 2 ¢) = 60,000 + 6 × 2 × 100 × 55 = 126,000 ¢
        assertThat(summary.revenue()).isEqualByComparingTo("1260.00");
        assertThat(summary.revenueP().p5()).isEqualByComparingTo("1260.00");
        assertThat(summary.revenueP().p95()).isEqualByComparingTo("1260.00");
    }

    @Test
    void certainChurnOfEveryoneWhoseBillRises() {
        // Every bill rises; probability 1 means each customer leaves at some period, so revenue always falls.
        Summary summary = run("""
                seed: 3
                trials: 200
                churn: [ { bill_increase: 0%, probability: 0 }, { bill_increase: 1%, probability: 1 } ]
                """);
        assertThat(summary.expectedChurn()).isEqualByComparingTo("10");
        assertThat(summary.revenueP().p95()).isLessThan(summary.revenue());
    }

    @Test
    void churnCurveInterpolatesLinearlyAndIsFlatBeyondItsEnds() {
        List<Behaviour.ChurnPoint> curve = List.of(
                new Behaviour.ChurnPoint(new java.math.BigDecimal("0"), new java.math.BigDecimal("0.02")),
                new Behaviour.ChurnPoint(new java.math.BigDecimal("20"), new java.math.BigDecimal("0.10")));
        assertThat(MonteCarlo.interpolate(curve, -5)).isEqualTo(0.02);
        assertThat(MonteCarlo.interpolate(curve, 10)).isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(MonteCarlo.interpolate(curve, 500)).isEqualTo(0.10);
    }
}
