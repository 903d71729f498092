package dev.marginal.pipelines.flink.accrual;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marginal.pricing.meter.Aggregation;
import dev.marginal.pricing.meter.MeterEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keyed state holds a meter's running aggregate as text; it must come back equal, or tiers drift after a restore. */
class PartialCodecTest {

    static MeterEvent event(Object user) {
        return new MeterEvent("login", "user", Instant.parse("2025-03-01T00:00:00Z"), Map.of("user", user));
    }

    @Test
    void distinctValuesOfEveryTypeComeBackAsTheEngineKeepsThem() {
        Aggregation unique = new Aggregation(Aggregation.Function.UNIQUE, "user");
        Aggregation.Accumulator before = unique.accumulator();
        // 10 and 10.00 are one number; "10" is a string; true, a map and a list are values too: 5 distinct.
        for (Object user : List.of(new BigDecimal("10"), new BigDecimal("10.00"), "10", true, Map.of("id", new BigDecimal("7")),
                List.of("a", "b"))) {
            before.add(event(user));
        }
        Aggregation.Accumulator after = unique.resume(PartialCodec.decode(PartialCodec.encode(before.partial())));

        assertThat(after.value()).isEqualByComparingTo("5");
        for (Object user : List.of(new BigDecimal("1E+1"), "10", true, Map.of("id", new BigDecimal("7")), List.of("a", "b"))) {
            after.add(event(user));
        }
        assertThat(after.value()).as("nothing seen before counts again").isEqualByComparingTo("5");
    }

    @Test
    void sumsAndExtremesKeepTheirExactDecimals() {
        Aggregation max = new Aggregation(Aggregation.Function.MAX, "user");
        Aggregation.Accumulator before = max.accumulator();
        before.add(event(new BigDecimal("0.000000000001")));
        before.add(event(new BigDecimal("123456789.123456789012")));

        Aggregation.Partial partial = PartialCodec.decode(PartialCodec.encode(before.partial()));

        assertThat(partial).isEqualTo(before.partial());
    }
}
