package dev.marginal.pipelines.flink;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.usage_costs}: one row per event, append-only, what it cost in major
 * units. The fact table behind {@code model_costs} and, once revenue exists, the margin views.
 */
public final class UsageCostsTable {

    public static final Namespace NAMESPACE = Namespace.of("analytics");
    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(NAMESPACE, "usage_costs");

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.required(2, "event_id", Types.StringType.get()),
            Types.NestedField.optional(3, "customer_id", Types.StringType.get()),
            Types.NestedField.optional(4, "external_customer_id", Types.StringType.get()),
            Types.NestedField.required(5, "name", Types.StringType.get(), "the event name: the feature where no meter matches"),
            Types.NestedField.optional(6, "vendor", Types.StringType.get(), "metadata._llm.vendor, lower case"),
            Types.NestedField.optional(7, "model", Types.StringType.get(), "metadata._llm.model, lower case"),
            Types.NestedField.optional(8, "input_tokens", Types.LongType.get()),
            Types.NestedField.optional(9, "cached_input_tokens", Types.LongType.get()),
            Types.NestedField.optional(10, "output_tokens", Types.LongType.get()),
            Types.NestedField.optional(11, "cost", Types.DecimalType.of(UsageCost.PRECISION, UsageCost.SCALE),
                    "major units of currency; null when cost_source is none"),
            Types.NestedField.optional(12, "currency", Types.StringType.get(), "ISO 4217, lower case"),
            Types.NestedField.required(13, "cost_source", Types.StringType.get(), "event (metadata._cost), catalog (model price), none"),
            Types.NestedField.required(14, "day", Types.DateType.get(), "UTC date of timestamp"),
            Types.NestedField.required(15, "timestamp", Types.TimestampType.withZone()));

    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("day").build();

    private UsageCostsTable() {
    }
}
