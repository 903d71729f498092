package dev.marginal.dashboard;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Everything one organisation's page shows, for one currency and window: what
 * {@code GET /orgs/{id}/figures} returns as JSON and the page draws.
 *
 * @param currencies every currency the organisation has revenue in, the default first
 * @param from       first day of the window (UTC, inclusive)
 * @param to         last day of the window (UTC, inclusive): today
 */
public record Figures(
        String organizationId,
        String currency,
        List<String> currencies,
        LocalDate from,
        LocalDate to,
        Freshness freshness,
        List<MonthPoint> mrr,
        List<DayPoint> daily,
        Totals totals,
        List<Margin> topCustomers,
        List<Margin> bottomCustomers,
        List<Margin> features,
        List<ModelCost> models) {

    public Figures {
        currencies = List.copyOf(currencies);
        mrr = List.copyOf(mrr);
        daily = List.copyOf(daily);
        topCustomers = List.copyOf(topCustomers);
        bottomCustomers = List.copyOf(bottomCustomers);
        features = List.copyOf(features);
        models = List.copyOf(models);
    }

    /** MRR at a month (first day of the month). */
    public record MonthPoint(LocalDate month, Amount mrr) {}

    /** One UTC day of revenue, LLM cost, payment fees and gross margin (= revenue − LLM cost − fees). */
    public record DayPoint(LocalDate day, Amount revenue, Amount llmCost, Amount fees, Amount grossMargin) {}

    /** The window's sums and gross margin as a share of revenue, in tenths of a percent (e.g. "61.5%"). */
    public record Totals(Amount revenue, Amount llmCost, Amount fees, Amount grossMargin, Optional<String> marginPercent) {}

    /**
     * A customer's or feature's margin over the window; {@code label} is what the founder knows it by.
     * Features carry no fees (analytics.feature_margins keeps them with the customer).
     */
    public record Margin(String key, String label, Amount revenue, Amount llmCost, Amount fees, Amount grossMargin,
                         Optional<String> marginPercent) {}

    /** A model's LLM calls and cost over the window, and its share of the window's LLM cost. */
    public record ModelCost(String vendor, String model, long calls, Amount cost, Optional<String> costShare) {}

    /**
     * The newest event of the organisation in the warehouse: when billing-core accepted it and how old
     * it is. Empty when the organisation has no events yet.
     */
    public record Freshness(Optional<String> newestIngestedAt, Optional<Long> ageSeconds) {}
}
