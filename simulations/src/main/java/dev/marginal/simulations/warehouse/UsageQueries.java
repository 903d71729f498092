package dev.marginal.simulations.warehouse;

/**
 * The two queries the loader runs against {@code marginal.analytics.usage_costs}, readable here.
 * Both take (organization_id, from, to) and sum per customer and calendar month (UTC days, the
 * table's partition column, so Trino prunes to the range). A meter is an event name for now
 * (billing-core has no meters yet, issue 5): usage is summed per {@code name}.
 */
public final class UsageQueries {

    public static final String USAGE = """
            SELECT customer_id,
                   external_customer_id,
                   date_trunc('month', day)            AS period_start,
                   name,
                   count(*)                            AS events,
                   coalesce(sum(input_tokens), 0)      AS input_tokens,
                   coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens,
                   coalesce(sum(output_tokens), 0)     AS output_tokens
            FROM marginal.analytics.usage_costs
            WHERE organization_id = ? AND day >= ? AND day < ?
            GROUP BY 1, 2, 3, 4""";

    /** Costs per model; events without a cost (cost_source none) have nothing to add or re-cost. */
    public static final String COSTS = """
            SELECT customer_id,
                   external_customer_id,
                   date_trunc('month', day)              AS period_start,
                   coalesce(vendor, '')                  AS vendor,
                   coalesce(model, '')                   AS model,
                   coalesce(sum(input_tokens), 0)        AS input_tokens,
                   coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens,
                   coalesce(sum(output_tokens), 0)       AS output_tokens,
                   CAST(sum(cost) AS decimal(38,12))     AS cost,
                   currency
            FROM marginal.analytics.usage_costs
            WHERE organization_id = ? AND day >= ? AND day < ? AND cost IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 10""";

    /** For a CLI run without --org: the organisations that have usage in the range. */
    public static final String ORGANIZATIONS = """
            SELECT DISTINCT organization_id
            FROM marginal.analytics.usage_costs
            WHERE day >= ? AND day < ?
            ORDER BY 1""";

    private UsageQueries() {
    }
}
