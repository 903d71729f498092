package dev.marginal.pipelines.it;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the integration test inserted, and so what the warehouse must show: each event's cost in
 * dollars and the per-model daily totals, computed here with BigDecimal from the inserted figures.
 */
final class ExpectedCosts {

    /** One inserted event's cost fact. {@code cents} null = no cost. */
    record Fact(String organizationId, String vendor, String model, Instant timestamp, long inputTokens,
                long outputTokens, BigDecimal cents, String currency, String source) {

        LocalDate day() {
            return LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
        }

        /** Cents to dollars: ÷ 100, at the warehouse's 12 decimals, half-even (the documented rule). */
        BigDecimal dollars() {
            return cents == null ? null : cents.divide(BigDecimal.valueOf(100)).setScale(12, RoundingMode.HALF_EVEN);
        }
    }

    /** A row of analytics.model_costs. */
    record Totals(long inputTokens, long outputTokens, BigDecimal cost, long events) {
        Totals plus(long in, long out, BigDecimal dollars, long n) {
            return new Totals(inputTokens + in, outputTokens + out,
                    dollars == null ? cost : cost == null ? dollars : cost.add(dollars), events + n);
        }
    }

    private final Map<String, Fact> byEvent = new ConcurrentHashMap<>();

    void add(String eventId, Fact fact) {
        byEvent.put(eventId, fact);
    }

    Map<String, Fact> byEvent() {
        return Map.copyOf(byEvent);
    }

    /** Key: organization_id|vendor|model|day|currency — only events with an _llm block. */
    Map<String, Totals> perModelAndDay() {
        Map<String, Totals> totals = new TreeMap<>();
        for (Fact f : byEvent.values()) {
            if (f.vendor() == null) {
                continue;
            }
            totals.merge(key(f.organizationId(), f.vendor(), f.model(), f.day(), f.currency()),
                    new Totals(f.inputTokens(), f.outputTokens(), f.dollars(), 1),
                    (a, b) -> a.plus(b.inputTokens(), b.outputTokens(), b.cost(), b.events()));
        }
        return totals;
    }

    long modelCalls() {
        return byEvent.values().stream().filter(f -> f.vendor() != null).count();
    }

    static String key(String organizationId, String vendor, String model, LocalDate day, String currency) {
        return String.join("|", organizationId, vendor, model, day.toString(), String.valueOf(currency));
    }
}
