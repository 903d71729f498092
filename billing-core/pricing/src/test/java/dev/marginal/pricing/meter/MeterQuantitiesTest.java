package dev.marginal.pricing.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import dev.marginal.pricing.meter.Aggregation.Function;
import dev.marginal.pricing.meter.MeterFilter.Clause;
import dev.marginal.pricing.meter.MeterFilter.Operator;

class MeterQuantitiesTest {

    private static final Instant MARCH_1 = Instant.parse("2025-03-01T00:00:00Z");
    private static final MeterFilter COMPLETIONS = new Clause("name", Operator.EQ, "completion");

    private static MeterEvent completion(String at, long tokens, String customer) {
        return new MeterEvent("completion", "user", Instant.parse(at),
                Map.of("tokens", BigDecimal.valueOf(tokens), "customer", customer));
    }

    private static MeterQuantities march(Aggregation aggregation, TimeInterval interval) {
        return new MeterQuantities(COMPLETIONS, aggregation, MARCH_1, Instant.parse("2025-03-31T23:59:59Z"), interval,
                ZoneOffset.UTC);
    }

    @Test
    void tokensPerDayForAScriptedMonth() {
        MeterQuantities meter = march(new Aggregation(Function.SUM, "tokens"), TimeInterval.DAY);
        meter.add(completion("2025-03-01T09:00:00Z", 900, "ada"));
        meter.add(completion("2025-03-01T23:59:59.999999Z", 100, "ada"));
        meter.add(completion("2025-03-02T00:00:00Z", 50, "grace"));
        meter.add(new MeterEvent("embedding", "user", Instant.parse("2025-03-02T01:00:00Z"), Map.of("tokens", BigDecimal.TEN)));
        meter.add(completion("2025-04-01T00:00:00Z", 7, "ada")); // the next month: outside the range

        assertThat(meter.periods()).isEqualTo(31);
        // 1 March: 900 + 100 = 1,000; 2 March: 50 (the embedding is filtered out); then nothing.
        assertThat(meter.quantities().get(0).quantity()).isEqualByComparingTo("1000");
        assertThat(meter.quantities().get(1).quantity()).isEqualByComparingTo("50");
        assertThat(meter.quantities().get(2).quantity()).isEqualByComparingTo("0");
        assertThat(meter.total()).isEqualByComparingTo("1050");
    }

    @Test
    void theTotalOfAnAverageIsOverAllEventsNotAnAverageOfPeriods() {
        MeterQuantities meter = march(new Aggregation(Function.AVG, "tokens"), TimeInterval.DAY);
        meter.add(completion("2025-03-01T09:00:00Z", 10, "ada"));
        meter.add(completion("2025-03-02T09:00:00Z", 20, "ada"));
        meter.add(completion("2025-03-02T10:00:00Z", 30, "ada"));

        // Days: 10 and 25; over all three events: 60 / 3 = 20 (not (10 + 25) / 2 = 17.5).
        assertThat(meter.quantities().get(1).quantity()).isEqualByComparingTo("25");
        assertThat(meter.total()).isEqualByComparingTo("20");
    }

    @Test
    void uniqueCountsDistinctValuesAcrossTheRange() {
        MeterQuantities meter = march(new Aggregation(Function.UNIQUE, "customer"), TimeInterval.WEEK);
        meter.add(completion("2025-03-03T09:00:00Z", 1, "ada"));
        meter.add(completion("2025-03-04T09:00:00Z", 1, "ada"));
        meter.add(completion("2025-03-11T09:00:00Z", 1, "ada"));
        meter.add(completion("2025-03-11T10:00:00Z", 1, "grace"));

        // Weeks start on Monday: 24 Feb (holds 1 March), 3, 10, 17, 24, 31 March.
        assertThat(meter.quantities()).extracting(p -> p.start().toLocalDate().toString())
                .containsExactly("2025-02-24", "2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31");
        assertThat(meter.quantities().get(1).quantity()).isEqualByComparingTo("1");
        assertThat(meter.quantities().get(2).quantity()).isEqualByComparingTo("2");
        assertThat(meter.total()).isEqualByComparingTo("2");
    }

    @Test
    void maxMinAndCountOfAnEmptyPeriodAreZero() {
        for (Function function : Function.values()) {
            Aggregation aggregation = function == Function.COUNT ? Aggregation.count() : new Aggregation(function, "tokens");
            assertThat(march(aggregation, TimeInterval.MONTH).total()).as(function.name()).isEqualByComparingTo("0");
        }
    }

    @Test
    void periodsFollowTheTimeZoneAcrossDaylightSaving() {
        // Paris moves to summer time on 30 March 2025: that day lasts 23 hours.
        MeterQuantities meter = new MeterQuantities(COMPLETIONS, Aggregation.count(), Instant.parse("2025-03-29T12:00:00Z"),
                Instant.parse("2025-03-31T12:00:00Z"), TimeInterval.DAY, ZoneId.of("Europe/Paris"));
        meter.add(completion("2025-03-30T22:30:00Z", 1, "ada")); // 31 March 00:30 in Paris

        assertThat(meter.quantities().get(2).start().toString()).startsWith("2025-03-31T00:00+02:00");
        assertThat(meter.quantities().get(2).quantity()).isEqualByComparingTo("1");
    }

    @Test
    void absurdRangesAreRefusedRatherThanAllocated() {
        assertThatThrownBy(() -> new MeterQuantities(COMPLETIONS, Aggregation.count(), Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:00Z"), TimeInterval.HOUR, ZoneOffset.UTC))
                .hasMessageContaining("periods");
    }

    @Provide
    Arbitrary<List<MeterEvent>> marchEvents() {
        Arbitrary<MeterEvent> event = Arbitraries.integers().between(0, 31 * 24 * 3600 - 1).flatMap(second ->
                Arbitraries.longs().between(0, 5000).flatMap(tokens ->
                        Arbitraries.of("ada", "grace", "linus").flatMap(customer ->
                                Arbitraries.of("completion", "embedding").map(name -> new MeterEvent(name, "user",
                                        MARCH_1.plusSeconds(second),
                                        Map.of("tokens", BigDecimal.valueOf(tokens), "customer", customer))))));
        return event.list().ofMaxSize(200);
    }

    @Property(tries = 200)
    void splittingEventsIntoAnyBatchesNeverChangesAPeriodsQuantity(@ForAll("marchEvents") List<MeterEvent> events,
                                                                  @ForAll @IntRange(min = 1, max = 7) int batches,
                                                                  @ForAll long seed) {
        for (Function function : Function.values()) {
            Aggregation aggregation = function == Function.COUNT ? Aggregation.count() : new Aggregation(function,
                    function == Function.UNIQUE ? "customer" : "tokens");
            MeterQuantities whole = march(aggregation, TimeInterval.DAY);
            events.forEach(whole::add);

            // The same events, shuffled and dealt into batches, each batch aggregated alone, then merged.
            List<MeterEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            List<MeterQuantities> parts = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                parts.add(march(aggregation, TimeInterval.DAY));
            }
            for (int i = 0; i < shuffled.size(); i++) {
                parts.get(i % batches).add(shuffled.get(i));
            }
            MeterQuantities merged = parts.get(0);
            for (int b = 1; b < batches; b++) {
                merged = merged.merge(parts.get(b));
            }

            assertThat(merged.quantities()).as(function.name()).isEqualTo(whole.quantities());
            assertThat(merged.total()).as(function.name()).isEqualByComparingTo(whole.total());
        }
    }
}
