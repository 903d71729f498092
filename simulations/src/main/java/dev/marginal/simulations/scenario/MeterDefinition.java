package dev.marginal.simulations.scenario;

import java.util.Locale;

/**
 * A billable meter as the simulation sees it: the usage events named {@code event}, reduced to a
 * period quantity by {@code quantity}. Until billing-core has meters (issue 5), a meter is an event
 * name; this is the subset of Polar's meter aggregations the usage history can answer.
 */
public record MeterDefinition(String name, String event, Quantity quantity) {

    public enum Quantity {
        /** number of events */
        COUNT,
        INPUT_TOKENS,
        CACHED_INPUT_TOKENS,
        OUTPUT_TOKENS,
        /** input + output tokens (cached input tokens are part of input) */
        TOTAL_TOKENS;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
