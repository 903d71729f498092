package dev.marginal.pipelines.flink.accrual;

import dev.marginal.pipelines.flink.UsageCost;
import dev.marginal.pipelines.flink.UsageCostsTable;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * {@code marginal.analytics.usage_accruals}: one row per usage event and metered price of a
 * subscription it moves, append-only, partitioned by the event's UTC day. Declared for Trino in
 * warehouse/src/main/resources/sql/accrued_usage.sql too (kept identical by AccruedUsageSqlTest).
 */
public final class UsageAccrualsTable {

    public static final TableIdentifier IDENTIFIER = TableIdentifier.of(UsageCostsTable.NAMESPACE, "usage_accruals");

    private static Types.DecimalType decimal() {
        return Types.DecimalType.of(UsageCost.PRECISION, UsageCost.SCALE);
    }

    public static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "organization_id", Types.StringType.get()),
            Types.NestedField.required(2, "customer_id", Types.StringType.get()),
            Types.NestedField.required(3, "subscription_id", Types.StringType.get()),
            Types.NestedField.required(4, "price_id", Types.StringType.get(), "the metered product price"),
            Types.NestedField.required(5, "meter_id", Types.StringType.get()),
            Types.NestedField.required(6, "period_start", Types.TimestampType.withZone(), "the billed usage window: the period's start, or the plan change the prices date from"),
            Types.NestedField.required(7, "period_end", Types.TimestampType.withZone(), "the period's end, or the next plan change"),
            Types.NestedField.required(8, "event_id", Types.StringType.get()),
            Types.NestedField.required(9, "day", Types.DateType.get(), "UTC day of the event"),
            Types.NestedField.required(10, "timestamp", Types.TimestampType.withZone(), "the event's time"),
            Types.NestedField.required(11, "currency", Types.StringType.get(), "ISO 4217, lower case"),
            Types.NestedField.required(12, "quantity", decimal(), "what the event added to the period's meter quantity"),
            Types.NestedField.required(13, "amount", decimal(),
                    "major units: the period's priced line after the event minus before it"));

    public static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("day").build();

    private UsageAccrualsTable() {
    }
}
