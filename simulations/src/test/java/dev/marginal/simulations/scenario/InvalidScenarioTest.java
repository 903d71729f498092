package dev.marginal.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A bad scenario is refused with its file, the line of the offending value, and why. */
class InvalidScenarioTest {

    private static final String VALID = """
            scenario: s
            currency: usd
            meters:
              requests: { event: api.call }
            plans:
              starter:
                base_fee: 2900
                prices:
                  requests:
                    type: graduated
                    tiers:
                      - { up_to: 1000, unit_amount: 0 }
                      - { up_to: inf, unit_amount: 0.5 }
            customers:
              default_plan: starter
              plans: { acme: starter }
            variants:
              - name: v
                costs:
                  - substitute: { from: openai/gpt-4o, to: openai/gpt-4o-mini, share: 70%, input: 0.15, output: 0.6 }
            """;

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("requests: { event: api.call }", "requests: { event: api.call", 5, "not valid YAML"),
                Arguments.of("      requests:\n        type", "      tokens:\n        type", 9,
                        "plans.starter.prices.tokens: unknown meter 'tokens'; meters are requests"),
                Arguments.of("- { up_to: 1000, unit_amount: 0 }\n          - { up_to: inf,",
                        "- { from: 0, up_to: 1000, unit_amount: 0 }\n          - { from: 900, up_to: inf,", 13,
                        "plans.starter.prices.requests.tiers[1].from: tiers overlap: tier 0 ends at 1000 but tier 1 starts at 900"),
                Arguments.of("up_to: inf, unit_amount: 0.5", "up_to: inf, unit_amount: -0.5", 13,
                        "plans.starter.prices.requests.tiers[1].unit_amount: must not be negative, got -0.5"),
                Arguments.of("- { up_to: inf,", "- { up_to: 500, unit_amount: 1 }\n          - { up_to: inf,", 13,
                        "plans.starter.prices.requests.tiers[1].up_to: must be above where tier 1 starts (1000), got 500"),
                Arguments.of("base_fee: 2900", "base_fee: -2900", 7,
                        "plans.starter.base_fee: must not be negative, got -2900"),
                Arguments.of("acme: starter", "acme: startr", 16,
                        "customers.plans.acme: unknown plan 'startr'; plans are starter"),
                Arguments.of("share: 70%", "share: 170%", 20,
                        "variants[0].costs[0].substitute.share: a share of traffic lies between 0% and 100%, got 170%"),
                Arguments.of("share: 70%", "share: 0.7", 20,
                        "variants[0].costs[0].substitute.share: write a percentage with its % sign, e.g. 70%; got '0.7'"),
                Arguments.of("type: graduated", "type: gradual", 10,
                        "plans.starter.prices.requests.type: unknown price type 'gradual'"),
                Arguments.of("base_fee: 2900", "base_fe: 2900", 7, "plans.starter.base_fe: unknown key"),
                Arguments.of("currency: usd", "currency: usx", 2, "currency: unknown ISO-4217 currency 'usx'"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("broken")
    void isRejectedWithFileLineAndReason(String from, String to, int line, String reason) {
        assertThat(VALID).contains(from);
        String yaml = VALID.replace(from, to);
        assertThatThrownBy(() -> ScenarioParser.parse("pricing.yaml", yaml))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("pricing.yaml:" + line + ": ")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("broken")
    void fromAFileTheMessageNamesThePath(String from, String to, int line, String reason) throws Exception {
        Path file = Files.createTempFile("scenario", ".yaml");
        Files.writeString(file, VALID.replace(from, to));
        assertThatThrownBy(() -> ScenarioParser.parse(file))
                .hasMessageStartingWith(file + ":" + line + ": ");
        Files.delete(file);
    }

    @org.junit.jupiter.api.Test
    void theValidFileParses() {
        Scenario scenario = ScenarioParser.parse("pricing.yaml", VALID);
        assertThat(scenario.variants()).hasSize(1);
        assertThat(scenario.plans().get("starter").prices().get("requests").type()).isEqualTo("graduated");
    }

    @org.junit.jupiter.api.Test
    void theExamplesParse() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".yaml")).map(ScenarioParser::parse))
                    .hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(s -> assertThat(s.meters()).containsKeys("chat_tokens", "summaries"));
        }
    }
}
