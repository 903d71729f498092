package dev.marginal.pricing.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.marginal.pricing.meter.MeterFilter.Clause;
import dev.marginal.pricing.meter.MeterFilter.Conjunction;
import dev.marginal.pricing.meter.MeterFilter.Group;
import dev.marginal.pricing.meter.MeterFilter.Operator;

class MeterFilterTest {

    private static final MeterEvent COMPLETION = new MeterEvent("completion", "user",
            Instant.parse("2025-03-14T09:26:53Z"), Map.of(
                    "model", "gpt-4o-mini",
                    "tokens", new BigDecimal("907"),
                    "streamed", true,
                    "_llm", Map.of("input_tokens", new BigDecimal("812"), "vendor", "openai")));

    private static boolean matches(String property, Operator operator, Object value) {
        return new Clause(property, operator, value).matches(COMPLETION);
    }

    @Test
    void numbersCompareAsNumbers() {
        assertThat(matches("tokens", Operator.GT, new BigDecimal("900"))).isTrue();
        assertThat(matches("tokens", Operator.LTE, new BigDecimal("907.0"))).isTrue();
        assertThat(matches("tokens", Operator.EQ, new BigDecimal("907.00"))).isTrue();
        assertThat(matches("tokens", Operator.LT, new BigDecimal("907"))).isFalse();
    }

    @Test
    void aValueOfAnotherTypeNeverMatchesExceptAsNotEqual() {
        assertThat(matches("tokens", Operator.EQ, "907")).isFalse();
        assertThat(matches("tokens", Operator.GT, "1")).isFalse();
        assertThat(matches("tokens", Operator.NE, "907")).isTrue();
        assertThat(matches("streamed", Operator.EQ, true)).isTrue();
        assertThat(matches("streamed", Operator.EQ, new BigDecimal("1"))).isFalse();
    }

    @Test
    void aMissingPropertyMatchesNoOperatorNotEvenNotEqual() {
        for (Operator operator : Operator.values()) {
            assertThat(matches("feature", operator, "x")).as(operator.name()).isFalse();
        }
    }

    @Test
    void likeMeansContains() {
        assertThat(matches("model", Operator.LIKE, "4o")).isTrue();
        assertThat(matches("model", Operator.NOT_LIKE, "claude")).isTrue();
        assertThat(matches("tokens", Operator.LIKE, new BigDecimal("90"))).isTrue();
    }

    @Test
    void nestedMetadataAndTheMetadataPrefixResolveTheSameProperty() {
        assertThat(matches("_llm.input_tokens", Operator.EQ, new BigDecimal("812"))).isTrue();
        assertThat(matches("metadata._llm.vendor", Operator.EQ, "openai")).isTrue();
        assertThat(matches("name", Operator.EQ, "completion")).isTrue();
        assertThat(matches("timestamp", Operator.GTE, new BigDecimal(Instant.parse("2025-03-14T00:00:00Z").getEpochSecond())))
                .isTrue();
    }

    @Test
    void groupsNestAndEmptyGroupsMatchEverything() {
        MeterFilter llmOrSearch = new Group(Conjunction.AND, List.of(
                new Clause("name", Operator.EQ, "completion"),
                new Group(Conjunction.OR, List.of(
                        new Clause("model", Operator.LIKE, "claude"),
                        new Clause("tokens", Operator.GTE, new BigDecimal("900"))))));

        assertThat(llmOrSearch.matches(COMPLETION)).isTrue();
        assertThat(new Group(Conjunction.OR, List.of(new Clause("model", Operator.EQ, "x"))).matches(COMPLETION)).isFalse();
        assertThat(MeterFilter.all().matches(COMPLETION)).isTrue();
        assertThat(llmOrSearch.requiredName()).contains("completion");
    }
}
