package dev.marginal.simulations.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.marginal.simulations.engine.SimulationResult;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.optimiser.Optimiser;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

class ResultsSqlTest {

    private static final String SCENARIO = """
            scenario: o'brien pricing
            currency: usd
            meters:
              requests: { event: api.call }
            plans:
              plan: { base_fee: 1000, prices: { requests: { type: metered_unit, unit_amount: 2 } } }
            customers:
              default_plan: plan
            variants:
              - name: fee-up
                plans: { plan: { base_fee: 1500 } }
            """;

    private static SimulationResult result() {
        Aggregates history = new Aggregates("org_1",
                List.of(new Aggregates.Customer("c-1", "o'brien"), new Aggregates.Customer(null, "quiet")),
                List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 1)),
                List.of(new Aggregates.Usage(0, 0, "api.call", 50, 0, 0, 0)),
                List.of(new Aggregates.Cost(0, 0, "openai", "gpt-4o", 10, 0, 5, new BigDecimal("0.123456789012"), "usd")));
        return Simulator.run(ScenarioParser.parse("s.yaml", SCENARIO), history);
    }

    @Test
    void customerResultsAreBatchedMultiRowInsertsOfBilledCellsOnly() {
        List<String> statements = new ArrayList<>();
        new ResultsSql(1).customerResults("run_1", result(), statements::add);
        // o'brien in January, once per variant (baseline and fee-up); February and "quiet" had nothing
        assertThat(statements).hasSize(2);
        assertThat(statements.get(0)).isEqualTo("INSERT INTO marginal.simulations.customer_results VALUES\n"
                + "('run_1', 'baseline', 'org_1', 'c-1', 'o''brien', DATE '2026-01-01', "
                + "CAST(DECIMAL '11.00' AS decimal(38,12)), CAST(DECIMAL '11.00' AS decimal(38,12)), "
                + "CAST(DECIMAL '0.12345679' AS decimal(38,12)), CAST(DECIMAL '0.12345679' AS decimal(38,12)), "
                + "CAST(DECIMAL '10.87654321' AS decimal(38,12)), CAST(DECIMAL '10.87654321' AS decimal(38,12)), "
                + "CAST(DECIMAL '0.00' AS decimal(12,2)), 'usd')");
        // fee-up: 1,500 + 50 × 2 = 1,600 ¢ against 1,100 ¢: +45.45 %
        assertThat(statements.get(1)).contains("'fee-up'", "CAST(DECIMAL '16.00' AS decimal(38,12))",
                "CAST(DECIMAL '45.45' AS decimal(12,2))");

        List<String> batched = new ArrayList<>();
        new ResultsSql(1_000).customerResults("run_1", result(), batched::add);
        assertThat(batched).hasSize(1);
        assertThat(batched.get(0).split("\\),\n\\(")).hasSize(2);
    }

    @Test
    void summariesAndTheRunRow() {
        SimulationResult result = result();
        List<String> summaries = new ResultsSql(1_000).summaries("run_1", result);
        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0)).startsWith("INSERT INTO marginal.simulations.summaries VALUES\n('run_1', 'baseline', 'org_1', ")
                .contains("('run_1', 'fee-up', 'org_1', CAST(DECIMAL '11.00' AS decimal(38,12)), CAST(DECIMAL '16.00' AS decimal(38,12))")
                .contains("NULL, NULL, NULL, NULL, NULL, NULL, 'usd', "   // no Monte Carlo percentiles
                        + "NULL, NULL, NULL, NULL, NULL)");                // nor an optimiser
        String run = new ResultsSql(1_000).run("run_1", "pricing/o'brien.yaml", result, LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 3, 1), Instant.parse("2026-11-24T20:00:00Z"));
        assertThat(run).isEqualTo("INSERT INTO marginal.simulations.runs VALUES\n('run_1', 'o''brien pricing', "
                + "'pricing/o''brien.yaml', 'org_1', DATE '2026-01-01', DATE '2026-03-01', 2, 2, 'usd', NULL, NULL, "
                + "from_iso8601_timestamp_nanos('2026-11-24T20:00:00Z'), NULL, NULL)");
    }

    @Test
    void optimiserCandidatesAreSummaryRowsAndTheChosenOneHasCustomerResults() {
        var scenario = ScenarioParser.parse("s.yaml", SCENARIO + """
                optimise:
                  maximise: revenue
                  constraints:
                    max_bill_increase: { max: 20% }
                  parameters:
                    fee: { path: plans.plan.base_fee, values: [1000, 1200, 2000] }
                """);
        SimulationResult result = result();
        var optimiser = Optimiser.run(scenario, result.aggregates());
        // o'brien pays 1,100 ¢: a 1,200 ¢ fee is +18.2 %, a 2,000 ¢ fee +90.9 % (2,100 ¢)
        assertThat(optimiser.chosen().name()).isEqualTo("fee=1200");
        List<String> summaries = new ResultsSql(1_000).summaries("run_1", result, optimiser);
        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0).split("\\),\n\\(")).hasSize(2 + 3);
        assertThat(summaries.get(0))
                .contains("'usd', 'fee=1000', true, true, false, NULL)")
                .contains("'usd', 'fee=1200', true, true, true, NULL)")
                .contains("'usd', 'fee=2000', false, true, false, "
                        + "'max_bill_increase 90.9% breaks max_bill_increase ≤ 20%')");

        List<String> chosen = new ArrayList<>();
        new ResultsSql(1_000).customerResults("run_1", optimiser.chosenResult(), false, chosen::add);
        assertThat(chosen).hasSize(1);
        assertThat(chosen.get(0)).contains("('run_1', 'fee=1200', 'org_1', 'c-1', 'o''brien'").doesNotContain("'baseline'");

        String run = new ResultsSql(1_000).run("run_1", "s.yaml", result, optimiser, LocalDate.of(2026, 1, 1),
                LocalDate.of(2026, 3, 1), Instant.parse("2026-11-24T20:00:00Z"));
        assertThat(run).endsWith("'maximise revenue subject to max_bill_increase ≤ 20%', 'fee=1200')");
    }

    @Test
    void tablesAreCreatedIdempotentlyWithTheColumnsAnalystsJoinOn() {
        assertThat(ResultsSql.CREATE_TABLES).hasSize(3).allSatisfy(ddl -> assertThat(ddl).startsWith("CREATE TABLE IF NOT EXISTS marginal.simulations."));
        assertThat(ResultsSql.CREATE_TABLES.get(1)).contains("run_id", "scenario", "organization_id", "customer_id",
                "external_customer_id", "period_start", "actual_bill          decimal(38,12)",
                "simulated_bill       decimal(38,12)", "cost                 decimal(38,12)", "simulated_margin     decimal(38,12)",
                "currency");
    }

    @Test
    void loaderQueriesAreParameterisedAndPruneByDay() {
        for (String sql : List.of(UsageQueries.USAGE, UsageQueries.COSTS)) {
            assertThat(sql).contains("FROM marginal.analytics.usage_costs")
                    .contains("WHERE organization_id = ? AND day >= ? AND day < ?")
                    .contains("date_trunc('month', day)");
        }
        assertThat(UsageQueries.COSTS).contains("cost IS NOT NULL", "CAST(sum(cost) AS decimal(38,12))");
        assertThat(TrinoUsageLoader.months(LocalDate.of(2025, 11, 15), LocalDate.of(2026, 2, 1)))
                .containsExactly(LocalDate.of(2025, 11, 1), LocalDate.of(2025, 12, 1), LocalDate.of(2026, 1, 1));
    }
}
