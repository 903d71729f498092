package dev.marginal.dashboard;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every query the dashboard runs, one per panel, in one place. Each reads the analyst views of
 * docs/warehouse.md (customer_margins: gross_margin = revenue − cost − fees; feature_margins:
 * gross_margin = revenue − cost; cost is LLM cost) and takes the organisation first: the Trino row filter already limits the
 * logged-in user to its organisations, the {@code organization_id = ?} picks the one on screen.
 *
 * <p>Parameters: organisation id, currency (lower case), first and last day of the window (both
 * included: a subscription fee recognised ratably has facts for the days of its period still to
 * come, which are not earned yet); MRR takes the first and the last month instead. Amounts are
 * DECIMAL(38,12) major units; {@link FiguresReader} turns them into minor units.
 */
public final class Panels {

    private Panels() {}

    /**
     * Every panel's query by its constant's name, in declaration order: what PanelTimes names its
     * metric by, and what the scale benchmark measures.
     */
    public static Map<String, String> byName() {
        Map<String, String> panels = new LinkedHashMap<>();
        for (Field field : Panels.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && !field.getName().equals("CUSTOMERS")) {
                try {
                    panels.put(field.getName(), (String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return panels;
    }

    /**
     * The organisation's currencies with figures in the window, the one with the most revenue first
     * (the page's default). Windowed so it reads the days shown, not the whole history.
     */
    static final String CURRENCIES = """
            SELECT currency
            FROM marginal.analytics.customer_margins
            WHERE organization_id = ? AND day BETWEEN ? AND ? AND currency IS NOT NULL
            GROUP BY currency
            ORDER BY sum(revenue) DESC, currency""";

    /** Every currency the organisation ever had figures in: only when the window has none. */
    static final String CURRENCIES_EVER = """
            SELECT currency
            FROM marginal.analytics.customer_margins
            WHERE organization_id = ? AND currency IS NOT NULL
            GROUP BY currency
            ORDER BY sum(revenue) DESC, currency""";

    /**
     * Monthly recurring revenue at each month of the last year, up to today's month (analytics.mrr:
     * one row per organisation, currency, month). The view runs on to the month a paid period ends,
     * where a subscription not yet renewed shows as churned: that month is not history yet.
     */
    static final String MRR = """
            SELECT month, mrr
            FROM marginal.analytics.mrr
            WHERE organization_id = ? AND currency = ? AND month >= ? AND month <= ?
            ORDER BY month""";

    /** Revenue, LLM cost, fees and gross margin per UTC day (analytics.customer_margins summed over customers). */
    static final String DAILY = """
            SELECT day, sum(revenue), sum(cost), sum(fees), sum(gross_margin)
            FROM marginal.analytics.customer_margins
            WHERE organization_id = ? AND currency = ? AND day BETWEEN ? AND ?
            GROUP BY day
            ORDER BY day""";

    private static final String CUSTOMERS = """
            SELECT customer_id, coalesce(max(external_customer_id), customer_id),
                   sum(revenue), sum(cost), sum(fees), sum(gross_margin)
            FROM marginal.analytics.customer_margins
            WHERE organization_id = ? AND currency = ? AND day BETWEEN ? AND ?
            GROUP BY customer_id
            ORDER BY sum(gross_margin) %s, customer_id
            LIMIT 5""";

    /** The five customers with the highest gross margin over the window. */
    static final String TOP_CUSTOMERS = CUSTOMERS.formatted("DESC");

    /** The five with the lowest (most negative) gross margin: who costs more in LLM calls than they pay. */
    static final String BOTTOM_CUSTOMERS = CUSTOMERS.formatted("ASC");

    /** Gross margin per feature over the window (analytics.feature_margins). */
    static final String FEATURES = """
            SELECT feature, sum(revenue), sum(cost), CAST(0 AS decimal(38,12)), sum(gross_margin)
            FROM marginal.analytics.feature_margins
            WHERE organization_id = ? AND currency = ? AND day BETWEEN ? AND ?
            GROUP BY feature
            ORDER BY sum(gross_margin) DESC, feature""";

    /**
     * LLM calls and cost per vendor and model over the window (analytics.model_costs). Revenue is not
     * attributed to models, so a model's share of the window's LLM cost is what bounds margin here.
     */
    static final String MODELS = """
            SELECT vendor, model, sum(events), sum(cost)
            FROM marginal.analytics.model_costs
            WHERE organization_id = ? AND currency = ? AND day BETWEEN ? AND ?
            GROUP BY vendor, model
            ORDER BY sum(cost) DESC, vendor, model""";

    /**
     * Age of the freshest data: when billing-core accepted the organisation's newest event that has
     * reached the warehouse, and how many seconds ago that was by Trino's clock. Looks at events
     * timed from the given instant on first (raw.events is partitioned by event day, so that reads
     * the last days only); {@link #FRESHNESS_EVER} only when those have none.
     */
    static final String FRESHNESS = """
            SELECT to_iso8601(max(ingested_at)), date_diff('second', max(ingested_at), current_timestamp)
            FROM marginal.raw.events
            WHERE organization_id = ? AND "timestamp" >= from_iso8601_timestamp(?)""";

    static final String FRESHNESS_EVER = """
            SELECT to_iso8601(max(ingested_at)), date_diff('second', max(ingested_at), current_timestamp)
            FROM marginal.raw.events
            WHERE organization_id = ?""";
}
