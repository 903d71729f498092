package dev.marginal.notebooks;

import static dev.marginal.dashboard.SeededOrganisations.ORG_A;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marginal.dashboard.SeededOrganisations;
import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.warehouse.TrinoResultsWriter;
import dev.marginal.simulations.warehouse.TrinoUsageLoader;
import dev.marginal.stack.PostgresServer;
import dev.marginal.stack.TrinoServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both notebooks, executed headless with nbclient in a venv built from notebooks/requirements.txt,
 * against a real Trino (port 21088, its catalog on PostgreSQL 21432) holding the dashboard's seeded
 * organisations and a real simulation run. The expected figures are worked out next to the facts:
 * SeededOrganisations for unit economics, {@link #seedSimulation} for the what-if.
 */
class NotebooksIT {

    static final int POSTGRES = 21432;
    static final int TRINO = 21088;
    static final Path MODULE = Path.of("").toAbsolutePath();

    @TempDir
    static Path home;
    static PostgresServer postgres;
    static TrinoServer trino;
    static PythonVenv venv;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        // pip first: it needs no servers, and a failure here should not leave them waiting.
        venv = PythonVenv.ready(MODULE.resolve("target/venv"), MODULE.resolve("requirements.txt"));
        postgres = PostgresServer.startForTests(home, POSTGRES);
        trino = TrinoServer.startForTests(home, TRINO, POSTGRES);
        try (Connection platform = trino.connect()) {
            SeededOrganisations.seed(platform);
            seedSimulation(platform);
        }
        env = new HashMap<>(Map.of(
                "MARGINAL_TRINO_URL", trino.url(),
                "MARGINAL_TRINO_USER", "platform",
                "MARGINAL_TRINO_PASSWORD", trino.security().password("platform"),
                "MARGINAL_TRINO_CA", home.resolve("trino/tls/trino.pem").toString(),
                "MARGINAL_HOME", home.toString(),
                "MARGINAL_ORG", ORG_A));
    }

    @AfterAll
    static void stop() {
        if (trino != null) {
            trino.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void unitEconomicsShowsEachCustomersMarginTheTotalsAndWhatEachModelCost() throws Exception {
        Map<String, String> window = new HashMap<>(env);
        window.put("MARGINAL_FROM", "2026-11-14");
        window.put("MARGINAL_TO", "2026-11-20");
        String output = execute("unit-economics.ipynb", window);

        // From SeededOrganisations, 2026-11-14 … 2026-11-20: globex 20.00 of usage against 35.50 of chat cost;
        // acme 7 × 5.00 + 100 + 50 = 185.00 − (12.345 + 10.00) = 162.655; initech 7 × 1.00 + 30 − 4.00 − 0.30 = 32.70.
        assertThat(output).contains(
                "unprofitable: globex usd revenue 20.00 cost 35.50 gross margin -15.50",
                // 162.655 − 15.50 + 32.70 = 179.855 → 179.86 (half-even); 179.855 / 242 = 74.3 %.
                "usd revenue 242.00 llm cost 61.84 fees 0.30 gross margin 179.86 (74.3%)",
                "feature costs reconcile with customer costs",
                // gpt-4o: 45.50 + 3.00 in 5 + 1 calls; the embedding model 12.345 + 1.00 in 4 + 1.
                "model openai/gpt-4o usd cost 48.50 in 6 calls",
                "model openai/text-embedding-3-large usd cost 13.34 in 5 calls");
        // org-b's figures never reach org-a's notebook.
        assertThat(output).doesNotContain("b-secret");
    }

    @Test
    void pricingWhatIfComparesTheVariantsOfTheNewestRunAndTheRowsAddUp() throws Exception {
        String output = execute("pricing-what-if.ipynb", env);

        assertThat(output).contains(
                "run run_nb: scenario starter-price-increase (price-increase.yaml), organisation org-a",
                "customer_results reconcile with summaries for 3 scenarios",
                // globex on starter: 2,900 + (10M − 1M free) × 0.0004 − 500 credit = 6,000 ¢; with the $39 fee 7,000 ¢;
                // with the middle tier at 0.0005: 2,900 + 4,500 − 500 = 6,900 ¢. acme on scale pays the $1,000 minimum.
                "starter-fee-39: globex-ai pays 70.00 instead of 60.00 (+10.00, +16.7%)",
                "starter-tier-up-25pct: globex-ai pays 69.00 instead of 60.00 (+9.00, +15.0%)",
                // Costs 3.50 + 2.50 = 6.00 under every variant: margins 1,054, 1,064 and 1,063.
                "baseline: revenue 1060.00 (+0.00), margin 1054.00 (+0.00 against the baseline)",
                "most margin: starter-fee-39, 1064.00 against the baseline's 1054.00");
    }

    /**
     * January 2026 of org-a in analytics.usage_costs (the pipelines' table, declared here as
     * simulations' SimulationsTrinoIT declares it): acme-robotics (on the scale plan) and globex-ai
     * (on starter) each use 10M chat tokens. The simulations module then loads, simulates
     * examples/price-increase.yaml and writes run "run_nb" exactly as `bin/marginal simulate` does.
     */
    static void seedSimulation(Connection platform) throws Exception {
        try (Statement sql = platform.createStatement()) {
            sql.execute("""
                    CREATE TABLE IF NOT EXISTS marginal.analytics.usage_costs (
                      organization_id varchar, event_id varchar, customer_id varchar, external_customer_id varchar,
                      name varchar, vendor varchar, model varchar, input_tokens bigint, cached_input_tokens bigint,
                      output_tokens bigint, cost decimal(38,12), currency varchar, cost_source varchar, day date,
                      "timestamp" timestamp(6) with time zone)
                    WITH (partitioning = ARRAY['day'])""");
            sql.execute("INSERT INTO marginal.analytics.usage_costs VALUES"
                    + " ('org-a', 's1', NULL, 'acme-robotics', 'chat.completion', 'openai', 'gpt-4o', 9000000, 0, 1000000,"
                    + "  DECIMAL '3.5', 'usd', 'event', DATE '2026-01-15', TIMESTAMP '2026-01-15 10:00:00 UTC'),"
                    + " ('org-a', 's2', NULL, 'globex-ai', 'chat.completion', 'openai', 'gpt-4o', 9000000, 0, 1000000,"
                    + "  DECIMAL '2.5', 'usd', 'event', DATE '2026-01-20', TIMESTAMP '2026-01-20 10:00:00 UTC')");
        }
        LocalDate from = LocalDate.of(2026, 1, 1);
        LocalDate to = LocalDate.of(2026, 2, 1);
        var history = new TrinoUsageLoader(platform).load(ORG_A, from, to);
        var result = Simulator.run(ScenarioParser.parse(MODULE.resolve("../simulations/examples/price-increase.yaml").normalize()), history);
        new TrinoResultsWriter(platform).write("run_nb", "price-increase.yaml", result, from, to, Instant.parse("2026-11-24T00:00:00Z"));
    }

    /** Runs the notebook headless; fails with its error if a cell failed; returns every cell's text output. */
    private static String execute(String notebook, Map<String, String> environment) throws Exception {
        Path executed = MODULE.resolve("target/executed").resolve(notebook);
        PythonVenv.Result run = PythonVenv.run(List.of(venv.python().toString(), MODULE.resolve("execute.py").toString(),
                MODULE.resolve(notebook).toString(), executed.toString()), environment, MODULE, 900);
        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode cells = new ObjectMapper().readTree(executed.toFile()).path("cells");
        List<String> texts = new ArrayList<>();
        for (JsonNode cell : cells) {
            for (JsonNode output : cell.path("outputs")) {
                assertThat(output.path("output_type").asText()).as(output.toString()).isNotEqualTo("error");
                texts.add(joined(output.path("text")));
                texts.add(joined(output.path("data").path("text/plain")));
            }
        }
        return String.join("\n", texts);
    }

    /** nbformat stores multi-line text as a list of lines or as one string. */
    private static String joined(JsonNode text) {
        if (text.isArray()) {
            StringBuilder all = new StringBuilder();
            text.forEach(line -> all.append(line.asText()));
            return all.toString();
        }
        return text.asText("");
    }
}
