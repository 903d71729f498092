package dev.marginal.simulations.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
import dev.marginal.simulations.warehouse.TrinoResultsWriter;
import dev.marginal.simulations.warehouse.TrinoUsageLoader;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;

/**
 * The I/O edge against a real Trino (Iceberg on the JDBC catalog): usage_costs rows written by
 * hand, loaded, simulated with the example price-increase scenario and written back; what Trino
 * returns from {@code marginal.simulations} is checked against bills worked out by hand; then the
 * example optimiser scenario is searched and its candidates and chosen point read back.
 */
class SimulationsTrinoIT {

    private static final int PG_PORT = 26432;
    private static final int TRINO_PORT = 26088;

    @Test
    void loadSimulateWriteAndReadBack() throws Exception {
        Path home = Path.of(System.getProperty("marginal.simulations.it.home", "target/it-home")).toAbsolutePath();
        Files.createDirectories(home);
        try (PostgresServer pg = PostgresServer.startForTests(home, PG_PORT);
             TrinoServer trino = TrinoServer.startForTests(home, TRINO_PORT, PG_PORT);
             Connection connection = trino.connect(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS marginal.analytics");
            sql.execute("CREATE SCHEMA IF NOT EXISTS marginal.simulations");
            sql.execute("""
                    CREATE TABLE IF NOT EXISTS marginal.analytics.usage_costs (
                      organization_id varchar, event_id varchar, customer_id varchar, external_customer_id varchar,
                      name varchar, vendor varchar, model varchar, input_tokens bigint, cached_input_tokens bigint,
                      output_tokens bigint, cost decimal(38,12), currency varchar, cost_source varchar, day date,
                      "timestamp" timestamp(6) with time zone)
                    WITH (partitioning = ARRAY['day'])""");
            sql.execute("""
                    INSERT INTO marginal.analytics.usage_costs VALUES
                    ('org_1', 'e1', NULL, 'acme-robotics', 'chat.completion', 'openai', 'gpt-4o', 9000000, 1000000, 1000000,
                     DECIMAL '3.5', 'usd', 'event', DATE '2026-01-15', TIMESTAMP '2026-01-15 10:00:00 UTC'),
                    ('org_1', 'e2', NULL, 'globex-ai', 'chat.completion', 'openai', 'gpt-4o', 9000000, 0, 1000000,
                     DECIMAL '2.5', 'usd', 'catalog', DATE '2026-01-20', TIMESTAMP '2026-01-20 10:00:00 UTC'),
                    ('org_1', 'e3', NULL, 'globex-ai', 'document.summary', 'google', 'gemini-2.5-flash', 1000, 0, 100,
                     DECIMAL '0.00055', 'usd', 'catalog', DATE '2026-02-03', TIMESTAMP '2026-02-03 10:00:00 UTC'),
                    ('org_1', 'e4', NULL, 'globex-ai', 'document.summary', NULL, NULL, NULL, NULL, NULL,
                     NULL, NULL, 'none', DATE '2026-02-04', TIMESTAMP '2026-02-04 10:00:00 UTC'),
                    ('org_2', 'e5', NULL, 'other', 'chat.completion', 'openai', 'gpt-4o', 1, 0, 1,
                     DECIMAL '0.1', 'usd', 'event', DATE '2026-01-15', TIMESTAMP '2026-01-15 10:00:00 UTC'),
                    ('org_1', 'e6', NULL, 'globex-ai', 'chat.completion', 'openai', 'gpt-4o', 1, 0, 1,
                     DECIMAL '0.1', 'usd', 'event', DATE '2026-03-01', TIMESTAMP '2026-03-01 00:00:00 UTC')""");

            LocalDate from = LocalDate.of(2026, 1, 1);
            LocalDate to = LocalDate.of(2026, 3, 1);   // exclusive: e6 on 1 March is out
            TrinoUsageLoader loader = new TrinoUsageLoader(connection);
            assertThat(loader.organizations(from, to)).containsExactly("org_1", "org_2");
            Aggregates history = loader.load("org_1", from, to);
            assertThat(history.customers()).extracting(Aggregates.Customer::externalCustomerId)
                    .containsExactlyInAnyOrder("acme-robotics", "globex-ai");
            assertThat(history.costs()).hasSize(3);   // the event without a cost is not a cost row

            SimulationResult result = Simulator.run(ScenarioParser.parse(Path.of("examples/price-increase.yaml")), history);
            new TrinoResultsWriter(connection).write("run_it", "price-increase.yaml", result, from, to,
                    Instant.parse("2026-11-24T00:00:00Z"));

            List<String> rows = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("""
                    SELECT scenario, external_customer_id, period_start, actual_bill, simulated_bill, cost, simulated_margin, currency
                    FROM marginal.simulations.customer_results WHERE run_id = 'run_it' ORDER BY 1, 2, 3""")) {
                assertThat(rs.getMetaData().getColumnTypeName(4)).isEqualTo("decimal(38,12)");
                while (rs.next()) {
                    rows.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getBigDecimal(4).stripTrailingZeros().toPlainString(),
                            rs.getBigDecimal(5).stripTrailingZeros().toPlainString(),
                            rs.getBigDecimal(6).stripTrailingZeros().toPlainString(),
                            rs.getBigDecimal(7).stripTrailingZeros().toPlainString(), rs.getString(8)));
                }
            }
            // acme on scale: 49,900 + 10M tokens × 0.0003 = 52,900 ¢ < the 100,000 ¢ minimum → $1,000
            // globex on starter, January: 2,900 + 9M × 0.0004 − 500 credit = 6,000 ¢; tier +25 %: 2,900 + 4,500 − 500 = 6,900
            // globex, February: 2 summaries inside the 100 included → the $29 fee; $39 with the new fee
            assertThat(rows).containsExactly(
                    "baseline acme-robotics 2026-01-01 1000 1000 3.5 996.5 usd",
                    "baseline globex-ai 2026-01-01 60 60 2.5 57.5 usd",
                    "baseline globex-ai 2026-02-01 29 29 0.00055 28.99945 usd",
                    "starter-fee-39 acme-robotics 2026-01-01 1000 1000 3.5 996.5 usd",
                    "starter-fee-39 globex-ai 2026-01-01 60 70 2.5 67.5 usd",
                    "starter-fee-39 globex-ai 2026-02-01 29 39 0.00055 38.99945 usd",
                    "starter-tier-up-25pct acme-robotics 2026-01-01 1000 1000 3.5 996.5 usd",
                    "starter-tier-up-25pct globex-ai 2026-01-01 60 69 2.5 66.5 usd",
                    "starter-tier-up-25pct globex-ai 2026-02-01 29 29 0.00055 28.99945 usd");
            try (ResultSet rs = sql.executeQuery("""
                    SELECT r.scenario, r.variants, s.revenue, s.revenue_p5 IS NOT NULL
                    FROM marginal.simulations.runs r JOIN marginal.simulations.summaries s USING (run_id)
                    WHERE run_id = 'run_it' AND s.scenario = 'baseline'""")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("starter-price-increase");
                assertThat(rs.getInt(2)).isEqualTo(3);
                assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("1089");
                assertThat(rs.getBoolean(4)).isTrue();
            }

            // The optimiser: 25 candidates over the starter fee and middle tier. globex pays 6,000 + 2,900 = 8,900 ¢;
            // with fee f and rate r it pays 2 f + 9,000,000 r − 500, at most 10,680 under the 20 % cap:
            // f = 3,400, r = 0.00045 → 10,350 ¢ (+16.3 %) is the most (3,900 / 0.0004 → 10,900 and 2,900 / 0.0006
            // → 10,700 are over); acme is on scale and unaffected.
            var scenario = ScenarioParser.parse(Path.of("examples/optimise-starter.yaml"));
            SimulationResult plain = Simulator.run(scenario, history);
            var optimiser = Optimiser.run(scenario, history);
            new TrinoResultsWriter(connection).write("run_opt", "optimise-starter.yaml", plain, optimiser, from, to,
                    Instant.parse("2026-11-24T00:00:00Z"));
            try (ResultSet rs = sql.executeQuery("""
                    SELECT count(*), count_if(feasible), count_if(chosen), max_by(scenario, chosen),
                           max_by(revenue, chosen), max_by(max_increase_pct, chosen)
                    FROM marginal.simulations.summaries WHERE run_id = 'run_opt' AND parameters IS NOT NULL""")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(25);
                assertThat(rs.getInt(3)).isEqualTo(1);
                assertThat(rs.getString(4)).isEqualTo("starter_fee=3400 starter_mid_tier=0.00045");
                assertThat(rs.getBigDecimal(5)).isEqualByComparingTo("1103.50");   // acme's $1,000 + globex's $103.50
                assertThat(rs.getBigDecimal(6)).isEqualByComparingTo("16.29");
            }
            try (ResultSet rs = sql.executeQuery("""
                    SELECT r.chosen, r.objective, sum(c.simulated_bill)
                    FROM marginal.simulations.runs r JOIN marginal.simulations.customer_results c
                      ON c.run_id = r.run_id AND c.scenario = r.chosen
                    WHERE r.run_id = 'run_opt' GROUP BY 1, 2""")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("starter_fee=3400 starter_mid_tier=0.00045");
                assertThat(rs.getString(2)).isEqualTo("maximise margin subject to max_bill_increase ≤ 20%, "
                        + "expected_churn ≤ 0.5");
                assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("1103.50");
            }
        }
    }
}
