package dev.marginal.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import dev.marginal.simulations.engine.Simulator;
import dev.marginal.simulations.scenario.ScenarioParser;
import dev.marginal.simulations.usage.Aggregates;

class CliTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 24);

    @Test
    void defaultRangeIsTheLastTwelveMonthsIncludingThisOne() {
        Cli.Arguments a = Cli.Arguments.parse(new String[] {"simulate", "s.yaml"}, TODAY);
        assertThat(a.from()).isEqualTo(LocalDate.of(2025, 12, 1));
        assertThat(a.to()).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(a.org()).isNull();
    }

    @Test
    void explicitRangeAndOrganisation() {
        Cli.Arguments a = Cli.Arguments.parse(new String[] {"s.yaml", "--from", "2026-01-01", "--to", "2026-04-01",
                "--org", "org_1"}, TODAY);
        assertThat(a.scenario()).isEqualTo(Path.of("s.yaml"));
        assertThat(a.from()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(a.org()).isEqualTo("org_1");
        assertThat(a.checkInvoices()).isFalse();
        assertThat(Cli.Arguments.parse(new String[] {"s.yaml", "--check-invoices"}, TODAY).checkInvoices()).isTrue();
        assertThatThrownBy(() -> Cli.Arguments.parse(new String[] {"s.yaml", "--from", "2026-04-01", "--to", "2026-01-01"}, TODAY))
                .hasMessageContaining("must be after");
        assertThatThrownBy(() -> Cli.Arguments.parse(new String[] {"s.yaml", "--from", "April"}, TODAY))
                .hasMessageContaining("YYYY-MM-DD");
    }

    @Test
    void anInvalidScenarioExitsWithFileLineAndReasonBeforeTouchingTrino() throws Exception {
        Path file = Files.createTempFile("bad", ".yaml");
        Files.writeString(file, "scenario: s\ncurrency: usd\nmeters:\n  m: { event: e }\nplans:\n  p: { minimum: -5 }\n"
                + "customers: { default_plan: p }\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"simulate", file.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(file + ":6: plans.p.minimum: must not be negative, got -5\n");
        Files.delete(file);
    }

    @Test
    void summaryTableHasALinePerVariant() {
        var result = Simulator.run(ScenarioParser.parse(Path.of("examples/price-increase.yaml")), new Aggregates("org",
                java.util.List.of(new Aggregates.Customer(null, "globex-ai")), java.util.List.of(LocalDate.of(2026, 1, 1)),
                java.util.List.of(new Aggregates.Usage(0, 0, "chat.completion", 100, 9_000_000, 0, 1_000_000)),
                java.util.List.of()));
        String table = SummaryTable.render(result);
        // starter: 2,900 + (10,000,000 − 1,000,000) × 0.0004 = 2,900 + 3,600 − 500 credit = 6,000 ¢ → $60
        // tier +25 %: 9,000,000 × 0.0005 = 4,500 → 2,900 + 4,500 − 500 = 6,900 ¢ → $69, +15 %
        assertThat(table).contains("baseline", "starter-tier-up-25pct", "starter-fee-39", "revenue P5..P95");
        assertThat(table.lines().filter(l -> l.startsWith("starter-tier-up-25pct")).findFirst().orElseThrow())
                .contains("69", "+15.0%");
        assertThat(table.lines().filter(l -> l.startsWith("baseline")).findFirst().orElseThrow()).contains("60", "0.0%");
    }

    @Test
    void optimiserReportShowsTheFrontierAndTheChosenPoint() {
        var scenario = ScenarioParser.parse(Path.of("examples/optimise-starter.yaml"));
        var history = new Aggregates("org", java.util.List.of(new Aggregates.Customer(null, "globex-ai")),
                java.util.List.of(LocalDate.of(2026, 1, 1)),
                java.util.List.of(new Aggregates.Usage(0, 0, "chat.completion", 100, 9_000_000, 0, 1_000_000)),
                java.util.List.of());
        var result = dev.marginal.simulations.optimiser.Optimiser.run(scenario, history);
        String report = SummaryTable.renderOptimiser(result);
        // baseline $60 (above); the 20 % cap is $72. A fee f and a middle-tier rate r bill f + 9,000,000 r − 500 ¢:
        //   3,900 + 3,600 − 500 = 7,000 ¢ (+16.7 %, churn 0.02 + 6.7/20 × 0.08 = 0.047 ≤ 0.5)   ← the most under the cap
        //   3,400 + 4,050 − 500 = 6,950;  2,900 + 4,500 − 500 = 6,900;  4,400 + 3,600 − 500 = 7,500 (+25 %, out)
        assertThat(result.chosen().name()).isEqualTo("starter_fee=3900 starter_mid_tier=0.0004");
        assertThat(report).contains("frontier", "margin", "max_bill_increase", "* starter_fee=3900 starter_mid_tier=0.0004")
                .contains("chosen: starter_fee=3900 starter_mid_tier=0.0004 — margin 70.00, max_bill_increase 16.7%");
    }
}
