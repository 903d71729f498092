package dev.marginal.pipelines.dayclose;

import dev.marginal.pipelines.flink.ModelCostDeltasTable;
import dev.marginal.pipelines.flink.billing.CustomerDayDeltasTable;
import dev.marginal.pipelines.flink.billing.RevenueFactsTable;
import dev.marginal.pipelines.flink.billing.UsageCostDeltasTable;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * How a closed day of one table is laid out: the rows sorted by {@code sortColumns} (organisation
 * first, so one organisation's rows sit together and Parquet statistics let a reader skip the rest)
 * and, for a delta table, merged into one row per {@code keyColumns} with {@code summedColumns}
 * added up. A table without summed columns keeps every row (its rows are facts, not deltas).
 */
public record ClosedLayout(TableIdentifier table, List<String> sortColumns, List<String> keyColumns,
                           List<String> summedColumns) {

    public ClosedLayout {
        sortColumns = List.copyOf(sortColumns);
        keyColumns = List.copyOf(keyColumns);
        summedColumns = List.copyOf(summedColumns);
        if (sortColumns.isEmpty() || !sortColumns.get(0).equals("organization_id")) {
            throw new IllegalArgumentException(table + ": a closed day is sorted by organization_id first");
        }
    }

    public boolean merges() {
        return !summedColumns.isEmpty();
    }

    /**
     * The job's per-checkpoint sums: one row per (organisation, customer, feature, day, currency)
     * once the day is closed. {@code analytics.customer_margins} and {@code feature_margins} sum it.
     */
    public static final ClosedLayout USAGE_COST_DELTAS = new ClosedLayout(UsageCostDeltasTable.IDENTIFIER,
            List.of("organization_id", "customer_id", "external_customer_id", "feature", "currency"),
            List.of("organization_id", "customer_id", "external_customer_id", "feature", "day", "currency"),
            List.of("cost", "events"));

    /**
     * The job's per-checkpoint revenue and cost sums: one row per (organisation, customer, day,
     * currency) once the day is closed. {@code analytics.customer_margins} sums it.
     */
    public static final ClosedLayout CUSTOMER_DAY_DELTAS = new ClosedLayout(CustomerDayDeltasTable.IDENTIFIER,
            List.of("organization_id", "customer_id", "external_customer_id", "currency"),
            List.of("organization_id", "customer_id", "external_customer_id", "day", "currency"),
            List.of("revenue", "subscription_revenue", "usage_revenue", "cost", "fees", "events"));

    /** One row per (organisation, vendor, model, day, currency); {@code analytics.model_costs} sums it. */
    public static final ClosedLayout MODEL_COST_DELTAS = new ClosedLayout(ModelCostDeltasTable.IDENTIFIER,
            List.of("organization_id", "vendor", "model", "currency"),
            List.of("organization_id", "vendor", "model", "day", "currency"),
            List.of("input_tokens", "cached_input_tokens", "output_tokens", "cost", "events"));

    /** Facts stay one row each (they name their order and source); only their order changes. */
    public static final ClosedLayout REVENUE_FACTS = new ClosedLayout(RevenueFactsTable.IDENTIFIER,
            List.of("organization_id", "customer_id", "order_id", "source_id", "fact_type"),
            List.of(), List.of());

    public static final List<ClosedLayout> ALL = List.of(USAGE_COST_DELTAS, CUSTOMER_DAY_DELTAS, MODEL_COST_DELTAS, REVENUE_FACTS);
}
