package dev.marginal.pipelines.flink;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.model_cost_deltas}: what each checkpoint added to each
 * (organisation, vendor, model, day, currency). Append-only; the view {@code analytics.model_costs}
 * (warehouse/src/main/resources/sql/model_costs.sql, which also declares this table for Trino —
 * keep the two identical; the job refuses to start when they differ) sums it by key. A late event
 * is one more delta in its own past day's partition.
 */
public final class ModelCostDeltasTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(UsageCostsTable.NAMESPACE, "model_cost_deltas");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.required(2, "vendor", Types.StringType.get()),
            Types.NestedField.required(3, "model", Types.StringType.get()),
            Types.NestedField.required(4, "day", Types.DateType.get()),
            Types.NestedField.optional(5, "currency", Types.StringType.get()),
            Types.NestedField.required(6, "input_tokens", Types.LongType.get()),
            Types.NestedField.required(7, "cached_input_tokens", Types.LongType.get()),
            Types.NestedField.required(8, "output_tokens", Types.LongType.get()),
            Types.NestedField.optional(9, "cost", Types.DecimalType.of(UsageCost.PRECISION, UsageCost.SCALE)),
            Types.NestedField.required(10, "events", Types.LongType.get()));

    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("day").build();

    private ModelCostDeltasTable() {
    }
}
