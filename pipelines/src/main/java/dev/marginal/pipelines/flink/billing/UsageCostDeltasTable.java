package dev.marginal.pipelines.flink.billing;

import dev.marginal.pipelines.flink.UsageCost;
import dev.marginal.pipelines.flink.UsageCostsTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.usage_cost_deltas}: what each checkpoint added to each (organisation,
 * customer, feature, UTC day, currency) of {@code usage_costs} — the cost side of
 * {@code customer_margins} and {@code feature_margins}, so those views never scan one row per
 * event. Append-only like {@code model_cost_deltas}; declared for Trino in revenue.sql too.
 * The feature is the event's name.
 */
public final class UsageCostDeltasTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(UsageCostsTable.NAMESPACE, "usage_cost_deltas");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.optional(2, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(3, "external_customer_id", Types.StringType.get()),
            Types.NestedField.required(4, "feature", Types.StringType.get()),
            Types.NestedField.required(5, "day", Types.DateType.get()),
            Types.NestedField.optional(6, "currency", Types.StringType.get()),
            Types.NestedField.optional(7, "cost", Types.DecimalType.of(UsageCost.PRECISION, UsageCost.SCALE)),
            Types.NestedField.required(8, "events", Types.LongType.get()));

    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("day").build();

    private UsageCostDeltasTable() {
    }
}
