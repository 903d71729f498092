package dev.marginal.pricing.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import dev.marginal.pricing.meter.Aggregation.Function;

/** A running aggregate kept as a {@link Aggregation.Partial} and resumed counts as if it had never stopped. */
class AggregationResumeTest {

    private static MeterEvent call(int tokens, String model) {
        return new MeterEvent("completion", "user", Instant.parse("2025-03-01T00:00:00Z"),
                Map.of("tokens", BigDecimal.valueOf(tokens).movePointLeft(2), "model", model));
    }

    @Property
    void stoppingAndResumingAnywhereNeverChangesTheQuantity(@ForAll @Size(max = 40) List<@IntRange(max = 100_000) Integer> tokens,
                                                          @ForAll @IntRange(max = 40) int stopAt) {
        for (Function function : Function.values()) {
            Aggregation aggregation = new Aggregation(function, function == Function.UNIQUE ? "model" : "tokens");
            Aggregation.Accumulator straight = aggregation.accumulator();
            Aggregation.Accumulator resumed = aggregation.accumulator();
            for (int i = 0; i < tokens.size(); i++) {
                MeterEvent event = call(tokens.get(i), "m" + tokens.get(i) % 7);
                straight.add(event);
                if (i == Math.min(stopAt, tokens.size() - 1)) {
                    resumed = aggregation.resume(resumed.partial());
                }
                resumed.add(event);
            }
            assertThat(resumed.value()).as(function.name()).isEqualByComparingTo(straight.value());
        }
    }

    @Test
    void aPartialIsAPlainValue() {
        Aggregation max = new Aggregation(Function.MAX, "tokens");
        Aggregation.Accumulator accumulator = max.accumulator();
        accumulator.add(call(250, "gpt-4o"));
        accumulator.add(call(900, "gpt-4o"));

        // 2.50 and 9.00 tokens: two counted, 11.50 summed, 9.00 the largest; no distinct values kept.
        assertThat(accumulator.partial()).isEqualTo(
                new Aggregation.Partial(2, new BigDecimal("11.50"), new BigDecimal("9.00"), java.util.Set.of()));
        assertThat(max.resume(accumulator.partial()).value()).isEqualByComparingTo("9.00");
    }
}
